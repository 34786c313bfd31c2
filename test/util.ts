import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';

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

/** Instances per fleet stack: an instance and its instance profile are two of a stack's 500 resources. */
export const INSTANCES_PER_STACK = 200;

/**
 * `count` private instances in `vpc`, in fleet stacks of at most 200 that share a role and a security group each,
 * so every stack stays within CloudFormation's 500 resources. `onInstance` sees each one as it is defined.
 */
export function fleetInstances(app: App, vpc: ec2.IVpc, count: number, onInstance: (instance: ec2.Instance) => void = () => {}): Stack[] {
  const env = { account: '111122223333', region: 'us-east-1' };
  const stacks: Stack[] = [];
  for (let first = 0; first < count; first += INSTANCES_PER_STACK) {
    const stack = new Stack(app, `Instances${first}`, { env });
    stacks.push(stack);
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    const securityGroup = new ec2.SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound: false });
    for (let i = first; i < Math.min(count, first + INSTANCES_PER_STACK); i++) {
      onInstance(new ec2.Instance(stack, `Instance${i}`, {
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
        machineImage: ec2.MachineImage.latestAmazonLinux2023(),
        role,
        securityGroup,
      }));
    }
  }
  return stacks;
}
