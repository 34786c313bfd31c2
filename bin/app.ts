import { App, CfnOutput, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { InstanceConnectAccess, InstanceConnectAccessReport, InstanceConnectChecks } from '../lib';

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
      detailedMonitoring: true,
      disableApiTermination: true,
      blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true }) }],
    });
    const web = instance('Web');
    const worker = instance('Worker');

    const access = new InstanceConnectAccess(this, 'Access', { vpc });
    access.allowConnectionsTo(web);
    access.allowConnectionsTo(worker);

    // The on-call operator may open SSH sessions to the web instance only, as ec2-user, from the office.
    const onCall = access.addOperatorRole('OnCall', {
      instances: [web],
      osUsers: ['ec2-user'],
      sourceIpRanges: ['203.0.113.0/24'],
    });

    new CfnOutput(this, 'OnCallRoleArn', { value: onCall.roleArn });
    new CfnOutput(this, 'ControlPlaneRoleArn', { value: access.controlPlaneRole.roleArn });
    new CfnOutput(this, 'SshCommand', { value: access.sshCommand(web) });
    new CfnOutput(this, 'OpenTunnelCommand', { value: access.openTunnelCommand(web) });
  }
}

const app = new App();
new InstanceConnectExampleStack(app, 'InstanceConnectExample');
// Every finding fails `cdk synth`; the library acknowledges only what AWS forces, each with its reason.
// It also writes the access review (who can reach what) into cdk.out: docs/access-reviews.md.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new InstanceConnectChecks(app), new InstanceConnectAccessReport());
app.synth();
