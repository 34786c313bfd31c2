import { Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { validationError } from '../../private/errors';

/**
 * The VPC's CIDR, with the library's own error when an imported VPC lacks it (aws-cdk-lib's says only that it
 * "was not supplied").
 */
export function vpcCidrOf(scope: IConstruct, vpc: ec2.IVpc, why: string): string {
  try {
    return vpc.vpcCidrBlock;
  } catch {
    throw validationError(scope, `vpc ${vpc.node.path} was imported without vpcCidrBlock, which ${why}; ` +
      'pass vpcCidrBlock to ec2.Vpc.fromVpcAttributes (or use ec2.Vpc.fromLookup; in an InstanceConnectBaseline, set vpcCidrParameterName), ' +
      'or name the addresses with privateIpAddresses');
  }
}

/** A subnet's IPv4 CIDR, with the library's own error when an imported subnet lacks it. */
export function subnetCidrOf(scope: IConstruct, subnet: ec2.ISubnet, why: string): string {
  try {
    return subnet.ipv4CidrBlock;
  } catch {
    throw validationError(scope, `subnet ${subnet.node.path} was imported without its IPv4 CIDR, which ${why}; ` +
      'import the VPC with its subnets\' CIDRs (privateSubnetIpv4CidrBlocks and the like in ec2.Vpc.fromVpcAttributes), or use ec2.Vpc.fromLookup');
  }
}

/** Every subnet of a VPC. */
export function subnetsOf(vpc: ec2.IVpc): ec2.ISubnet[] {
  return [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets];
}

/** The subnet IDs an instance or Auto Scaling group launches into, when the template says; undefined otherwise. */
export function subnetIdsOf(target: unknown): string[] | undefined {
  const cfn = (target as Partial<IConstruct>).node?.defaultChild;
  if (cfn instanceof ec2.CfnInstance) {
    return cfn.subnetId !== undefined ? [cfn.subnetId] : undefined;
  }
  if (cfn instanceof autoscaling.CfnAutoScalingGroup && !Token.isUnresolved(cfn.vpcZoneIdentifier)) {
    return cfn.vpcZoneIdentifier;
  }
  return undefined;
}
