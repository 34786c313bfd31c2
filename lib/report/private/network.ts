import { CfnOutput, CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { NetworkPath } from './model';
import { Group, groupOf, groupsOf, IPV6_OF, label, spacesOf, targetsOf } from './network-targets';
import { portLabels, PortSet } from './port-set';
import { compare, constructOf, resourceId } from './subjects';
import { AppIndex } from '../../private/semantics/app-index';
import { ProbeScope } from '../../private/semantics/arn-match';
import { flag, NetworkIndex } from '../../private/semantics/network-index';
import { Rule, tcpPorts } from '../../private/semantics/security-group-rules';
import { renderString } from '../../private/semantics/template-values';
import { addressRange, isIpAddressOrCidr } from '../../private/validation';

/**
 * The network side of the review: for each endpoint of the app, the targets in its VPC whose security groups admit
 * TCP from it, and on which ports. A connection needs both an egress rule on one of the endpoint's groups and an
 * ingress rule on one of the target's; each names the other's group or a range holding the other's address (the
 * endpoint's subnet, or with client IP preservation the client's). Read as EC2 applies the rules: implied rules
 * included, in every way the template's conditions can deploy them (EUG, "Security groups for EC2 Instance Connect
 * Endpoint").
 */
export function networkPathsOf(index: AppIndex): NetworkPath[] {
  const network = NetworkIndex.of(index);
  const targets = targetsOf(index, network);
  const paths: NetworkPath[] = [];
  for (const endpoint of index.endpoints) {
    const vpc = index.vpcOfSubnet(endpoint, endpoint.subnetId);
    const groups = groupsOf(index, network, endpoint, endpoint.securityGroupIds, endpoint.subnetId);
    const preserveClientIp = flag(Stack.of(endpoint).resolve(endpoint.preserveClientIp)) === true;
    const source = spacesOf(index, endpoint, [endpoint.subnetId]);
    // A group from outside the app may allow all outbound traffic, as a new group does: counted, and said.
    const outside = groups.filter((g): g is string => typeof g === 'string');
    const egress = [...groups.flatMap(g => rulesOf(network, g, 'egress')),
      ...(outside.length > 0 ? [{ origin: endpoint, protocol: '-1', ranges: ['0.0.0.0/0', '::/0'] }] : [])];
    for (const target of targets.filter(t => t.vpcs.includes(vpc))) {
      const unknown = new Set<string>(outside.map(g => `the outbound rules of security group ${g}, from outside the app`));
      const out = admitted(index, egress, target.groups, target.spaces, unknown);
      const ingress = target.groups.flatMap(g => rulesOf(network, g, 'ingress'));
      const sources: string[] = [];
      const into = preserveClientIp
        ? clientAdmitted(index, ingress, groups, sources, unknown)
        : admitted(index, ingress, groups, source, unknown, sources);
      const ports = out.intersect(into);
      if (ports.isEmpty()) {
        continue;
      }
      paths.push({
        endpoint: resourceId(endpoint),
        ...(constructOf(endpoint).construct !== undefined ? { endpointConstruct: constructOf(endpoint).construct } : {}),
        target: resourceId(target.node),
        targetType: target.node.cfnResourceType,
        ...constructOf(target.node),
        ports: portLabels(ports),
        from: [...new Set(sources)].sort(compare),
        ...(preserveClientIp ? { preserveClientIp } : {}),
        unknownAtSynth: [...unknown, ...target.unknown].sort(compare),
      });
    }
  }
  return paths.sort((a, b) => compare(a.endpoint, b.endpoint) || compare(a.target, b.target));
}

/** The TCP ports `rules` let through to (or from) a member of `peers` or an address in `spaces`. */
function admitted(index: AppIndex, rules: Rule[], peers: Group[], spaces: string[], unknown: Set<string>, via?: string[]): PortSet {
  let ports = PortSet.none();
  for (const rule of rules) {
    const span = tcpPorts(rule);
    if (span === undefined) continue;
    const peer = rule.peer === undefined ? undefined : groupOf(index, rule.origin, rule.peer);
    let admits = peer !== undefined && peers.some(p => p === peer);
    if (admits) via?.push(`security group ${label(peer!)}`);
    for (const range of rule.ranges) {
      const holds = rangeHolds(range, spaces);
      if (holds === 'unknown') {
        // Counted, and said: the review errs towards access a reviewer must look at.
        unknown.add(`whether ${range} holds ${spaces.join(', ')}`);
        admits = true;
      } else if (holds) {
        admits = true;
        via?.push(range);
      }
    }
    for (const reference of rule.rangeReferences ?? []) {
      const range = literalCidr(index, rule.origin, reference);
      const holds = range === undefined ? 'unknown' : rangeHolds(range, spaces);
      if (holds === 'unknown') {
        unknown.add(`whether ${range ?? named(rule.origin, reference)} holds ${spaces.join(', ')}`);
      }
      if (holds !== false) {
        admits = true;
        via?.push(range ?? named(rule.origin, reference));
      }
    }
    if (rule.outsidePrefixList !== undefined) {
      // Its entries may hold the other side's addresses: counted and said, as a range synth cannot read.
      unknown.add(`prefix list ${label(JSON.stringify(Stack.of(rule.origin).resolve(rule.outsidePrefixList)))}`);
      admits = true;
    }
    if (admits) ports = ports.union(PortSet.of(Math.max(1, span[0]), span[1]));
  }
  return ports;
}

/** With client IP preservation the source is the client: every range admits the clients inside it. */
function clientAdmitted(index: AppIndex, rules: Rule[], peers: Group[], via: string[], unknown: Set<string>): PortSet {
  let ports = admitted(index, rules, peers, [], unknown, via);
  for (const rule of rules) {
    const span = tcpPorts(rule);
    // Client IP preservation is IPv4 only, so an IPv6 range admits no client.
    const ranges = [...rule.ranges, ...(rule.rangeReferences ?? []).map(r => literalCidr(index, rule.origin, r) ?? named(rule.origin, r))]
      .filter(r => !isIpAddressOrCidr(r) || addressRange(r).family !== 6);
    if (span === undefined || (ranges.length === 0 && rule.outsidePrefixList === undefined)) continue;
    via.push(...ranges.map(r => `clients in ${r}`));
    if (rule.outsidePrefixList !== undefined) {
      via.push(`clients in prefix list ${label(JSON.stringify(Stack.of(rule.origin).resolve(rule.outsidePrefixList)))}`);
    }
    ports = ports.union(PortSet.of(Math.max(1, span[0]), span[1]));
  }
  return ports;
}

/** How a range synth cannot place is named: `<Vpc.CidrBlock>`, `<export>`. */
function named(origin: CfnResource, value: unknown): string {
  return renderString(Stack.of(origin).resolve(value), PLAIN);
}

const PLAIN: ProbeScope = { partition: '${AWS::Partition}', region: '${AWS::Region}', account: '${AWS::AccountId}', otherRegion: '' };

/**
 * The literal CIDR a reference in a rule stands for: the `CidrBlock` of a VPC or subnet the app defines, in its own
 * stack or through another stack's export.
 */
function literalCidr(index: AppIndex, origin: CfnResource | CfnOutput, value: unknown): string | undefined {
  const resolved = Stack.of(origin).resolve(value) as Record<string, unknown> | undefined;
  if (resolved === null || typeof resolved !== 'object') {
    return typeof resolved === 'string' ? resolved : undefined;
  }
  const imported = resolved['Fn::ImportValue'];
  if (typeof imported === 'string') {
    const output = index.exported(origin, imported);
    return output ? literalCidr(index, output, output.value) : undefined;
  }
  const getAtt = resolved['Fn::GetAtt'];
  if (!Array.isArray(getAtt) || getAtt[1] !== 'CidrBlock') {
    return undefined;
  }
  const resource = index.resolveReference(origin, resolved);
  const cidr = resource instanceof ec2.CfnVPC || resource instanceof ec2.CfnSubnet ? Stack.of(resource).resolve(resource.cidrBlock) : undefined;
  return typeof cidr === 'string' ? cidr : undefined;
}

/** Whether a rule's range holds every address of the spaces, none of them (false), or synth cannot tell. */
function rangeHolds(range: string, spaces: string[]): boolean | 'unknown' {
  if (!isIpAddressOrCidr(range)) return 'unknown';
  const r = addressRange(range);
  // A range holds no address of the other family: an IPv4-only subnet is never in `::/0`.
  const family = (space: string) => (isIpAddressOrCidr(space) ? addressRange(space).family : space.startsWith(IPV6_OF) ? 6 : undefined);
  if (r.prefix === 0 && spaces.some(s => family(s) === undefined || family(s) === r.family)) return true;
  let unknown = false;
  for (const space of spaces) {
    if (family(space) !== undefined && family(space) !== r.family) continue;
    if (!isIpAddressOrCidr(space)) {
      unknown = true;
      continue;
    }
    const s = addressRange(space);
    if (s.family !== r.family || s.last < r.first || s.first > r.last) continue;
    if (r.first <= s.first && s.last <= r.last) return true;
    unknown = true;
  }
  return unknown ? 'unknown' : false;
}

/** Every rule a group holds in any deployment the template's conditions allow; none that synth can see for one outside. */
function rulesOf(network: NetworkIndex, group: Group, direction: 'ingress' | 'egress'): Rule[] {
  return typeof group === 'string' ? [] : network.worldsOf(group, direction).flatMap(w => network.rulesOf(group, direction, w));
}
