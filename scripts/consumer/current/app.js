// A plain JavaScript app: no TypeScript anywhere, the package's compiled JavaScript only.
const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const { InstanceConnectAccess, InstanceConnectChecks, InstanceConnectStackSet } = require('cdk-instance-connect-access');

const app = new cdk.App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
const stack = new cdk.Stack(app, 'ConsumerJs');
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
const web = new ec2.Instance(stack, 'Web', {
  vpc,
  instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
  machineImage: ec2.MachineImage.latestAmazonLinux2023(),
});
const access = new InstanceConnectAccess(stack, 'Access', { vpc });
access.allowConnectionsTo(web);
access.addOperatorRole('OnCall', { instances: [web], osUsers: ['ec2-user'], sourceIpRanges: ['203.0.113.0/24'] });
// The organisation's roll-out: the baseline is synthesized inside this synth, and must not touch this app's cdk.out.
const management = new cdk.Stack(app, 'ConsumerOrg');
new InstanceConnectStackSet(management, 'InstanceConnect', { organizationalUnitIds: ['ou-ab12-cdef3456'], regions: ['eu-west-1', 'us-east-1'] });
cdk.Validations.of(app).addPlugins(new InstanceConnectChecks(app));
app.synth();
