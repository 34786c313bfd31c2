import { App, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { InstanceConnectEndpoint } from '../lib';

/**
 * Two private Amazon Linux 2023 instances reached through one EC2 Instance Connect Endpoint: no bastion,
 * no public IP, no long-lived SSH key. Environment-agnostic, so `cdk synth` needs no AWS credentials.
 */
class InstanceConnectExampleStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // Isolated subnets only: the instances need no internet access, and neither does the endpoint.
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    });
    vpc.addFlowLog('FlowLog');

    // The standard AL2023 AMI ships the ec2-instance-connect package, so one-time keys work out of the box.
    const instance = (name: string) => new ec2.Instance(this, name, {
      vpc,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      requireImdsv2: true,
    });
    const web = instance('Web');
    const worker = instance('Worker');

    const endpoint = new InstanceConnectEndpoint(this, 'Endpoint', { vpc });
    endpoint.allowConnectionsTo(web);
    endpoint.allowConnectionsTo(worker);

    // Operators may open SSH tunnels to the web instance only (its private IP), for up to one hour.
    const operator = new iam.Role(this, 'Operator', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'May open SSH tunnels to the web instance through the EC2 Instance Connect Endpoint',
    });
    endpoint.grantOpenTunnel(operator, { privateIpAddresses: [`${web.instancePrivateIp}/32`] });

    new CfnOutput(this, 'EndpointId', { value: endpoint.instanceConnectEndpointId });
    new CfnOutput(this, 'WebInstanceId', { value: web.instanceId });
    new CfnOutput(this, 'OperatorRoleArn', { value: operator.roleArn });
  }
}

const app = new App();
new InstanceConnectExampleStack(app, 'InstanceConnectExample');
app.synth();
