/**
 * The security account's bus: what may put events on it (evaluated with the IAM evaluator, as a resource policy),
 * and what it does with them.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { InstanceConnectCentralAlerts } from '../../lib';
import { STRICT_VALIDATION } from '../util';

const SECURITY = '222222222222';
const ORG = 'o-a1b2c3d4e5';

function central(props: Partial<ConstructorParameters<typeof InstanceConnectCentralAlerts>[2]> = {}) {
  const app = new App({ context: STRICT_VALIDATION });
  const stack = new Stack(app, 'Security', { env: { account: SECURITY, region: 'eu-west-1' } });
  const alerts = new InstanceConnectCentralAlerts(stack, 'Central', { organizationId: ORG, ...props });
  return { app, stack, alerts, template: Template.fromStack(stack) };
}

const { stack, template } = central();
const busArn = `arn:aws:events:eu-west-1:${SECURITY}:event-bus/instance-connect`;
const [busPolicy] = Object.values<any>(template.findResources('AWS::Events::EventBusPolicy'));
const policy = JSON.parse(JSON.stringify(stack.resolve(busPolicy.Properties.Statement)).replace(/\{"Fn::GetAtt":\["[^"]+","Arn"\]\}/g, `"${busArn}"`));

async function putEvents(principal: string, account: string, orgId: string | undefined): Promise<string> {
  const result = await runSimulation({
    request: {
      principal,
      action: 'events:PutEvents',
      resource: { resource: busArn, accountId: SECURITY },
      contextVariables: orgId ? { 'aws:PrincipalOrgID': orgId, 'aws:PrincipalAccount': account } : { 'aws:PrincipalAccount': account },
    },
    identityPolicies: [{ name: 'forward', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: busArn }] } }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: { Version: '2012-10-17', Statement: [policy] },
  }, {});
  if (result.resultType !== 'single') {
    throw new Error(`simulation did not run: ${JSON.stringify(result)}`);
  }
  return result.overallResult;
}

describe('InstanceConnectCentralAlerts', () => {
  test.each<[string, string, string, string | undefined, string]>([
    ['a forwarding role of a member account', 'arn:aws:iam::111122223333:role/ForwardEvents', '111122223333', ORG, 'Allowed'],
    ['a role of another member account', 'arn:aws:iam::444455556666:role/Anything', '444455556666', ORG, 'Allowed'],
    ['a role of an account outside the organisation', 'arn:aws:iam::777788889999:role/ForwardEvents', '777788889999', 'o-zzzzzzzzzz', 'ImplicitlyDenied'],
    ['an organisation ID in another case', 'arn:aws:iam::777788889999:role/ForwardEvents', '777788889999', ORG.toUpperCase(), 'ImplicitlyDenied'],
    ['a principal of no organisation', 'arn:aws:iam::777788889999:role/ForwardEvents', '777788889999', undefined, 'ImplicitlyDenied'],
  ])('PutEvents from %s', async (_name, principal, account, orgId, expected) => {
    expect(await putEvents(principal, account, orgId)).toBe(expected);
  });

  test('the bus policy allows PutEvents only, on this bus only', () => {
    expect(policy).toEqual({
      Sid: 'cdk-OrganizationAccountsPutEvents',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'events:PutEvents',
      Resource: busArn,
      Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
    });
  });

  test('every forwarded event lands in an encrypted, retained log group; rules and alarms watch the bus', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'instance-connect' });
    const [[logId, log]] = Object.entries<any>(template.findResources('AWS::Logs::LogGroup'));
    expect(log.DeletionPolicy).toBe('Retain');
    expect(log.Properties.KmsKeyId).toBeDefined();
    expect(log.Properties.RetentionInDays).toBe(365);
    const rules = Object.values<any>(template.findResources('AWS::Events::Rule')).map(r => r.Properties);
    expect(rules).toHaveLength(6);
    for (const rule of rules) {
      expect(rule.EventBusName).toEqual({ Ref: expect.stringMatching(/EventBus/) });
      // Any principal of the organisation may put events here; only AWS services can send an `aws.` source.
      expect(rule.EventPattern.source).toEqual([{ prefix: 'aws.' }]);
    }
    const capture = rules.find(r => JSON.stringify(r.Targets[0].Arn).includes(':log-group:'))!;
    expect(capture.EventPattern.detail.eventName).toEqual(expect.arrayContaining(['OpenTunnel', 'SendSSHPublicKey', 'CreateInstanceConnectEndpoint', 'StopLogging']));
    expect(logId).toBeDefined();
    // A custom bus's rules publish their metrics with the bus's name as a dimension: without it, the alarm never fires.
    const alarms = Object.values<any>(template.findResources('AWS::CloudWatch::Alarm')).map(a => a.Properties);
    expect(alarms).toHaveLength(3);
    for (const alarm of alarms) {
      expect(alarm.Dimensions.map((d: any) => d.Name).sort()).toEqual(['EventBusName', 'RuleName']);
    }
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::SNS::Topic', 1);
  });

  test('refuses an organisation ID that is not one, and the default bus', () => {
    expect(() => central({ organizationId: '111122223333' })).toThrow(/organizationId must be an organisation ID such as o-a1b2c3d4e5, got "111122223333"/);
    expect(() => central({ eventBusName: 'default' })).toThrow(/eventBusName .* not "default", got "default"/);
  });
});
