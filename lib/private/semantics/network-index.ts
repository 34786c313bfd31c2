import { CfnResource, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { AppIndex } from './app-index';
import { branches, conditionNames, existsIn, inWorld, resourceCondition, World, worlds } from './condition-worlds';
import { Rule, ruleOf } from './security-group-rules';

/** Whether the app index keeps `c` for the network questions below. */
export function isNetworkResource(c: CfnResource): boolean {
  return c instanceof ec2.CfnEIP || c instanceof ec2.CfnEIPAssociation || c instanceof ec2.CfnNetworkInterface ||
    c instanceof ec2.CfnNetworkInterfaceAttachment || c instanceof ec2.CfnSubnetCidrBlock ||
    c instanceof ec2.CfnPrefixList || c instanceof autoscaling.CfnLaunchConfiguration || c.cfnResourceType === RESTRICT_DEFAULT_GROUP;
}

/** aws-cdk-lib's custom resource that strips a VPC's default security group of its rules (`restrictDefaultSecurityGroup`). */
const RESTRICT_DEFAULT_GROUP = 'Custom::VpcRestrictDefaultSG';

/** The value of a camelCase field of a resolved struct, in either letter case. */
export function field(o: Record<string, unknown> | undefined, name: string): unknown {
  return o === undefined ? undefined : o[name] ?? o[name.charAt(0).toUpperCase() + name.slice(1)];
}

/**
 * A Boolean property as CloudFormation reads it (`true` or `"true"`): true when any deployment can make it true,
 * false when every one sets it and none to true, undefined when some leave it unset.
 */
export function flag(value: unknown): boolean | undefined {
  const values = branches(value);
  if (values.some(v => v === true || v === 'true')) {
    return true;
  }
  return values.some(v => v === undefined) ? undefined : false;
}

/**
 * What EC2 does with the app's network resources: the rules a security group holds once EC2 has applied its
 * defaults, the addresses in a prefix list, and the public addresses instances get. Built once per run over
 * `AppIndex`.
 */
export class NetworkIndex {
  public static of(index: AppIndex): NetworkIndex {
    let network = NetworkIndex.cache.get(index);
    if (!network) {
      network = new NetworkIndex(index);
      NetworkIndex.cache.set(index, network);
    }
    return network;
  }

  private static readonly cache = new WeakMap<AppIndex, NetworkIndex>();

  public readonly eips: ec2.CfnEIP[];
  public readonly eipAssociations: ec2.CfnEIPAssociation[];
  public readonly launchConfigurations: autoscaling.CfnLaunchConfiguration[];
  private readonly restrictedDefaultGroups = new Set<ec2.CfnVPC>();

  private constructor(private readonly index: AppIndex) {
    const all = index.networkResources;
    this.eips = all.filter((c): c is ec2.CfnEIP => c instanceof ec2.CfnEIP);
    this.eipAssociations = all.filter((c): c is ec2.CfnEIPAssociation => c instanceof ec2.CfnEIPAssociation);
    this.launchConfigurations = all.filter((c): c is autoscaling.CfnLaunchConfiguration => c instanceof autoscaling.CfnLaunchConfiguration);
    for (const c of all.filter(r => r.cfnResourceType === RESTRICT_DEFAULT_GROUP)) {
      // A custom resource's properties are readable only through the protected accessor.
      const props = Stack.of(c).resolve((c as unknown as { cfnProperties: Record<string, unknown> }).cfnProperties) as Record<string, unknown>;
      const vpc = this.defaultGroupOf(c, props?.DefaultSecurityGroupId);
      if (vpc) this.restrictedDefaultGroups.add(vpc);
    }
  }

  /**
   * The VPC of an endpoint's (or any resource's) subnet, when the app defines both.
   */
  public vpcOf(node: CfnResource, subnetId: unknown): ec2.CfnVPC | undefined {
    const subnet = this.index.subnet(node, subnetId);
    const vpc = subnet ? this.index.resolveReference(subnet, subnet.vpcId) : undefined;
    return vpc instanceof ec2.CfnVPC ? vpc : undefined;
  }

  /**
   * The VPC whose default security group `value` names (`Fn::GetAtt <Vpc>.DefaultSecurityGroup`), when the app
   * defines the VPC.
   */
  public defaultGroupOf(node: CfnResource, value: unknown): ec2.CfnVPC | undefined {
    const resolved = Stack.of(node).resolve(value) as Record<string, unknown> | undefined;
    const getAtt = resolved !== null && typeof resolved === 'object' ? resolved['Fn::GetAtt'] : undefined;
    if (!Array.isArray(getAtt) || getAtt[1] !== 'DefaultSecurityGroup') {
      return undefined;
    }
    const vpc = this.index.resolveReference(node, resolved);
    return vpc instanceof ec2.CfnVPC ? vpc : undefined;
  }

  /** The CIDRs of a prefix list the app defines (`Ref` or `Fn::GetAtt … PrefixListId`); undefined for any other. */
  public prefixListCidrs(node: CfnResource, value: unknown): string[] | undefined {
    const list = this.index.resolveReference(node, value);
    if (!(list instanceof ec2.CfnPrefixList)) {
      return undefined;
    }
    const entries = (Stack.of(list).resolve(list.entries) as Array<Record<string, unknown>> | undefined) ?? [];
    return Array.isArray(entries) ? entries.map(e => field(e, 'cidr')).filter((c): c is string => typeof c === 'string') : [];
  }

  /** A standalone `AWS::EC2::SecurityGroupIngress` or `Egress` as a rule, as deployed in `world`. */
  public standaloneRule(node: ec2.CfnSecurityGroupIngress | ec2.CfnSecurityGroupEgress, world: World = new Map()): Rule {
    const stack = Stack.of(node);
    const prefixList = node instanceof ec2.CfnSecurityGroupIngress ? node.sourcePrefixListId : node.destinationPrefixListId;
    return ruleOf(node, inWorld(stack.resolve({
      cidrIp: node.cidrIp,
      cidrIpv6: node.cidrIpv6,
      sourcePrefixListId: prefixList,
      sourceSecurityGroupId: node instanceof ec2.CfnSecurityGroupIngress ? node.sourceSecurityGroupId : node.destinationSecurityGroupId,
      sourceSecurityGroupName: node instanceof ec2.CfnSecurityGroupIngress ? node.sourceSecurityGroupName : undefined,
      ipProtocol: node.ipProtocol,
      fromPort: node.fromPort,
      toPort: node.toPort,
    }), world) as Record<string, unknown>, id => this.prefixListCidrs(node, id));
  }

  /**
   * The inline rules of a group as deployed in `world`: a list, or undefined when the property is unset or not a
   * list synth can read.
   */
  public inlineRules(group: ec2.CfnSecurityGroup, direction: 'ingress' | 'egress', world: World = new Map()): Rule[] | undefined {
    const rules = inWorld(Stack.of(group).resolve(direction === 'ingress' ? group.securityGroupIngress : group.securityGroupEgress), world);
    return Array.isArray(rules)
      ? rules.filter(r => r !== null && typeof r === 'object')
        .map(r => ruleOf(group, r as Record<string, unknown>, id => this.prefixListCidrs(group, id)))
      : undefined;
  }

  /**
   * The ways a group's rules can be deployed: one world for each choice of the template conditions its rules
   * depend on (`Fn::If` in them, or a standalone rule created under a condition).
   */
  public worldsOf(group: CfnResource, direction: 'ingress' | 'egress'): World[] {
    const names = new Set<string>();
    if (group instanceof ec2.CfnSecurityGroup) {
      conditionNames(Stack.of(group).resolve(direction === 'ingress' ? group.securityGroupIngress : group.securityGroupEgress), names);
    }
    for (const rule of direction === 'ingress' ? this.index.ingressesOf(group) : this.index.egressesOf(group)) {
      const condition = resourceCondition(rule);
      if (condition) names.add(condition);
      conditionNames(Stack.of(rule).resolve([rule.cidrIp, rule.cidrIpv6, rule.ipProtocol, rule.fromPort, rule.toPort]), names);
    }
    return worlds(names);
  }

  /**
   * Every rule a group holds once deployed, as EC2 applies them: its inline rules, every standalone rule on it, and
   * for egress, the allow-all rule (IPv4 and IPv6) EC2 gives a group created without egress rules. The group is an
   * `AWS::EC2::SecurityGroup`, or a VPC standing for its default group, which allows all outbound traffic.
   *
   * CloudFormation removes EC2's allow-all egress rule once the group gets an egress rule of its own, listed in
   * `SecurityGroupEgress` or added by an `AWS::EC2::SecurityGroupEgress`; an empty list is no rule, so the allow-all
   * rule stays (CloudFormation resource reference, AWS::EC2::SecurityGroup: "if you do not add egress rules, we add
   * egress rules that allow all outbound IPv4 and IPv6 traffic"). The standalone case is not in the reference; it is
   * observed (aws/aws-cdk issues 987 and 3355) and aws-cdk-lib's `SecurityGroup` relies on it whenever it moves an
   * egress rule out of line. An inline allow-all rule is still judged as written: CloudFormation may put it back on
   * the group's next update. The same holds for a VPC's default group, whose allow-all rule otherwise stays, unless
   * aws-cdk-lib's `restrictDefaultSecurityGroup` custom resource strips it at deploy time.
   */
  public rulesOf(group: CfnResource, direction: 'ingress' | 'egress', world: World = new Map()): Rule[] {
    const standalone = (direction === 'ingress' ? this.index.ingressesOf(group) : this.index.egressesOf(group))
      .filter(s => existsIn(s, world)).map(s => this.standaloneRule(s, world));
    const rules: Rule[] = [];
    const allowAll: Rule = { origin: group, protocol: '-1', ranges: ['0.0.0.0/0', '::/0'] };
    if (group instanceof ec2.CfnSecurityGroup) {
      rules.push(...this.inlineRules(group, direction, world) ?? []);
      // Unset, or a list with no rule; a value synth cannot read is neither.
      const egress = inWorld(Stack.of(group).resolve(group.securityGroupEgress), world);
      const noneInline = egress === undefined || (Array.isArray(egress) && egress.length === 0);
      if (direction === 'egress' && noneInline && standalone.length === 0) {
        rules.push(allowAll);
      }
    } else if (group instanceof ec2.CfnVPC && direction === 'egress' && !this.restrictedDefaultGroups.has(group) && standalone.length === 0) {
      rules.push(allowAll);
    } else if (group instanceof ec2.CfnVPC && direction === 'ingress' && !this.restrictedDefaultGroups.has(group)) {
      // A default group admits all traffic from its own members (EC2 User Guide, "Default security groups for your VPCs").
      rules.push({ origin: group, protocol: '-1', ranges: [], peer: group });
    }
    rules.push(...standalone);
    return rules;
  }

  /** The VPC keys (see `AppIndex.vpcOfSubnet`) an instance's network interfaces sit in. */
  public vpcsOfInstance(instance: ec2.CfnInstance): string[] {
    const resolved = Stack.of(instance).resolve(instance.networkInterfaces) as unknown;
    const interfaces = Array.isArray(resolved) ? resolved as Array<Record<string, unknown>> : [];
    const vpcs = [instance.subnetId, ...interfaces.map(i => field(i, 'subnetId'))].filter(s => s !== undefined)
      .map(s => this.index.vpcOfSubnet(instance, s));
    // An interface created apart (AWS::EC2::NetworkInterface) and attached by its ID sits in its own subnet.
    for (const id of interfaces.map(i => field(i, 'networkInterfaceId')).filter(i => i !== undefined)) {
      const eni = this.index.resolveReference(instance, id);
      if (eni instanceof ec2.CfnNetworkInterface) vpcs.push(this.index.vpcOfSubnet(eni, eni.subnetId));
    }
    return vpcs;
  }

  /**
   * The VPC keys of what an Elastic IP (by its `InstanceId`) or an association (by `InstanceId` or
   * `NetworkInterfaceId`) gives its address to; empty when that is outside the app.
   */
  public vpcsGivenAddress(node: ec2.CfnEIP | ec2.CfnEIPAssociation): string[] {
    const target = this.index.resolveReference(node, node.instanceId) ??
      (node instanceof ec2.CfnEIPAssociation ? this.index.resolveReference(node, node.networkInterfaceId) : undefined);
    if (target instanceof ec2.CfnInstance) {
      return this.vpcsOfInstance(target);
    }
    if (target instanceof ec2.CfnNetworkInterface) {
      return [this.index.vpcOfSubnet(target, target.subnetId)];
    }
    return [];
  }

  /**
   * Whether instances launched into the subnets get a public IPv4 address by default: the subnet maps public IPs on
   * launch. Subnets outside the app are taken not to.
   */
  public mapsPublicIp(node: CfnResource, subnetId: unknown): boolean {
    const subnet = this.index.subnet(node, subnetId);
    return subnet !== undefined && flag(Stack.of(subnet).resolve(subnet.mapPublicIpOnLaunch)) === true;
  }

  /** The subnets of an Auto Scaling group (`VPCZoneIdentifier`); undefined when synth cannot tell them. */
  public subnetsOfGroup(group: autoscaling.CfnAutoScalingGroup): unknown[] | undefined {
    const subnets = Stack.of(group).resolve(group.vpcZoneIdentifier) as unknown;
    return Array.isArray(subnets) && subnets.length > 0 ? subnets : undefined;
  }

  /** The Auto Scaling groups that launch from a launch configuration or launch template of the app. */
  public groupsLaunching(source: autoscaling.CfnLaunchConfiguration | ec2.CfnLaunchTemplate): autoscaling.CfnAutoScalingGroup[] {
    return this.index.autoScalingGroups.filter(g => this.launchSourcesOf(g).includes(source));
  }

  /** The launch configuration and launch templates an Auto Scaling group launches from, when the app defines them. */
  public launchSourcesOf(group: autoscaling.CfnAutoScalingGroup): CfnResource[] {
    const stack = Stack.of(group);
    const specs: unknown[] = [stack.resolve(group.launchTemplate)];
    const mixed = stack.resolve(group.mixedInstancesPolicy) as Record<string, unknown> | undefined;
    const mixedTemplate = field(mixed, 'launchTemplate') as Record<string, unknown> | undefined;
    specs.push(field(mixedTemplate, 'launchTemplateSpecification'));
    // An override may launch its instance type from a launch template of its own.
    const overrides = field(mixedTemplate, 'overrides');
    if (Array.isArray(overrides)) specs.push(...overrides.map(o => field(o as Record<string, unknown>, 'launchTemplateSpecification')));
    const sources: Array<CfnResource | undefined> = [this.index.resolveReference(group, group.launchConfigurationName)];
    for (const spec of specs) {
      if (spec !== null && typeof spec === 'object') {
        sources.push(this.launchTemplateOf(group, spec as Record<string, unknown>));
      }
    }
    return sources.filter((s): s is CfnResource => s !== undefined);
  }

  /**
   * The app's launch template a resolved launch template specification names: by reference, or by the literal name
   * the template is given (`LaunchTemplateName`) in the same stack.
   */
  public launchTemplateOf(node: CfnResource, spec: Record<string, unknown>): CfnResource | undefined {
    const ref = field(spec, 'launchTemplateId') ?? field(spec, 'launchTemplateName');
    const found = this.index.resolveReference(node, ref);
    if (found || typeof ref !== 'string') return found;
    const stack = Stack.of(node);
    return this.index.launchTemplates.find(t => Stack.of(t) === stack && stack.resolve(t.launchTemplateName) === ref);
  }

  /**
   * What a launch source says about a public IPv4 address on the primary interface: true, false, or undefined when it
   * leaves it to the subnet.
   */
  public asksForPublicIp(source: CfnResource): boolean | undefined {
    if (source instanceof autoscaling.CfnLaunchConfiguration) {
      return flag(Stack.of(source).resolve(source.associatePublicIpAddress));
    }
    if (source instanceof ec2.CfnLaunchTemplate) {
      const data = Stack.of(source).resolve(source.launchTemplateData) as Record<string, unknown> | undefined;
      const interfaces = field(data, 'networkInterfaces');
      if (!Array.isArray(interfaces)) {
        return undefined;
      }
      const values = interfaces.map(i => flag(field(i as Record<string, unknown>, 'associatePublicIpAddress'))).filter(v => v !== undefined);
      return values.length === 0 ? undefined : values.includes(true);
    }
    return undefined;
  }
}
