// The consumer's stack: what a new user writes after reading the README's first example.
import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { InstanceConnectAccess } from 'cdk-instance-connect-access';

export class ConsumerStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    const web = new ec2.Instance(this, 'Web', {
      vpc,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
    const access = new InstanceConnectAccess(this, 'Access', { vpc });
    access.allowConnectionsTo(web);
    const onCall = access.addOperatorRole('OnCall', { instances: [web], osUsers: ['ec2-user'], sourceIpRanges: ['203.0.113.0/24'] });
    new CfnOutput(this, 'Ssh', { value: access.sshCommand(web) });
    new CfnOutput(this, 'OnCallRoleArn', { value: onCall.roleArn });
  }
}
