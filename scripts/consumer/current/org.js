// The README's organisation example as a plain JavaScript app: the management account's permission set, guardrails
// and StackSet, and the security account's central alerts, under the compliance packs. PLANT=1 plants a finding in
// the baseline (an S3 bucket without access logs or TLS enforcement), which must fail `cdk synth`.
const cdk = require('aws-cdk-lib');
const s3 = require('aws-cdk-lib/aws-s3');
const { AwsSolutionsChecks } = require('cdk-nag');
const {
  IdentityCenterPrincipal, InstanceConnectCentralAlerts, InstanceConnectChecks, InstanceConnectGuardrails,
  InstanceConnectPermissionSet, InstanceConnectStackSet,
} = require('cdk-instance-connect-access');

const app = new cdk.App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });

const security = new cdk.Stack(app, 'ConsumerSecurity', { env: { account: '222222222222', region: 'eu-west-1' } });
new InstanceConnectCentralAlerts(security, 'Central', { organizationId: 'o-a1b2c3d4e5' });

const management = new cdk.Stack(app, 'ConsumerOrg', { env: { account: '999988887777', region: 'eu-west-1' } });
const operators = new InstanceConnectPermissionSet(management, 'Operators', {
  instanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef',
  name: 'InstanceConnect',
  osUsers: ['ec2-user'],
  instanceTagAttributes: { team: 'team' },
  sourceIpRanges: ['203.0.113.0/24'],
  privateIpAddresses: ['10.0.0.0/8'],
});
operators.assign(IdentityCenterPrincipal.group('0123456789-a1b2c3d4-0000-0000-0000-000000000000'), ['111122223333', '444455556666']);
new InstanceConnectGuardrails(management, 'Guardrails', {
  targetIds: ['ou-ab12-cdefgh34'],
  connectPermissionSets: ['InstanceConnect'],
  accessTagKeys: ['team', 'instance-connect-access:endpoint'],
  deploymentRoles: ['arn:aws:iam::*:role/InstanceConnectDeployer'],
  breakGlassRoles: ['arn:aws:iam::*:role/BreakGlass'],
});
const stackSet = new InstanceConnectStackSet(management, 'InstanceConnect', {
  organizationalUnitIds: ['ou-ab12-cdef3456', 'ou-ab12-ghij7890'],
  regions: ['eu-west-1', 'eu-central-1', 'us-east-1'],
  baseline: {
    centralEventBusArn: 'arn:aws:events:eu-west-1:222222222222:event-bus/instance-connect',
    targetPorts: [22, 3389],
  },
});
if (process.env.PLANT) {
  new s3.Bucket(stackSet.baseline, 'Planted', { encryption: s3.BucketEncryption.S3_MANAGED });
}
cdk.Validations.of(stackSet.baseline).addPlugins(new AwsSolutionsChecks(stackSet.baseline), new InstanceConnectChecks(stackSet.baseline));
cdk.Validations.of(app).addPlugins(new InstanceConnectChecks(app));
app.synth();
