/**
 * The optional dashboard and saved Logs Insights queries over the event log: defined only when asked for, over the
 * event log, and reading only fields that exist in the events the log holds (EventBridge envelopes of CloudTrail
 * records, see ./envelopes). No Logs Insights engine runs here; the queries' field paths, filters and parse patterns
 * are checked against AWS's documented formats instead.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { ALL_ENVELOPES, DELETE_ENDPOINT, OPEN_TUNNEL, OPEN_TUNNEL_REFUSED, SEND_SSH_PUBLIC_KEY, fieldPaths, hasPath } from './envelopes';
import { InstanceConnectAuditTrail, InstanceConnectCentralAlerts, InstanceConnectChecks } from '../../lib';
import { STRICT_VALIDATION, testStack } from '../util';

function audit(props: ConstructorParameters<typeof InstanceConnectAuditTrail>[2] = {}) {
  const stack = testStack();
  const trail = new InstanceConnectAuditTrail(stack, 'Audit', props);
  return { stack, trail, template: Template.fromStack(stack) };
}

function central(props: Partial<ConstructorParameters<typeof InstanceConnectCentralAlerts>[2]> = {}) {
  const stack = new Stack(new App({ context: STRICT_VALIDATION }), 'Security', { env: { account: '222222222222', region: 'eu-west-1' } });
  const alerts = new InstanceConnectCentralAlerts(stack, 'Central', { organizationId: 'o-a1b2c3d4e5', ...props });
  return { stack, alerts, template: Template.fromStack(stack) };
}

/** The dashboard's body, with its tokens (the Region, the log group's name) replaced by markers. */
function dashboardBody(template: Template): any {
  const [dashboard] = Object.values<any>(template.findResources('AWS::CloudWatch::Dashboard'));
  const body = dashboard.Properties.DashboardBody;
  const text = typeof body === 'string' ? body : body['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : (p as any).Ref === 'AWS::Region' ? 'REGION' : 'LOG_GROUP')).join('');
  return JSON.parse(text);
}

/** Every query the construct synthesizes, by what it is called: the saved queries' names and the widgets' titles. */
function synthesizedQueries(template: Template): Record<string, string> {
  const saved = Object.values<any>(template.findResources('AWS::Logs::QueryDefinition'))
    .map(q => [q.Properties.Name, q.Properties.QueryString] as const);
  const widgets = dashboardBody(template).widgets.map((w: any) => [w.properties.title, w.properties.query] as const);
  return Object.fromEntries([...saved, ...widgets]);
}

describe('the dashboard and saved queries', () => {
  test('neither by default: no dashboard, no saved query, no extra rule', () => {
    const { template } = audit();
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    template.resourceCountIs('AWS::Logs::QueryDefinition', 0);
    template.resourceCountIs('AWS::Events::Rule', 7);
    central().template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });

  test.each([
    ['InstanceConnectAuditTrail', () => audit({ dashboard: true, investigationQueries: true })],
    ['InstanceConnectCentralAlerts', () => central({ dashboard: true, investigationQueries: true })],
  ])('%s: four saved queries and a dashboard of four Logs Insights widgets, all over the event log', (_name, make) => {
    const { template } = make();
    const logGroupRef = { Ref: Object.keys(template.findResources('AWS::Logs::LogGroup'))[0] };

    const saved = Object.values<any>(template.findResources('AWS::Logs::QueryDefinition')).map(q => q.Properties);
    expect(saved.map(q => q.Name.replace(/^EC2 Instance Connect\/[^/]+\//, '')).sort()).toEqual([
      'All refusals from a source range (replace 0.0.0.0/0 with the IPv4 range)',
      'Everything a principal did through EC2 Instance Connect (replace .* with part of its ARN)',
      'Which endpoint changed, and who changed it',
      'Who opened tunnels to a private IP, and when (replace 0.0.0.0/0 with the IP)',
    ]);
    for (const q of saved) {
      expect(q.LogGroupNames).toEqual([logGroupRef]);
    }

    const widgets = dashboardBody(template).widgets;
    expect(widgets.map((w: any) => w.properties.title)).toEqual([
      'Tunnels opened per hour, by principal',
      'Keys pushed, by instance and OS user',
      'Refused tunnels and key pushes (AccessDenied), by principal and source IP',
      'Endpoint changes and tampering with trails or the audit key',
    ]);
    for (const w of widgets) {
      expect(w.type).toBe('log');
      expect(w.properties.query).toMatch(/^SOURCE 'LOG_GROUP' \| /);
      expect(w.properties.region).toBe('REGION');
    }
    expect(widgets[0].properties.view).toBe('timeSeries');
  });

  test('the audit trail also writes endpoint changes and tampering to its log, since the queries read them there', () => {
    const { stack, trail, template } = audit({ investigationQueries: true });
    template.resourceCountIs('AWS::Events::Rule', 8);
    const logArn = Object.values<any>(template.findResources('AWS::Events::Rule'))
      .find(r => r.Properties.Description.startsWith('Every EC2 Instance Connect tunnel'))!.Properties.Targets[0].Arn;
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': [{ prefix: 'aws.' }],
        'detail-type': ['AWS API Call via CloudTrail'],
        'detail': {
          $or: [
            { eventSource: ['ec2.amazonaws.com'], eventName: Match.arrayWith(['DeleteInstanceConnectEndpoint']) },
            { eventSource: ['cloudtrail.amazonaws.com'], eventName: Match.arrayWith(['StopLogging']) },
            { eventSource: ['kms.amazonaws.com'], eventName: ['DisableKey', 'ScheduleKeyDeletion'], resources: { ARN: [stack.resolve(trail.encryptionKey!.keyArn)] } },
          ],
        },
      },
      Targets: [Match.objectLike({ Arn: logArn })],
    });
  });

  test('each option alone defines only its own resources', () => {
    const queriesOnly = audit({ investigationQueries: true }).template;
    queriesOnly.resourceCountIs('AWS::Logs::QueryDefinition', 4);
    queriesOnly.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    const dashboardOnly = audit({ dashboard: true }).template;
    dashboardOnly.resourceCountIs('AWS::Logs::QueryDefinition', 0);
    dashboardOnly.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    dashboardOnly.resourceCountIs('AWS::Events::Rule', 8);
  });

  test('the central log already holds endpoint changes and trail tampering: no extra rule', () => {
    central({ dashboard: true }).template.resourceCountIs('AWS::Events::Rule', 6);
  });
});

describe('every field a query or widget reads exists in the events the log holds', () => {
  const queries = {
    ...synthesizedQueries(audit({ dashboard: true, investigationQueries: true }).template),
    ...synthesizedQueries(central({ dashboard: true, investigationQueries: true }).template),
  };

  test('both constructs\' saved queries and the four widgets (the same for both), each reading several fields', () => {
    expect(Object.keys(queries)).toHaveLength(8 + 4);
    for (const query of Object.values(queries)) {
      expect(fieldPaths(query).length).toBeGreaterThanOrEqual(3);
    }
  });

  test.each(Object.entries(queries))('%s', (_name, query) => {
    const missing = fieldPaths(query).filter(path => !Object.values(ALL_ENVELOPES).some(event => hasPath(event, path)));
    expect(missing).toEqual([]);
  });

  test('the check fails on a misspelt field, a raw CloudTrail path, or a field of the envelope that is not there', () => {
    const broken = 'filter detail.userIdentity.arnn = "x" | stats count(*) by userIdentity.arn, detail.requestParameters.osUser, `detail-kind`';
    const missing = fieldPaths(broken).filter(path => !Object.values(ALL_ENVELOPES).some(event => hasPath(event, path)));
    expect(missing).toEqual(['detail-kind', 'detail.requestParameters.osUser', 'detail.userIdentity.arnn', 'userIdentity.arn']);
  });

  test('the fields each kind of question depends on are in the event it asks about', () => {
    expect(hasPath(OPEN_TUNNEL, 'detail.requestParameters.privateIpAddress')).toBe(true);
    expect(hasPath(SEND_SSH_PUBLIC_KEY, 'detail.requestParameters.instanceOSUser')).toBe(true);
    expect(hasPath(OPEN_TUNNEL_REFUSED, 'detail.errorCode')).toBe(true);
    expect(hasPath(OPEN_TUNNEL, 'detail.errorCode')).toBe(false);
  });

  test('the endpoint pattern finds the endpoint in an endpoint change, wherever EC2 records it', () => {
    const query = Object.entries(queries).find(([name]) => name.endsWith('Which endpoint changed, and who changed it'))![1];
    const pattern = /parse @message \/(.+)\/\n/.exec(query)![1];
    expect(new RegExp(pattern).exec(JSON.stringify(DELETE_ENDPOINT))?.groups?.endpointId).toBe('eice-0123456789abcdef0');
    // The documented OpenTunnel example's `eici-` prefix is the documentation's, not a real endpoint's.
    expect(new RegExp(pattern).exec(JSON.stringify(OPEN_TUNNEL))).toBeNull();
  });

  test('the refusal filter matches what the AccessDenied alarm counts, and not a successful call', () => {
    const query = Object.values(queries).find(q => q.includes('errorCode like'))!;
    const pattern = /errorCode like \/(.+?)\//.exec(query)![1];
    expect(new RegExp(pattern).test(OPEN_TUNNEL_REFUSED.detail.errorCode)).toBe(true);
    expect(new RegExp(pattern).test('Client.UnauthorizedOperation')).toBe(true);
    expect(new RegExp(pattern).test('ThrottlingException')).toBe(false);
  });
});

describe('metric methods, as aws-cdk\'s constructs have them', () => {
  test('each is the metric its alarm counts', () => {
    const { stack, trail } = audit();
    const pairs = [
      [trail.metricTunnelsOpened(), trail.tunnelsOpenedAlarm!],
      [trail.metricKeysPushed(), trail.keysPushedAlarm!],
      [trail.metricAccessDenied(), trail.accessDeniedAlarm!],
    ] as const;
    for (const [metric, alarm] of pairs) {
      expect(stack.resolve((alarm as any).metric.dimensions)).toEqual(stack.resolve(metric.dimensions));
      expect(metric.metricName).toBe('MatchedEvents');
      expect(metric.namespace).toBe('AWS/Events');
    }
    expect(stack.resolve(trail.metricTunnelsOpened().dimensions)).not.toEqual(stack.resolve(trail.metricKeysPushed().dimensions));
  });

  test('options override the default statistic and period; a central bus\'s rules carry its name as a dimension', () => {
    const { stack, alerts } = central();
    const metric = alerts.metricAccessDenied({ statistic: 'Maximum' });
    expect(metric.statistic).toBe('Maximum');
    expect(metric.period.toMinutes()).toBe(5);
    expect(stack.resolve(metric.dimensions)).toEqual({
      EventBusName: stack.resolve(alerts.eventBus.eventBusName),
      RuleName: { Ref: expect.stringMatching(/^CentralAccessDeniedRule/) },
    });
  });
});

describe('with the dashboard and saved queries, the output still passes every pack', () => {
  test('AwsSolutions, HIPAA, NIST 800-53 rev 5, PCI DSS 3.2.1 and InstanceConnectChecks find nothing', () => {
    const app = new App({ context: STRICT_VALIDATION });
    new InstanceConnectAuditTrail(new Stack(app, 'Account', { env: { account: '111122223333', region: 'us-east-1' } }), 'Audit',
      { dashboard: true, investigationQueries: true });
    new InstanceConnectCentralAlerts(new Stack(app, 'Security', { env: { account: '222222222222', region: 'eu-west-1' } }), 'Central',
      { organizationId: 'o-a1b2c3d4e5', dashboard: true, investigationQueries: true });
    for (const Pack of [AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, InstanceConnectChecks]) {
      const findings = new Pack(app).validateScope(app).violations
        .flatMap(v => v.violatingResources.map(r => `${v.ruleName} on ${r.constructPath}`));
      expect(findings).toEqual([]);
    }
  });
});
