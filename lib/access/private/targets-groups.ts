import { Annotations, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct } from 'constructs';
import { NetworkPaths } from './network-paths';
import { IInstanceConnectEndpoint } from '../../endpoint/instance-connect-endpoint';
import { show, validationError } from '../../private/errors';
import { protectAsTargetsGroup } from '../../private/protected-tag';

/** Security groups a network interface may have by default (an adjustable quota); each targets group takes one. */
const SECURITY_GROUPS_PER_INTERFACE = 5;

/** What the targets groups need from their `InstanceConnectAccess`. */
export interface TargetsGroupsProps {
  readonly vpc: ec2.IVpc;
  readonly endpoint: IInstanceConnectEndpoint;
  readonly preserveClientIp: boolean;
  /** Where every network path is recorded. */
  readonly paths: NetworkPaths;
}

/**
 * The network path from the endpoint to its targets: one shared "Instance Connect targets" security group per port
 * (so rules do not grow with the number of targets, and a target admits only the ports it was allowed), the check
 * that targets are in the endpoint's VPC, and the warning when a target runs out of security-group slots.
 */
export class TargetsGroups {
  private readonly groups = new Map<string, ec2.SecurityGroup>();
  private readonly joined = new Map<string, Set<ec2.IConnectable>>();
  private resolvedVpcId?: string;

  constructor(private readonly scope: Construct, private readonly props: TargetsGroupsProps) {}

  /** Instances, Auto Scaling groups and launch templates join the port's group; other connectables get rules of their own. */
  public allow(target: ec2.IConnectable, port: ec2.Port): void {
    this.assertInVpc(target);
    this.props.paths.add(target, port);
    const joinable = target as unknown as { addSecurityGroup?: (sg: ec2.ISecurityGroup) => void };
    if (typeof joinable.addSecurityGroup !== 'function') {
      this.props.endpoint.allowConnectionsTo(target, port);
      return;
    }
    const group = this.groupOf(port);
    const joined = this.joined.get(port.toString())!;
    if (joined.has(target)) {
      return;
    }
    joined.add(target);
    joinable.addSecurityGroup(group);
    const groups = target.connections.securityGroups.length;
    if (groups > SECURITY_GROUPS_PER_INTERFACE) {
      Annotations.of(this.scope).addWarningV2('cdk-instance-connect-access:securityGroupSlots',
        `allowConnectionsTo target ${pathOf(target)} now has ${groups} security groups, ` +
        `more than the ${SECURITY_GROUPS_PER_INTERFACE} a network interface takes by default: raise the quota, or allow fewer ports`);
    }
  }

  /** The group of `port`, for members defined elsewhere to join: a path to any address of the group's members. */
  public groupFor(port: ec2.Port): ec2.SecurityGroup {
    const group = this.groupOf(port);
    this.props.paths.add(group, port);
    return group;
  }

  /**
   * The shared targets group of `port`, with the endpoint's rules to it. SSH's keeps the plain ID
   * `TargetsSecurityGroup` it has always had: renaming it would replace the group in every deployed app.
   */
  private groupOf(port: ec2.Port): ec2.SecurityGroup {
    const key = port.toString();
    let group = this.groups.get(key);
    if (!group) {
      const rule = port.toRuleJson() as { ipProtocol: string; fromPort?: number; toPort?: number };
      const isSsh = rule.ipProtocol === 'tcp' && rule.fromPort === 22 && rule.toPort === 22;
      const name = `${rule.ipProtocol}${rule.fromPort ?? ''}${rule.toPort !== rule.fromPort ? `-${rule.toPort}` : ''}`.replace(/[^A-Za-z0-9]/g, '');
      group = new ec2.SecurityGroup(this.scope, isSsh ? 'TargetsSecurityGroup' : `TargetsSecurityGroup${name.charAt(0).toUpperCase()}${name.slice(1)}`, {
        vpc: this.props.vpc,
        description: `Instance Connect targets on ${key}: inbound from the EC2 Instance Connect Endpoint only`,
        allowAllOutbound: false,
      });
      protectAsTargetsGroup(group);
      this.groups.set(key, group);
      this.joined.set(key, new Set());
      this.props.endpoint.allowConnectionsTo(group, port);
    }
    return group;
  }

  /** Targets must be in the endpoint's VPC: for the shared group, and for client IP preservation. */
  private assertInVpc(target: ec2.IConnectable): void {
    const stack = Stack.of(this.scope);
    for (const group of target.connections.securityGroups) {
      const cfn = group.node.defaultChild;
      // Only groups of this stack can be compared (resolving is costly: a fleet of 1,000 targets does it per target).
      if (!(cfn instanceof ec2.CfnSecurityGroup) || cfn.vpcId === undefined || Stack.of(cfn) !== stack) {
        continue;
      }
      this.resolvedVpcId ??= JSON.stringify(stack.resolve(this.props.vpc.vpcId));
      if (JSON.stringify(stack.resolve(cfn.vpcId)) !== this.resolvedVpcId) {
        throw validationError(this.scope,
          `allowConnectionsTo target ${pathOf(target)} is not in vpc ${this.props.vpc.node.path}` +
          (this.props.preserveClientIp
            ? ': with preserveClientIp the targets must be in the endpoint\'s VPC'
            : ': the endpoint reaches targets through security groups of its own VPC'));
      }
    }
  }
}

function pathOf(target: unknown): string {
  return (target as Partial<IConstruct>).node?.path ?? show(target);
}
