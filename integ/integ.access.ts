import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { InstanceConnectAccess } from '../lib';

/*
 * The L3: the endpoint, the network path to a private Amazon Linux 2023 instance, an operator role (data plane),
 * the control-plane role and the audit trail, with deploy-time checks that IAM really separates the two planes and
 * that the trail records.
 *
 * Deploy (needs an AWS account, see docs/testing.md, "Integration tests"):
 *   npx cdk deploy --app "npx ts-node -P test/tsconfig.json --prefer-ts-exts integ/integ.access.ts" --all
 */
const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
const stack = new Stack(app, 'InstanceConnectAccessInteg');

/** The range operators connect from; a documentation range (RFC 5737), as nobody should really be there. */
const OFFICE = '203.0.113.0/24';
const OPERATOR_IP = '203.0.113.7';

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

const access = new InstanceConnectAccess(stack, 'Access', { vpc });
access.allowConnectionsTo(instance);
const operator = access.addOperatorRole('Operator', {
  instances: [instance],
  osUsers: ['ec2-user'],
  sourceIpRanges: [OFFICE],
});

new CfnOutput(stack, 'OperatorRoleArn', { value: operator.roleArn });
new CfnOutput(stack, 'SshCommand', { value: access.sshCommand(instance) });

const integ = new IntegTest(app, 'Access', { testCases: [stack] });

integ.assertions.awsApiCall('EC2', 'describeInstanceConnectEndpoints', {
  InstanceConnectEndpointIds: [access.endpoint.instanceConnectEndpointId],
}).expect(ExpectedResult.objectLike({
  InstanceConnectEndpoints: Match.arrayWith([Match.objectLike({
    State: 'create-complete',
    SecurityGroupIds: [access.endpoint.connections.securityGroups[0].securityGroupId],
    PreserveClientIp: false,
  })]),
})).waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(30) });

// IAM's own policy simulator, on the deployed roles: what the AWS CLI sends when it opens an SSH tunnel.
const tunnelRequest = {
  ActionNames: ['ec2-instance-connect:OpenTunnel'],
  ResourceArns: [access.endpoint.instanceConnectEndpointArn],
  ContextEntries: [
    { ContextKeyName: 'ec2-instance-connect:remotePort', ContextKeyValues: ['22'], ContextKeyType: 'numeric' },
    { ContextKeyName: 'ec2-instance-connect:privateIpAddress', ContextKeyValues: [instance.instancePrivateIp], ContextKeyType: 'ip' },
    { ContextKeyName: 'ec2-instance-connect:maxTunnelDuration', ContextKeyValues: ['3600'], ContextKeyType: 'numeric' },
    { ContextKeyName: 'aws:SourceIp', ContextKeyValues: [OPERATOR_IP], ContextKeyType: 'ip' },
  ],
};
const decision = (evalDecision: string) => ExpectedResult.objectLike({
  EvaluationResults: [Match.objectLike({ EvalActionName: 'ec2-instance-connect:OpenTunnel', EvalDecision: evalDecision })],
});

// The operator may open a tunnel to its instance from the office...
const operatorTunnel = integ.assertions.awsApiCall('IAM', 'simulatePrincipalPolicy', {
  PolicySourceArn: operator.roleArn,
  ...tunnelRequest,
}).expect(decision('allowed'));
// ...and the control-plane role may not, whatever it is granted elsewhere (an explicit deny).
const controlPlaneTunnel = integ.assertions.awsApiCall('IAM', 'simulatePrincipalPolicy', {
  PolicySourceArn: access.controlPlaneRole.roleArn,
  ...tunnelRequest,
}).expect(decision('explicitDeny'));
// The operator may not delete the endpoint (an explicit deny of the control plane).
const operatorDelete = integ.assertions.awsApiCall('IAM', 'simulatePrincipalPolicy', {
  PolicySourceArn: operator.roleArn,
  ActionNames: ['ec2:DeleteInstanceConnectEndpoint'],
  ResourceArns: [access.endpoint.instanceConnectEndpointArn],
}).expect(ExpectedResult.objectLike({
  EvaluationResults: [Match.objectLike({ EvalDecision: 'explicitDeny' })],
}));
for (const call of [operatorTunnel, controlPlaneTunnel, operatorDelete]) {
  // The simulator reads the role's policies with the caller's permissions.
  call.provider.addToRolePolicy({
    Effect: 'Allow',
    Action: ['iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:GetPolicy', 'iam:GetPolicyVersion'],
    Resource: ['*'],
  });
}

// The audit trail InstanceConnectAccess defines by default is recording (tunnels and key pushes are its events).
const trailArn = access.auditTrail?.trailArn;
if (!trailArn) {
  throw new Error('InstanceConnectAccess defined no audit trail: this test expects the default, a new trail');
}
integ.assertions.awsApiCall('CloudTrail', 'getTrailStatus', { Name: trailArn })
  .expect(ExpectedResult.objectLike({ IsLogging: true }));

app.synth();
