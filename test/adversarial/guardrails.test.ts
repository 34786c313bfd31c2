/**
 * A member account's administrator (AdministratorAccess, no exemption) against the guardrails, one named attack per
 * hole found, each beside its legitimate twin. The whole catalogue is in test/organization/guardrails-matrix.test.ts;
 * these are the attacks as people found them.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { InstanceConnectAuditTrail, InstanceConnectGuardrailsProps } from '../../lib';
import { ACCOUNT, ADMIN, CDK_PROPS, Caller, decide, guardrailDocuments, OPERATOR, README_PROPS, REGION, Row } from '../organization/guardrails-world';

const role = (name: string): Caller => ({ name, arn: `arn:aws:iam::${ACCOUNT}:role/${name}` });
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
const PROTECTED = { 'aws:ResourceTag/instance-connect-access:protected': 'true' };
const TARGETS = { 'aws:ResourceTag/instance-connect-access:protected': 'targets' };
const DEPLOYER = role('InstanceConnectDeployer');
const STACKSETS = role('stacksets-exec-0123456789abcdef0123456789abcdef');
const CDK_EXEC = role(`cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-${REGION}`);
const CDK_DEPLOY = role(`cdk-hnb659fds-deploy-role-${ACCOUNT}-${REGION}`);
const KEY = arn('kms', 'key/0f0e0d0c-0000-4000-8000-000000000000');
const RULE = arn('events', 'rule/Baseline-ConnectEventsRule-ABC123');
const LOG_GROUP = arn('logs', 'log-group:/aws/events/instance-connect/Baseline-Access-AuditTrail-0123');
const TOPIC = arn('sns', 'Baseline-AlertsTopic-ABC123');
const BUS = arn('events', 'event-bus/instance-connect');
const SG = arn('ec2', 'security-group/sg-0123456789abcdef0');
const INSTANCE = arn('ec2', 'instance/i-0123456789abcdef0');
const ENDPOINT = arn('ec2', 'instance-connect-endpoint/eice-0123456789abcdef0');
const TRAIL = arn('cloudtrail', 'trail/org-trail');

/** An attack is a request of the matrix's kind, named as people found it. */
type Attack = Row;

/** An attack and its legitimate twin: the same request by someone entitled to it, or on something unprotected. */
function pair(name: string, attack: Omit<Attack, 'name' | 'expected'>, twin: Partial<Omit<Attack, 'name' | 'expected'>> & { name: string }): Attack[] {
  return [
    { name, ...attack, expected: 'ExplicitlyDenied' },
    { ...attack, ...twin, expected: 'Allowed' },
  ];
}

function check(props: InstanceConnectGuardrailsProps, attacks: Attack[]) {
  const { documents } = guardrailDocuments(props);
  test.each(attacks.map(a => [a.name, a] as const))('%s', async (_name, a) => {
    expect(await decide(documents, { ...a, context: a.context })).toEqual(a.expected);
  });
}

describe('exemptions cannot be claimed (the README\'s guardrails)', () => {
  check(README_PROPS, [
    ...pair('the administrator creates a role named like the StackSets execution role', { caller: ADMIN, action: 'iam:CreateRole', resource: roleArn('stacksets-exec-mine') },
      { name: 'the administrator creates an application role', resource: roleArn('AppRole') }),
    ...pair('the administrator creates a role named BreakGlass', { caller: ADMIN, action: 'iam:CreateRole', resource: roleArn('BreakGlass') },
      { name: 'StackSets creates the break-glass role', caller: STACKSETS }),
    ...pair('the administrator creates the named deployment role', { caller: ADMIN, action: 'iam:CreateRole', resource: roleArn('InstanceConnectDeployer') },
      { name: 'the StackSets execution role creates the deployment role', caller: STACKSETS }),
    ...pair('the administrator rewrites the deployment role\'s trust policy', { caller: ADMIN, action: 'iam:UpdateAssumeRolePolicy', resource: roleArn('InstanceConnectDeployer') },
      { name: 'the administrator rewrites an application role\'s trust policy', resource: roleArn('AppRole') }),
    ...pair('the administrator attaches a policy to the break-glass role', { caller: ADMIN, action: 'iam:AttachRolePolicy', resource: roleArn('BreakGlass') },
      { name: 'the deployment role attaches a policy to the break-glass role', caller: DEPLOYER }),
    ...pair('the administrator puts an inline policy on the StackSets execution role', { caller: ADMIN, action: 'iam:PutRolePolicy', resource: STACKSETS.arn },
      { name: 'the administrator puts an inline policy on an application role', resource: roleArn('AppRole') }),
    ...pair('the administrator tags the deployment role', { caller: ADMIN, action: 'iam:TagRole', resource: roleArn('InstanceConnectDeployer'), context: { 'aws:TagKeys': ['owner'] } },
      { name: 'the administrator tags an application role', resource: roleArn('AppRole') }),
    ...pair('the administrator assumes the deployment role', { caller: ADMIN, action: 'sts:AssumeRole', resource: roleArn('InstanceConnectDeployer') },
      { name: 'the break-glass role assumes the deployment role', caller: role('BreakGlass') }),
    ...pair('the administrator passes the StackSets execution role to a Lambda function', { caller: ADMIN, action: 'iam:PassRole', resource: STACKSETS.arn },
      { name: 'the administrator passes an application role', resource: roleArn('AppRole') }),
    ...pair('the CDK execution role, no longer exempt by default, retags an instance into a team', {
      caller: CDK_EXEC, action: 'ec2:CreateTags', resource: INSTANCE, context: { 'aws:TagKeys': ['team'] },
    }, { name: 'the deployment role retags an instance into a team', caller: DEPLOYER }),
    ...pair('a permission set named InstanceConnect_Admin connects as if it were InstanceConnect', {
      caller: { name: 'InstanceConnect_Admin', arn: OPERATOR.arn.replace('InstanceConnect_', 'InstanceConnect_Admin_') },
      action: 'ec2-instance-connect:OpenTunnel',
      resource: ENDPOINT,
    }, { name: 'the InstanceConnect permission set connects', caller: OPERATOR }),
    ...pair('a permission set named AWSReservedSSO_InstanceConnect connects as if it were InstanceConnect', {
      caller: { name: 'AWSReservedSSO_InstanceConnect', arn: OPERATOR.arn.replace('AWSReservedSSO_', 'AWSReservedSSO_AWSReservedSSO_') },
      action: 'ec2-instance-connect:SendSSHPublicKey',
      resource: INSTANCE,
    }, { name: 'the InstanceConnect permission set connects from a Region-scoped Identity Center', caller: { name: 'regional', arn: OPERATOR.arn.replace('sso.amazonaws.com/', 'sso.amazonaws.com/eu-west-1/') } }),
  ]);
});

describe('the CDK exemption: only named deployers act as the CDK\'s roles', () => {
  check(CDK_PROPS, [
    ...pair('the administrator assumes the CDK deploy role', { caller: ADMIN, action: 'sts:AssumeRole', resource: CDK_DEPLOY.arn },
      { name: 'the deployment role assumes the CDK deploy role', caller: DEPLOYER }),
    ...pair('the administrator passes the CDK execution role to CloudFormation', { caller: ADMIN, action: 'iam:PassRole', resource: CDK_EXEC.arn },
      { name: 'the CDK deploy role passes the CDK execution role', caller: CDK_DEPLOY }),
    ...pair('the administrator updates a CDK stack, which CloudFormation runs as its execution role without iam:PassRole', {
      caller: ADMIN, action: 'cloudformation:UpdateStack', resource: arn('cloudformation', 'stack/Workload/0f0e0d0c-0000-4000-8000-000000000000'),
    }, { name: 'the CDK deploy role updates the stack', caller: CDK_DEPLOY }),
    ...pair('the administrator creates a change set on the CDK bootstrap stack', {
      caller: ADMIN, action: 'cloudformation:CreateChangeSet', resource: arn('cloudformation', 'stack/CDKToolkit/0f0e0d0c-0000-4000-8000-000000000000'),
    }, { name: 'the deployment role bootstraps the account', caller: DEPLOYER }),
    ...pair('the administrator creates a role named like the CDK deploy role', { caller: ADMIN, action: 'iam:CreateRole', resource: CDK_DEPLOY.arn },
      { name: 'the StackSets execution role creates the CDK deploy role (cdk bootstrap through StackSets)', caller: STACKSETS }),
    ...pair('the administrator creates a role named like a connect principal', { caller: ADMIN, action: 'iam:CreateRole', resource: roleArn('instance-connect-operator-mine') },
      { name: 'the deployment role creates the connect principal\'s role', caller: DEPLOYER }),
    ...pair('the administrator rewrites a connect principal\'s trust policy', { caller: ADMIN, action: 'iam:UpdateAssumeRolePolicy', resource: roleArn('instance-connect-operator-oncall') },
      { name: 'the administrator assumes the connect principal, as its trust policy allows', action: 'sts:AssumeRole' }),
  ]);
});

describe('protection that hangs on a tag: the tag is protected too', () => {
  check(README_PROPS, [
    ...pair('the administrator removes the protected tag from the audit key', {
      caller: ADMIN, action: 'kms:UntagResource', resource: KEY, context: { 'aws:TagKeys': ['instance-connect-access:protected'] },
    }, { name: 'the administrator removes another tag from a key', context: { 'aws:TagKeys': ['owner'] } }),
    ...pair('the administrator changes the protected tag\'s value on the audit key', {
      caller: ADMIN, action: 'kms:TagResource', resource: KEY, context: { 'aws:TagKeys': ['instance-connect-access:protected'] },
    }, { name: 'the deployment role changes it', caller: DEPLOYER }),
    ...pair('the administrator adds the protected tag in upper case to a log group', {
      caller: ADMIN, action: 'logs:TagResource', resource: arn('logs', 'log-group:app'), context: { 'aws:TagKeys': ['INSTANCE-CONNECT-ACCESS:PROTECTED'] },
    }, { name: 'the administrator tags a log group owner', context: { 'aws:TagKeys': ['owner'] } }),
    ...pair('the administrator creates a key with the protected tag', {
      caller: ADMIN, action: 'kms:CreateKey', resource: '*', context: { 'aws:TagKeys': ['instance-connect-access:protected'] },
    }, { name: 'the administrator creates a key tagged owner', context: { 'aws:TagKeys': ['owner'] } }),
    ...pair('the administrator removes the endpoint tag from an endpoint', {
      caller: ADMIN, action: 'ec2:DeleteTags', resource: ENDPOINT, context: { 'aws:TagKeys': ['instance-connect-access:endpoint'] },
    }, { name: 'the deployment role removes it', caller: DEPLOYER }),
    ...pair('the administrator tags an Auto Scaling group Team=web', {
      caller: ADMIN,
      action: 'autoscaling:CreateOrUpdateTags',
      resource: arn('autoscaling', 'autoScalingGroup:0f0f0f0f-0000-4000-8000-000000000000:autoScalingGroupName/web'),
      context: { 'aws:TagKeys': ['Team'] },
    }, { name: 'the administrator tags it cost-centre', context: { 'aws:TagKeys': ['cost-centre'] } }),
    ...pair('the administrator disables the audit key', { caller: ADMIN, action: 'kms:DisableKey', resource: KEY, context: PROTECTED },
      { name: 'the administrator disables an unprotected key', context: {} }),
    ...pair('the administrator schedules the audit key\'s deletion', { caller: ADMIN, action: 'kms:ScheduleKeyDeletion', resource: KEY, context: PROTECTED },
      { name: 'the deployment role schedules it', caller: DEPLOYER }),
  ]);
});

describe('the audit path cannot be silenced or redirected', () => {
  check(README_PROPS, [
    ...pair('the administrator disables the capture rule', { caller: ADMIN, action: 'events:DisableRule', resource: RULE, context: PROTECTED },
      { name: 'the administrator disables an application rule', context: {} }),
    ...pair('the administrator removes the rule\'s targets', { caller: ADMIN, action: 'events:RemoveTargets', resource: RULE, context: PROTECTED },
      { name: 'the deployment role removes them', caller: DEPLOYER }),
    ...pair('the administrator rewrites the rule\'s pattern', { caller: ADMIN, action: 'events:PutRule', resource: RULE, context: PROTECTED },
      { name: 'the StackSets execution role rewrites it', caller: STACKSETS }),
    ...pair('the administrator redirects the rule\'s targets', { caller: ADMIN, action: 'events:PutTargets', resource: RULE, context: PROTECTED },
      { name: 'the administrator sets an application rule\'s targets', context: {} }),
    ...pair('the administrator deletes the rule', { caller: ADMIN, action: 'events:DeleteRule', resource: RULE, context: PROTECTED },
      { name: 'the break-glass role deletes it', caller: role('BreakGlass') }),
    ...pair('the administrator replaces the audit key\'s policy', { caller: ADMIN, action: 'kms:PutKeyPolicy', resource: KEY, context: PROTECTED },
      { name: 'an auditor decrypts the trail\'s log files with the key', caller: role('Auditor'), action: 'kms:Decrypt' }),
    ...pair('the administrator deletes the event log group', { caller: ADMIN, action: 'logs:DeleteLogGroup', resource: LOG_GROUP },
      { name: 'an auditor reads the event log', caller: role('Auditor'), action: 'logs:FilterLogEvents' }),
    ...pair('the administrator shortens the event log\'s retention', { caller: ADMIN, action: 'logs:PutRetentionPolicy', resource: LOG_GROUP },
      { name: 'an auditor queries the event log', caller: role('Auditor'), action: 'logs:StartQuery' }),
    ...pair('the administrator deletes a stream of the event log', { caller: ADMIN, action: 'logs:DeleteLogStream', resource: `${LOG_GROUP}:log-stream:x` },
      { name: 'the administrator deletes a stream of an application log', resource: arn('logs', 'log-group:app:log-stream:x') }),
    ...pair('the administrator forges an event in the event log', { caller: ADMIN, action: 'logs:PutLogEvents', resource: `${LOG_GROUP}:log-stream:x` },
      { name: 'the administrator writes an application log', resource: arn('logs', 'log-group:app:log-stream:x') }),
    ...pair('the administrator creates a StackSet, which deploys as the StackSets execution role', {
      caller: ADMIN, action: 'cloudformation:CreateStackSet', resource: '*',
    }, { name: 'the deployment role creates a StackSet', caller: DEPLOYER }),
    ...pair('the administrator adds stack instances to an existing StackSet', {
      caller: ADMIN, action: 'cloudformation:CreateStackInstances', resource: arn('cloudformation', 'stackset/evil:0f0e0d0c-0000-4000-8000-000000000000'),
    }, { name: 'the StackSets execution role does', caller: STACKSETS }),
    ...pair('the administrator replaces the metadata of the Identity Center SAML provider, to sign in as any role that trusts it', {
      caller: ADMIN, action: 'iam:UpdateSAMLProvider', resource: `arn:aws:iam::${ACCOUNT}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE`,
    }, { name: 'the deployment role updates it', caller: DEPLOYER }),
    ...pair('the administrator adds a thumbprint to an OIDC provider', {
      caller: ADMIN, action: 'iam:UpdateOpenIDConnectProviderThumbprint', resource: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
    }, { name: 'the StackSets execution role does', caller: STACKSETS }),
    ...pair('the administrator puts a key of their own on the default event bus', { caller: ADMIN, action: 'events:UpdateEventBus', resource: arn('events', 'event-bus/default') },
      { name: 'the administrator updates an application bus', resource: arn('events', 'event-bus/app') }),
    ...pair('the administrator launches an instance into the endpoint\'s security group, which reaches every target', {
      caller: ADMIN, action: 'ec2:RunInstances', resource: SG, context: PROTECTED,
    }, { name: 'the administrator launches a workload into a targets group', context: TARGETS }),
    ...pair('the administrator opens the endpoint\'s group to the internet', { caller: ADMIN, action: 'ec2:AuthorizeSecurityGroupIngress', resource: SG, context: PROTECTED },
      { name: 'the deployment role opens it', caller: DEPLOYER }),
    ...pair('the administrator replaces the resource policy that lets EventBridge write the log', { caller: ADMIN, action: 'logs:PutResourcePolicy', resource: '*' },
      { name: 'the deployment role replaces it', caller: DEPLOYER }),
    ...pair('the administrator deletes that resource policy', { caller: ADMIN, action: 'logs:DeleteResourcePolicy', resource: '*' },
      { name: 'the StackSets execution role deletes it', caller: STACKSETS }),
    ...pair('the administrator puts an account-wide data protection policy that masks the log', { caller: ADMIN, action: 'logs:PutAccountPolicy', resource: '*' },
      { name: 'the deployment role puts one', caller: DEPLOYER }),
    ...pair('the administrator unsubscribes the security team from the alerts topic', { caller: ADMIN, action: 'sns:Unsubscribe', resource: TOPIC, context: PROTECTED },
      { name: 'EventBridge\'s alerts are published to the topic', action: 'sns:Publish', caller: OPERATOR }),
    ...pair('the administrator deletes the alerts topic', { caller: ADMIN, action: 'sns:DeleteTopic', resource: TOPIC, context: PROTECTED },
      { name: 'the administrator deletes an application topic', context: {} }),
    ...pair('the administrator turns off the tunnels alarm\'s actions', {
      caller: ADMIN, action: 'cloudwatch:DisableAlarmActions', resource: arn('cloudwatch', 'alarm:Baseline-TunnelsOpenedAlarm'), context: PROTECTED,
    }, { name: 'an auditor reads the alarm\'s history', caller: role('Auditor'), action: 'cloudwatch:DescribeAlarmHistory' }),
    ...pair('the administrator changes the central bus\'s policy', { caller: ADMIN, action: 'events:PutPermission', resource: '*' },
      { name: 'the deployment role changes it', caller: DEPLOYER }),
    ...pair('the administrator deletes the central bus', { caller: ADMIN, action: 'events:DeleteEventBus', resource: BUS, context: PROTECTED },
      { name: 'a member account forwards an event to the central bus', action: 'events:PutEvents', caller: OPERATOR }),
    ...pair('the administrator detaches the forwarding role\'s policy', {
      caller: ADMIN, action: 'iam:DetachRolePolicy', resource: roleArn('instance-connect-access/Baseline-ForwardEventsRole-ABC123'),
    }, { name: 'the StackSets execution role detaches it', caller: STACKSETS }),
    ...pair('the administrator publishes a new version of the forwarding policy', {
      caller: ADMIN, action: 'iam:CreatePolicyVersion', resource: `arn:aws:iam::${ACCOUNT}:policy/instance-connect-access/Baseline-ForwardEventsPolicy-ABC123`,
    }, { name: 'the administrator publishes a version of an application policy', resource: `arn:aws:iam::${ACCOUNT}:policy/AppPolicy` }),
    ...pair('the administrator overwrites the subnet the next StackSet update builds the endpoint in', {
      caller: ADMIN, action: 'ssm:PutParameter', resource: arn('ssm', 'parameter/instance-connect/endpoint-subnet-id'),
    }, { name: 'the administrator writes an application parameter', resource: arn('ssm', 'parameter/app/config') }),
    ...pair('the administrator overwrites the targets group a workload joins', {
      caller: ADMIN, action: 'ssm:PutParameter', resource: arn('ssm', 'parameter/instance-connect/targets-security-group/22'),
    }, { name: 'a workload reads it', caller: role('Workload'), action: 'ssm:GetParameter' }),
    ...pair('the administrator opens a targets group to the internet', { caller: ADMIN, action: 'ec2:AuthorizeSecurityGroupIngress', resource: SG, context: TARGETS },
      { name: 'the administrator launches a workload into the targets group', action: 'ec2:RunInstances' }),
    ...pair('the administrator deletes the endpoint', { caller: ADMIN, action: 'ec2:DeleteInstanceConnectEndpoint', resource: ENDPOINT },
      { name: 'the deployment role deletes it', caller: DEPLOYER }),
    ...pair('the administrator stops the trail EventBridge depends on', { caller: ADMIN, action: 'cloudtrail:StopLogging', resource: TRAIL },
      { name: 'the administrator starts a trail', action: 'cloudtrail:StartLogging' }),
    ...pair('the administrator deletes a log file version from the trail bucket', {
      caller: ADMIN, action: 's3:DeleteObjectVersion', resource: 'arn:aws:s3:::instance-connect-audit-0a1b2c3d-0f0e0d0c-111122223333/AWSLogs/111122223333/x.json.gz',
    }, { name: 'an auditor reads a log file', caller: role('Auditor'), action: 's3:GetObject' }),
    ...pair('the administrator expires the trail bucket\'s log files with a lifecycle rule', {
      caller: ADMIN, action: 's3:PutLifecycleConfiguration', resource: 'arn:aws:s3:::instance-connect-audit-0a1b2c3d-0f0e0d0c-111122223333',
    }, { name: 'the administrator sets an application bucket\'s lifecycle', resource: 'arn:aws:s3:::app-bucket' }),
    ...pair('the administrator aims a rule of their own at the event log, to forge records through EventBridge', {
      caller: ADMIN, action: 'events:PutTargets', resource: arn('events', 'rule/mine'), context: { 'events:TargetArn': [LOG_GROUP] },
    }, { name: 'the administrator aims a rule at an application log', context: { 'events:TargetArn': [arn('logs', 'log-group:app')] } }),
    ...pair('the administrator makes the event log a log delivery destination', {
      caller: ADMIN,
      action: 'logs:PutDeliveryDestination',
      resource: arn('logs', 'delivery-destination:mine'),
      context: { 'logs:DeliveryDestinationResourceArn': LOG_GROUP },
    }, { name: 'the deployment role does', caller: DEPLOYER }),
    ...pair('the administrator swaps the certificate authority of a Roles Anywhere trust anchor', {
      caller: ADMIN, action: 'rolesanywhere:UpdateTrustAnchor', resource: arn('rolesanywhere', 'trust-anchor/0f0e0d0c-0000-4000-8000-000000000000'),
    }, { name: 'the deployment role swaps it', caller: DEPLOYER }),
    ...pair('the administrator updates a stack a StackSet made in the account', {
      caller: ADMIN, action: 'cloudformation:UpdateStack', resource: arn('cloudformation', 'stack/StackSet-InstanceConnect-0f0e0d0c/0f0e0d0c-0000-4000-8000-000000000000'),
    }, { name: 'the administrator updates an application stack', resource: arn('cloudformation', 'stack/App/0f0e0d0c-0000-4000-8000-000000000000') }),
    ...pair('the administrator takes the account out of the organisation, and out of every guardrail', {
      caller: ADMIN, action: 'organizations:LeaveOrganization', resource: '*',
    }, { name: 'the break-glass role may', caller: role('BreakGlass') }),
  ]);
});

describe('where no SCP applies (the management account, an account outside Organizations)', () => {
  // The README says what an administrator there can still do; these pin it, with the audit key still manageable.
  const { documents } = guardrailDocuments(README_PROPS);
  const cases: Array<[string, string, string, Record<string, string | string[]>]> = [
    ['disables the audit key', 'kms:DisableKey', KEY, PROTECTED],
    ['deletes the capture rule', 'events:DeleteRule', RULE, PROTECTED],
    ['retags an instance into a team', 'ec2:CreateTags', INSTANCE, { 'aws:TagKeys': ['team'] }],
    ['deletes the endpoint', 'ec2:DeleteInstanceConnectEndpoint', ENDPOINT, {}],
  ];
  test.each(cases)('the administrator %s', async (_name, action, resource, context) => {
    expect(await decide([], { name: _name, caller: ADMIN, action, resource, context, expected: 'Allowed' })).toEqual('Allowed');
    expect(await decide(documents, { name: _name, caller: ADMIN, action, resource, context, expected: 'ExplicitlyDenied' })).toEqual('ExplicitlyDenied');
  });

  test('the audit key\'s policy leaves the key to the account\'s IAM, so no key policy can lock the account out of it', () => {
    const stack = new Stack(new App(), 'Single', { env: { account: ACCOUNT, region: REGION } });
    new InstanceConnectAuditTrail(stack, 'Audit');
    const key = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'))[0] as any;
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({
      Effect: 'Allow',
      Action: 'kms:*',
      Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ACCOUNT}:root`]] } },
      Resource: '*',
    }));
    expect(JSON.stringify(key.Properties.KeyPolicy.Statement.filter((s: any) => s.Effect === 'Deny'))).not.toMatch(/PutKeyPolicy|DisableKey|ScheduleKeyDeletion/);
  });
});
