import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** The context key that makes aws-cdk-lib's CloudFormation validation fail synthesis instead of warning. */
export const STRICT_VALIDATION = { '@aws-cdk/core:validateAgainstDefaultRules': true };

/** An app with strict CloudFormation validation on, as the example app and CI use. */
export function strictApp(): App {
  return new App({ context: STRICT_VALIDATION });
}

/** A stack in a strict app, with a concrete environment so ARNs and AZs render predictably. */
export function testStack(id = 'Test'): Stack {
  return new Stack(strictApp(), id, { env: { account: '111122223333', region: 'us-east-1' } });
}

/** A VPC with public, private-with-egress and isolated subnets in two AZs. */
export function testVpc(stack: Stack, id = 'Vpc'): ec2.Vpc {
  return new ec2.Vpc(stack, id, {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
}

/** A private Amazon Linux 2023 instance. */
export function testInstance(stack: Stack, vpc: ec2.IVpc, id = 'Instance'): ec2.Instance {
  return new ec2.Instance(stack, id, {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
    machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    requireImdsv2: true,
  });
}

/** Synthesizes the whole app: strict CloudFormation validation throws on an invalid template. */
export function synthStrict(stack: Stack): void {
  const app = stack.node.root as App;
  app.synth();
}
