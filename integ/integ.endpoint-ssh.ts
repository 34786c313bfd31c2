import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { InstanceConnectEndpoint } from '../lib';

/*
 * The L2 on its own: an EC2 Instance Connect Endpoint in an isolated VPC, the network path to one private
 * Amazon Linux 2023 instance, and deploy-time checks that the endpoint came up as synthesized.
 *
 * Deploy (needs an AWS account, see docs/testing.md, "Integration tests"):
 *   npx cdk deploy --app "npx ts-node -P test/tsconfig.json --prefer-ts-exts integ/integ.endpoint-ssh.ts" --all
 */
const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
const stack = new Stack(app, 'InstanceConnectEndpointSsh');

// Isolated subnets only: neither the instance nor the endpoint needs the internet.
const vpc = new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
});
const instance = new ec2.Instance(stack, 'Instance', {
  vpc,
  instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
  machineImage: ec2.MachineImage.latestAmazonLinux2023(),
  requireImdsv2: true,
});

const endpoint = new InstanceConnectEndpoint(stack, 'Endpoint', { vpc });
endpoint.allowConnectionsTo(instance);

const endpointSecurityGroupId = endpoint.connections.securityGroups[0].securityGroupId;
new CfnOutput(stack, 'SshCommand', {
  value: `aws ec2-instance-connect ssh --instance-id ${instance.instanceId} --connection-type eice --os-user ec2-user ` +
    `--eice-options endpointId=${endpoint.instanceConnectEndpointId}`,
});

const integ = new IntegTest(app, 'EndpointSsh', { testCases: [stack] });

// The endpoint is created in its subnet, with its own security group only, and without client IP preservation.
// Polled rather than called once, so an endpoint still settling does not fail the test.
integ.assertions.awsApiCall('EC2', 'describeInstanceConnectEndpoints', {
  InstanceConnectEndpointIds: [endpoint.instanceConnectEndpointId],
}).expect(ExpectedResult.objectLike({
  InstanceConnectEndpoints: Match.arrayWith([Match.objectLike({
    State: 'create-complete',
    SubnetId: endpoint.subnet.subnetId,
    SecurityGroupIds: [endpointSecurityGroupId],
    PreserveClientIp: false,
  })]),
})).waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(30) });

// The instance accepts SSH from the endpoint's security group, as a rule of its own.
integ.assertions.awsApiCall('EC2', 'describeSecurityGroupRules', {
  Filters: [{ Name: 'group-id', Values: [instance.connections.securityGroups[0].securityGroupId] }],
}).expect(ExpectedResult.objectLike({
  SecurityGroupRules: Match.arrayWith([Match.objectLike({
    IsEgress: false,
    IpProtocol: 'tcp',
    FromPort: 22,
    ToPort: 22,
    ReferencedGroupInfo: Match.objectLike({ GroupId: endpointSecurityGroupId }),
  })]),
}));

app.synth();
