import { CfnResource, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { resourceId } from './subjects';
import { AppIndex } from '../../private/semantics/app-index';
import { branches } from '../../private/semantics/condition-worlds';
import { field, flag, NetworkIndex } from '../../private/semantics/network-index';
import { isIpAddressOrCidr } from '../../private/validation';

/** A security group as a rule names it: a group (or a VPC, for its default group) of the app, or an ID from outside. */
export type Group = CfnResource | string;

/** Something the endpoint may connect to: an instance, or an Auto Scaling group with what it launches from. */
export interface Target {
  readonly node: CfnResource;
  readonly groups: Group[];
  /** The CIDRs its addresses come from (its subnets'), or the `<…>` of a subnet whose range synth cannot read. */
  readonly spaces: string[];
  readonly vpcs: string[];
  /** What synth cannot tell about its groups: a launch source from outside the app. */
  readonly unknown: string[];
}

/** The group a rule's peer names: the app's group (a VPC for its default group), or the resolved ID. */
export function groupOf(index: AppIndex, origin: CfnResource, peer: unknown): Group {
  if (CfnResource.isCfnResource(peer as CfnResource)) return peer as CfnResource;
  return index.resolveReference(origin, peer) ?? JSON.stringify(Stack.of(origin).resolve(peer));
}

/** The groups a resource is given; with none, its VPC's default group (the VPC stands for it). */
export function groupsOf(index: AppIndex, network: NetworkIndex, node: CfnResource, ids: unknown, subnetId: unknown): Group[] {
  // Every group any branch of an `Fn::If` can give: either can be deployed.
  const expand = (v: unknown): unknown[] => branches(v).flatMap(b => (Array.isArray(b) ? b.flatMap(expand) : b === undefined ? [] : [b]));
  // A group already found (an attached interface's, read in its own stack) is kept as it is.
  const resolve = (v: unknown) => (CfnResource.isCfnResource(v as CfnResource) ? v : Stack.of(node).resolve(v));
  const list = (Array.isArray(ids) ? ids.map(resolve) : [resolve(ids)]).flatMap(expand);
  if (list.length === 0) {
    const vpc = network.vpcOf(node, subnetId);
    return vpc ? [vpc] : [`default security group of ${index.vpcOfSubnet(node, subnetId)}`];
  }
  return list.map(id => groupOf(index, node, id));
}

/** How a subnet's IPv6 range synth cannot read is named: `rangeHolds` knows it is IPv6. */
export const IPV6_OF = '<IPv6 of subnet ';

/**
 * The CIDRs of the subnets (as `<…>` when the app does not define them or their range is not literal), IPv6 ones
 * included: an endpoint in a dual-stack subnet is dual-stack, and an instance there may have an IPv6 address.
 */
export function spacesOf(index: AppIndex, node: CfnResource, subnetIds: unknown[]): string[] {
  return subnetIds.flatMap(id => {
    const subnet = index.subnet(node, id);
    const stack = subnet ? Stack.of(subnet) : undefined;
    const cidr = subnet ? stack!.resolve(subnet.cidrBlock) : undefined;
    const v4 = typeof cidr === 'string' ? cidr : `<subnet ${subnet ? resourceId(subnet) : JSON.stringify(Stack.of(node).resolve(id))}>`;
    if (!subnet) return [v4];
    const v6 = [stack!.resolve(subnet.ipv6CidrBlock)].filter(c => c !== undefined);
    const literal = v6.filter((c): c is string => typeof c === 'string' && isIpAddressOrCidr(c));
    const hasV6 = v6.length > 0 || flag(stack!.resolve(subnet.ipv6Native)) === true || ipv6Blocked(index).has(subnet);
    return [...(cidr === undefined && flag(stack!.resolve(subnet.ipv6Native)) === true ? [] : [v4]), ...literal,
      ...(hasV6 && literal.length === 0 ? [`${IPV6_OF}${resourceId(subnet)}>`] : [])];
  });
}

const subnetsWithIpv6Blocks = new WeakMap<AppIndex, Set<CfnResource>>();

/** The subnets an `AWS::EC2::SubnetCidrBlock` of the app gives an IPv6 range. */
function ipv6Blocked(index: AppIndex): Set<CfnResource> {
  let found = subnetsWithIpv6Blocks.get(index);
  if (!found) {
    found = new Set(index.networkResources.filter((c): c is ec2.CfnSubnetCidrBlock => c instanceof ec2.CfnSubnetCidrBlock)
      .map(c => index.subnet(c, c.subnetId)).filter((s): s is ec2.CfnSubnet => s !== undefined));
    subnetsWithIpv6Blocks.set(index, found);
  }
  return found;
}

/** The app's instances and Auto Scaling groups, with the groups and subnets they get. */
export function targetsOf(index: AppIndex, network: NetworkIndex): Target[] {
  const targets: Target[] = [];
  const target = (node: CfnResource, ids: unknown[], subnets: unknown[], vpcs: string[], unknown: string[] = []) => {
    const groups = groupsOf(index, network, node, ids, subnets[0]);
    targets.push({ node, groups, spaces: spacesOf(index, node, subnets), vpcs: [...vpcs, ...vpcsOfGroups(index, groups)], unknown });
  };
  const attachments = index.networkResources.filter((c): c is ec2.CfnNetworkInterfaceAttachment => c instanceof ec2.CfnNetworkInterfaceAttachment);
  for (const instance of index.instances) {
    const stack = Stack.of(instance);
    const interfaces = asList(stack.resolve(instance.networkInterfaces)) as Array<Record<string, unknown>>;
    // An interface created apart (AWS::EC2::NetworkInterface) and attached by its ID brings its own subnet and groups.
    // So does one attached by an AWS::EC2::NetworkInterfaceAttachment.
    const attached = attachments.filter(a => index.resolveReference(a, a.instanceId) === instance)
      .map(a => index.resolveReference(a, a.networkInterfaceId));
    const enis = [...interfaces.map(i => index.resolveReference(instance, field(i, 'networkInterfaceId'))), ...attached]
      .filter((e): e is ec2.CfnNetworkInterface => e instanceof ec2.CfnNetworkInterface);
    const subnets: unknown[] = [instance.subnetId, ...interfaces.map(i => field(i, 'subnetId')), ...enis.map(e => e.subnetId)].filter(s => s !== undefined);
    // Groups on the instance replace its launch template's.
    const own = [...asList(stack.resolve(instance.securityGroupIds)), ...interfaces.flatMap(i => asList(field(i, 'groupSet'))),
      ...enis.flatMap(e => asList(Stack.of(e).resolve(e.groupSet)).map(g => groupOf(index, e, g)))];
    const spec = stack.resolve(instance.launchTemplate) as Record<string, unknown> | undefined;
    const template = spec ? network.launchTemplateOf(instance, spec) : undefined;
    // A subnet the instance does not name comes from its launch template's interfaces.
    if (subnets.length === 0 && template) subnets.push(...launchSubnetsOf(template));
    // A template from outside the app may give groups (else the default group): said, not guessed.
    const outside = spec && !template && own.length === 0 ? [launchSourceLabel(instance, spec)] : [];
    target(instance, own.length > 0 || !template ? own : launchGroupsOf(template), subnets, network.vpcsOfInstance(instance), outside);
  }
  for (const group of index.autoScalingGroups) {
    const subnets = network.subnetsOfGroup(group) ?? [];
    const sources = network.launchSourcesOf(group);
    const source = group.launchConfigurationName ?? group.launchTemplate ?? group.mixedInstancesPolicy;
    const outside = sources.length === 0 ? [launchSourceLabel(group, source)] : [];
    target(group, sources.flatMap(s => launchGroupsOf(s)), subnets, subnets.map(s => index.vpcOfSubnet(group, s)), outside);
  }
  return targets;
}

/** The VPC keys (see `AppIndex.vpcOfSubnet`) of the app's groups: a resource sits in the VPC of its security groups. */
function vpcsOfGroups(index: AppIndex, groups: Group[]): string[] {
  return groups.flatMap(g => {
    const vpc = g instanceof ec2.CfnVPC ? g : g instanceof ec2.CfnSecurityGroup ? index.resolveReference(g, g.vpcId) : undefined;
    return vpc ? [`vpc:${vpc.node.path}`] : [];
  });
}

/** The security groups a launch configuration or launch template gives. */
function launchGroupsOf(source: CfnResource): unknown[] {
  const stack = Stack.of(source);
  if (source instanceof autoscaling.CfnLaunchConfiguration) {
    return asList(stack.resolve(source.securityGroups));
  }
  if (source instanceof ec2.CfnLaunchTemplate) {
    const data = stack.resolve(source.launchTemplateData) as Record<string, unknown> | undefined;
    const interfaces = field(data, 'networkInterfaces');
    return [...asList(field(data, 'securityGroupIds')), ...(Array.isArray(interfaces) ? interfaces.flatMap(i => asList(field(i, 'groups'))) : [])];
  }
  return [];
}

function launchSourceLabel(node: CfnResource, source: unknown): string {
  return `the security groups of launch source ${JSON.stringify(Stack.of(node).resolve(source))}, from outside the app`;
}

/** The subnets a launch template's network interfaces name. */
function launchSubnetsOf(source: CfnResource): unknown[] {
  if (!(source instanceof ec2.CfnLaunchTemplate)) return [];
  const data = Stack.of(source).resolve(source.launchTemplateData) as Record<string, unknown> | undefined;
  const interfaces = field(data, 'networkInterfaces');
  return Array.isArray(interfaces) ? interfaces.map(i => field(i, 'subnetId')).filter(s => s !== undefined) : [];
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

export function label(group: Group): string {
  return typeof group === 'string' ? group : group instanceof ec2.CfnVPC ? `default of ${resourceId(group)}` : resourceId(group);
}
