/**
 * The organisation's model evaluated end to end: the permission set's policy as the role Identity Center makes in
 * each account, the guardrails as SCPs on the workloads OU, and other principals of those accounts with the rights
 * they might have. Two accounts, two teams (web and db), attribute-based access by the person's `team`.
 */
import { ACCOUNT_A, ACCOUNT_B, buildOrganization, Caller, decide, MANAGEMENT, OFFICE_IP } from './org-world';
import { Expected, Request } from '../iam/simulate';

const org = buildOrganization();

const ssoRole = (account: string, name: string, region = '') =>
  `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/${region}AWSReservedSSO_${name}_0123456789abcdef`;
const admin = { name: 'admin', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
const eicEverything = { name: 'eic', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ec2-instance-connect:*', 'ec2:*'], Resource: '*' }] } };

const taggingRights = { name: 'tagging', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ec2:CreateTags', 'ec2:DeleteTags'], Resource: '*' }] } };
const people = (account: string, team: string | undefined, region = ''): Caller => ({
  name: `${team ?? 'no-team'} operator in ${account}`,
  arn: ssoRole(account, 'InstanceConnect', region),
  account,
  policies: [{ name: 'permission-set', policy: org.permissionSetPolicy }],
  tags: team ? { team } : {},
});
const CALLERS: Record<string, Caller> = {
  webInA: people(ACCOUNT_A, 'web'),
  webInB: people(ACCOUNT_B, 'web'),
  dbInA: people(ACCOUNT_A, 'db'),
  webInARegional: people(ACCOUNT_A, 'web', 'eu-west-1/'),
  // With ordinary tagging rights besides the permission set, where no guardrail applies.
  webUnguarded: {
    ...people(MANAGEMENT, 'web'),
    name: 'web operator with tagging rights in an account without the guardrails',
    unguarded: true,
    policies: [{ name: 'permission-set', policy: org.permissionSetPolicy }, taggingRights],
  },
  noTeamInA: people(ACCOUNT_A, undefined),
  rogue: { name: 'a role of account A with ec2-instance-connect:* and ec2:*', arn: `arn:aws:iam::${ACCOUNT_A}:role/AppTeam`, account: ACCOUNT_A, policies: [eicEverything] },
  otherPermissionSet: { name: 'the Admins permission set', arn: ssoRole(ACCOUNT_A, 'Admins'), account: ACCOUNT_A, policies: [admin] },
  deployer: { name: 'the deployment role', arn: `arn:aws:iam::${ACCOUNT_A}:role/Deployer`, account: ACCOUNT_A, policies: [admin] },
  stackSets: { name: 'the StackSets execution role', arn: `arn:aws:iam::${ACCOUNT_B}:role/stacksets-exec-0123456789abcdef0123456789abcdef`, account: ACCOUNT_B, policies: [admin] },
  cdk: { name: 'the CDK execution role', arn: `arn:aws:iam::${ACCOUNT_A}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT_A}-us-east-1`, account: ACCOUNT_A, policies: [admin] },
  breakGlass: { name: 'the break-glass role', arn: `arn:aws:iam::${ACCOUNT_B}:role/BreakGlass`, account: ACCOUNT_B, policies: [admin] },
};

const arn = (account: string, type: string, id: string, service = 'ec2') => `arn:aws:${service}:us-east-1:${account}:${type}${type.endsWith(':') ? '' : '/'}${id}`;
const endpointTag = { 'aws:ResourceTag/instance-connect-access:endpoint': 'true' };
const tunnel = (account: string, extra: Record<string, string> = {}, tags: Record<string, string> = endpointTag): Request => ({
  action: 'ec2-instance-connect:OpenTunnel',
  resource: arn(account, 'instance-connect-endpoint', 'eice-0123456789abcdef0'),
  context: {
    'ec2-instance-connect:remotePort': '22',
    'ec2-instance-connect:privateIpAddress': '10.0.64.10',
    'ec2-instance-connect:maxTunnelDuration': '3600',
    'aws:SourceIp': OFFICE_IP,
    ...tags,
    ...extra,
  },
});
const pushKey = (account: string, tags: Record<string, string>, osUser = 'ec2-user', extra: Record<string, string> = {}): Request => ({
  action: 'ec2-instance-connect:SendSSHPublicKey',
  resource: arn(account, 'instance', 'i-0123456789abcdef0'),
  context: { 'ec2:osuser': osUser, 'aws:SourceIp': OFFICE_IP, ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v])), ...extra },
});
const serial = (account: string): Request => ({ ...pushKey(account, { team: 'web' }), action: 'ec2-instance-connect:SendSerialConsoleSSHPublicKey' });
const tag = (account: string, keys: string[] | undefined, action = 'ec2:CreateTags', resource = arn(account, 'instance', 'i-0123456789abcdef0')): Request =>
  ({ action, resource, context: keys ? { 'aws:TagKeys': keys } : {} });
const call = (action: string, resource: string, context: Record<string, string> = {}): Request => ({ action, resource, context });
const endpointArn = (account: string) => arn(account, 'instance-connect-endpoint', 'eice-0123456789abcdef0');
const trailArn = (account: string) => arn(account, 'trail', 'org-trail', 'cloudtrail');
const keyArn = (account: string) => arn(account, 'key', '0f0e0d0c-0000-4000-8000-000000000000', 'kms');
const auditKey = { 'aws:ResourceTag/instance-connect-access:protected': 'true' };

const CASES: Array<[string, keyof typeof CALLERS, Request, Expected]> = [
  // The permission set: key pushes follow the person's team; tunnels follow the endpoint's tag only.
  ['pushes a key to an instance of its team', 'webInA', pushKey(ACCOUNT_A, { team: 'web' }), 'Allowed'],
  ['pushes a key to an instance of its team in the other account', 'webInB', pushKey(ACCOUNT_B, { team: 'web' }), 'Allowed'],
  ['the db team pushes a key to a db instance', 'dbInA', pushKey(ACCOUNT_A, { team: 'db' }), 'Allowed'],
  ['pushes a key to another team\'s instance', 'webInA', pushKey(ACCOUNT_A, { team: 'db' }), 'ImplicitlyDenied'],
  ['the db team pushes a key to a web instance', 'dbInA', pushKey(ACCOUNT_A, { team: 'web' }), 'ImplicitlyDenied'],
  ['pushes a key to an untagged instance', 'webInA', pushKey(ACCOUNT_A, {}), 'ImplicitlyDenied'],
  ['a person without the team attribute pushes a key to a web instance', 'noTeamInA', pushKey(ACCOUNT_A, { team: 'web' }), 'ImplicitlyDenied'],
  ['a person without the team attribute pushes a key to an untagged instance', 'noTeamInA', pushKey(ACCOUNT_A, {}), 'ImplicitlyDenied'],
  ['pushes a key for root', 'webInA', pushKey(ACCOUNT_A, { team: 'web' }, 'root'), 'ExplicitlyDenied'],
  ['pushes a key for another OS user', 'webInA', pushKey(ACCOUNT_A, { team: 'web' }, 'ubuntu'), 'ImplicitlyDenied'],
  ['pushes a key from outside the office', 'webInA', pushKey(ACCOUNT_A, { team: 'web' }, 'ec2-user', { 'aws:SourceIp': '198.51.100.9' }), 'ImplicitlyDenied'],
  ['a regional Identity Center role (…/sso.amazonaws.com/<region>/…) pushes a key', 'webInARegional', pushKey(ACCOUNT_A, { team: 'web' }), 'Allowed'],
  ['tunnels through a tagged endpoint', 'webInA', tunnel(ACCOUNT_A), 'Allowed'],
  ['tunnels through a tagged endpoint of the other account', 'webInB', tunnel(ACCOUNT_B), 'Allowed'],
  ['tunnels through an untagged endpoint', 'webInA', tunnel(ACCOUNT_A, {}, {}), 'ImplicitlyDenied'],
  ['tunnels through an endpoint tagged false', 'webInA', tunnel(ACCOUNT_A, {}, { 'aws:ResourceTag/instance-connect-access:endpoint': 'false' }), 'ImplicitlyDenied'],
  ['tunnels on port 3389', 'webInA', tunnel(ACCOUNT_A, { 'ec2-instance-connect:remotePort': '3389' }), 'ImplicitlyDenied'],
  ['tunnels for two hours', 'webInA', tunnel(ACCOUNT_A, { 'ec2-instance-connect:maxTunnelDuration': '7200' }), 'ImplicitlyDenied'],
  ['tunnels from outside the office', 'webInA', tunnel(ACCOUNT_A, { 'aws:SourceIp': '198.51.100.9' }), 'ImplicitlyDenied'],
  // What the tags cannot narrow, stated: the endpoint is the db team's too.
  ['the web team tunnels to a db instance\'s address: allowed, OpenTunnel sees only the endpoint\'s tags', 'webInA',
    tunnel(ACCOUNT_A, { 'ec2-instance-connect:privateIpAddress': '10.0.96.20' }), 'Allowed'],
  ['tags an instance with its team, in any case', 'webInA', tag(ACCOUNT_A, ['TEAM']), 'ExplicitlyDenied'],
  ['deletes every tag of an instance', 'webInA', tag(ACCOUNT_A, undefined, 'ec2:DeleteTags'), 'ExplicitlyDenied'],
  ['deletes an endpoint', 'webInA', call('ec2:DeleteInstanceConnectEndpoint', endpointArn(ACCOUNT_A)), 'ExplicitlyDenied'],
  ['pushes a serial-console key', 'webInA', serial(ACCOUNT_A), 'ExplicitlyDenied'],
  ['describes instances from the office', 'webInA', call('ec2:DescribeInstances', '*', { 'aws:SourceIp': OFFICE_IP }), 'Allowed'],
  ['describes instances from outside the office', 'webInA', call('ec2:DescribeInstances', '*', { 'aws:SourceIp': '198.51.100.9' }), 'ImplicitlyDenied'],
  // Where no guardrail applies (the management account, an OU without them), the permission set's own denies hold.
  ['tags an instance TEAM=web, without guardrails', 'webUnguarded', tag(MANAGEMENT, ['TEAM']), 'ExplicitlyDenied'],
  ['deletes every tag of an instance, without guardrails', 'webUnguarded', tag(MANAGEMENT, undefined, 'ec2:DeleteTags'), 'ExplicitlyDenied'],
  ['deletes an endpoint, without guardrails', 'webUnguarded', call('ec2:DeleteInstanceConnectEndpoint', endpointArn(MANAGEMENT)), 'ExplicitlyDenied'],
  ['pushes a key to an instance of its team, without guardrails', 'webUnguarded', pushKey(MANAGEMENT, { team: 'web' }), 'Allowed'],
  ['still tags an instance Name=…, without guardrails', 'webUnguarded', tag(MANAGEMENT, ['Name']), 'Allowed'],
  ['still removes a Name tag, without guardrails', 'webUnguarded', tag(MANAGEMENT, ['Name'], 'ec2:DeleteTags'), 'Allowed'],

  // Another principal of the account, even with ec2-instance-connect:* on *, is stopped by the guardrails.
  ['opens a tunnel', 'rogue', tunnel(ACCOUNT_A), 'ExplicitlyDenied'],
  ['pushes a key', 'rogue', pushKey(ACCOUNT_A, { team: 'web' }), 'ExplicitlyDenied'],
  ['pushes a serial-console key', 'rogue', serial(ACCOUNT_A), 'ExplicitlyDenied'],
  ['tags an instance team=web to reach it', 'rogue', tag(ACCOUNT_A, ['team']), 'ExplicitlyDenied'],
  ['tags an instance TEAM=web', 'rogue', tag(ACCOUNT_A, ['TEAM']), 'ExplicitlyDenied'],
  ['tags an instance Team=web among other keys', 'rogue', tag(ACCOUNT_A, ['Name', 'Team']), 'ExplicitlyDenied'],
  ['tags an endpoint for the permission set', 'rogue', tag(ACCOUNT_A, ['instance-connect-access:endpoint'], 'ec2:CreateTags', endpointArn(ACCOUNT_A)), 'ExplicitlyDenied'],
  ['puts a fleet grant\'s tag on an instance', 'rogue', tag(ACCOUNT_A, ['instance-connect-access:grant:OnCallGrant']), 'ExplicitlyDenied'],
  ['removes the team tag', 'rogue', tag(ACCOUNT_A, ['team'], 'ec2:DeleteTags'), 'ExplicitlyDenied'],
  ['deletes every tag of an instance (no key list)', 'rogue', tag(ACCOUNT_A, undefined, 'ec2:DeleteTags'), 'ExplicitlyDenied'],
  ['tags an Auto Scaling group team=web', 'rogue', tag(ACCOUNT_A, ['team'], 'autoscaling:CreateOrUpdateTags',
    `arn:aws:autoscaling:us-east-1:${ACCOUNT_A}:autoScalingGroup:0f0f0f0f-0000-4000-8000-000000000000:autoScalingGroupName/web`), 'ExplicitlyDenied'],
  ['still tags an instance Name=…', 'rogue', tag(ACCOUNT_A, ['Name']), 'Allowed'],
  ['still removes a Name tag', 'rogue', tag(ACCOUNT_A, ['Name'], 'ec2:DeleteTags'), 'Allowed'],
  ['creates an endpoint', 'rogue', call('ec2:CreateInstanceConnectEndpoint', arn(ACCOUNT_A, 'instance-connect-endpoint', '*')), 'ExplicitlyDenied'],
  ['modifies an endpoint', 'rogue', call('ec2:ModifyInstanceConnectEndpoint', endpointArn(ACCOUNT_A)), 'ExplicitlyDenied'],
  ['deletes an endpoint', 'rogue', call('ec2:DeleteInstanceConnectEndpoint', endpointArn(ACCOUNT_A)), 'ExplicitlyDenied'],
  ['still describes instances', 'rogue', call('ec2:DescribeInstances', '*'), 'Allowed'],
  ['the Admins permission set opens a tunnel', 'otherPermissionSet', tunnel(ACCOUNT_A), 'ExplicitlyDenied'],
  ['the Admins permission set stops the trail', 'otherPermissionSet', call('cloudtrail:StopLogging', trailArn(ACCOUNT_A)), 'ExplicitlyDenied'],
  ['the Admins permission set deletes the trail', 'otherPermissionSet', call('cloudtrail:DeleteTrail', trailArn(ACCOUNT_A)), 'ExplicitlyDenied'],
  ['the Admins permission set narrows the trail\'s event selectors', 'otherPermissionSet', call('cloudtrail:PutEventSelectors', trailArn(ACCOUNT_A)), 'ExplicitlyDenied'],
  ['the Admins permission set updates the trail', 'otherPermissionSet', call('cloudtrail:UpdateTrail', trailArn(ACCOUNT_A)), 'ExplicitlyDenied'],
  ['the Admins permission set disables an audit key', 'otherPermissionSet', call('kms:DisableKey', keyArn(ACCOUNT_A), auditKey), 'ExplicitlyDenied'],
  ['the Admins permission set schedules an audit key\'s deletion', 'otherPermissionSet', call('kms:ScheduleKeyDeletion', keyArn(ACCOUNT_A), auditKey), 'ExplicitlyDenied'],
  ['the Admins permission set disables another key', 'otherPermissionSet', call('kms:DisableKey', keyArn(ACCOUNT_A)), 'Allowed'],
  ['the Admins permission set reads the trail\'s status', 'otherPermissionSet', call('cloudtrail:GetTrailStatus', trailArn(ACCOUNT_A)), 'Allowed'],

  // The roles that deploy the model do their jobs, and no more.
  ['the deployment role tags an instance team=web', 'deployer', tag(ACCOUNT_A, ['team']), 'Allowed'],
  ['the deployment role tags instances for a fleet grant', 'deployer', tag(ACCOUNT_A, ['instance-connect-access:grant:OnCallGrant']), 'Allowed'],
  ['the deployment role deletes every tag of an instance', 'deployer', tag(ACCOUNT_A, undefined, 'ec2:DeleteTags'), 'Allowed'],
  ['the deployment role deletes an endpoint', 'deployer', call('ec2:DeleteInstanceConnectEndpoint', endpointArn(ACCOUNT_A)), 'Allowed'],
  ['the deployment role updates the trail', 'deployer', call('cloudtrail:UpdateTrail', trailArn(ACCOUNT_A)), 'Allowed'],
  ['the deployment role schedules an audit key\'s deletion', 'deployer', call('kms:ScheduleKeyDeletion', keyArn(ACCOUNT_A), auditKey), 'Allowed'],
  ['the Admins permission set replaces the resource policy that lets EventBridge write the event log', 'otherPermissionSet', call('logs:PutResourcePolicy', '*'), 'ExplicitlyDenied'],
  ['the deployment role replaces that resource policy', 'deployer', call('logs:PutResourcePolicy', '*'), 'Allowed'],
  ['the Admins permission set opens a targets group to the internet', 'otherPermissionSet',
    call('ec2:AuthorizeSecurityGroupIngress', arn(ACCOUNT_A, 'security-group', 'sg-0123456789abcdef0'), { 'aws:ResourceTag/instance-connect-access:protected': 'targets' }), 'ExplicitlyDenied'],
  ...(['events:PutTargets|events:TargetArn|rule/mine', 'logs:PutDeliveryDestination|logs:DeliveryDestinationResourceArn|delivery-destination:mine'].flatMap(spec => {
    const [action, key, resource] = spec.split('|');
    const on = arn(ACCOUNT_A, resource.split(/[/:]/)[0], resource.split(/[/:]/)[1], action.split(':')[0]).replace('delivery-destination/', 'delivery-destination:');
    const eventLog = `arn:aws:logs:us-east-1:${ACCOUNT_A}:log-group:/aws/events/instance-connect/Access`;
    return [
      [`the Admins permission set aims ${action} at the event log`, 'otherPermissionSet', call(action, on, { [key]: eventLog }), 'ExplicitlyDenied'],
      [`the Admins permission set aims ${action} at an application log`, 'otherPermissionSet', call(action, on, { [key]: `arn:aws:logs:us-east-1:${ACCOUNT_A}:log-group:app` }), 'Allowed'],
      [`the deployment role aims ${action} at the event log`, 'deployer', call(action, on, { [key]: eventLog }), 'Allowed'],
    ] as Array<[string, keyof typeof CALLERS, Request, Expected]>;
  })),
  ['the deployment role changes a targets group\'s rules', 'deployer',
    call('ec2:AuthorizeSecurityGroupIngress', arn(ACCOUNT_A, 'security-group', 'sg-0123456789abcdef0'), { 'aws:ResourceTag/instance-connect-access:protected': 'targets' }), 'Allowed'],
  ['the deployment role opens a tunnel', 'deployer', tunnel(ACCOUNT_A), 'ExplicitlyDenied'],
  ['the StackSets execution role creates an endpoint', 'stackSets', call('ec2:CreateInstanceConnectEndpoint', arn(ACCOUNT_B, 'instance-connect-endpoint', '*')), 'Allowed'],
  ['the StackSets execution role tags an endpoint', 'stackSets', tag(ACCOUNT_B, ['instance-connect-access:endpoint'], 'ec2:CreateTags', endpointArn(ACCOUNT_B)), 'Allowed'],
  ['the StackSets execution role creates the trail\'s selectors', 'stackSets', call('cloudtrail:PutEventSelectors', trailArn(ACCOUNT_B)), 'Allowed'],
  ['the StackSets execution role pushes a key', 'stackSets', pushKey(ACCOUNT_B, { team: 'web' }), 'ExplicitlyDenied'],
  // Not exempt by default: anyone who may operate a stack acts as its role (test/organization/guardrails-matrix.test.ts).
  ['the CDK execution role modifies an endpoint', 'cdk', call('ec2:ModifyInstanceConnectEndpoint', endpointArn(ACCOUNT_A)), 'ExplicitlyDenied'],
  ['the CDK execution role tags an instance team=db', 'cdk', tag(ACCOUNT_A, ['team']), 'ExplicitlyDenied'],
  ['the CDK execution role opens a tunnel', 'cdk', tunnel(ACCOUNT_A), 'ExplicitlyDenied'],
  ['break-glass opens a tunnel', 'breakGlass', tunnel(ACCOUNT_B), 'Allowed'],
  ['break-glass pushes a serial-console key', 'breakGlass', serial(ACCOUNT_B), 'Allowed'],
  ['break-glass tags an instance team=web', 'breakGlass', tag(ACCOUNT_B, ['team']), 'Allowed'],
  ['break-glass stops the trail', 'breakGlass', call('cloudtrail:StopLogging', trailArn(ACCOUNT_B)), 'Allowed'],
];

describe('the organisation: permission set, guardrails and the principals of two accounts', () => {
  test('at least 60 requests', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });

  test.each(CASES.map(([name, caller, request, expected]) => [`${CALLERS[caller].name}: ${name}`, caller, request, expected] as const))(
    '%s', async (_name, caller, request, expected) => {
      expect(await decide(org, CALLERS[caller], request)).toEqual(expected);
    });
});

describe('every statement and condition of the permission set and the guardrails is load-bearing', () => {
  const mutations: Array<[string, () => void, () => void]> = [];
  const documents: Array<[string, any]> = [['permission set', org.permissionSetPolicy], ...org.scps.map((d, i) => [`guardrails ${i}`, d] as [string, any])];
  for (const [name, document] of documents) {
    const statements = document.Statement as any[];
    statements.forEach((statement, i) => {
      if (statement.Effect === 'Deny') {
        mutations.push([`dropping ${name} ${statement.Sid}`, () => { statements.splice(statements.indexOf(statement), 1); }, () => { statements.splice(i, 0, statement); }]);
      }
      for (const [operator, keys] of Object.entries<any>(statement.Condition ?? {})) {
        for (const key of Object.keys(keys)) {
          const value = keys[key];
          mutations.push([`dropping ${operator} ${key} from ${name} ${statement.Sid}`, () => { delete keys[key]; }, () => { keys[key] = value; }]);
        }
      }
    });
  }

  test.each(mutations.map(([what, drop, restore]) => [what, drop, restore] as const))('%s is caught', async (_what, drop, restore) => {
    drop();
    try {
      const answers = await Promise.all(CASES.map(([, caller, request]) => decide(org, CALLERS[caller], request)));
      expect(answers.filter((answer, i) => answer !== CASES[i][3]).length).toBeGreaterThan(0);
    } finally {
      restore();
    }
  });
});
