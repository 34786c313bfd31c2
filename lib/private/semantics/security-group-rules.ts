import { CfnResource } from 'aws-cdk-lib';
import { validateNetworkRanges } from '../validation';

/** A security-group rule as EC2 applies it, inline, standalone or implied, with its values resolved. */
export interface Rule {
  /** The resource to change to remove the rule: the group for inline and implied rules, else the standalone rule. */
  readonly origin: CfnResource;
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  /**
   * The addresses the rule admits, as CIDRs: its own `CidrIp`/`CidrIpv6`, or the entries of a prefix list the app
   * defines. A peer security group, or a prefix list from outside the app, admits none that synth can see.
   */
  readonly ranges: string[];
  /** The peer security group a rule names (`SourceSecurityGroupId` or `…Name`, `DestinationSecurityGroupId`), as written. */
  readonly peer?: unknown;
  /** A prefix list from outside the app: it admits addresses synth cannot see. */
  readonly outsidePrefixList?: unknown;
  /** `CidrIp`/`CidrIpv6` values written as references (a VPC's `CidrBlock`, an import), which `ranges` leaves out. */
  readonly rangeReferences?: unknown[];
}

/** Looks up the CIDRs of a prefix list reference; undefined when the list is not in the app. */
export type PrefixListLookup = (prefixListId: unknown) => string[] | undefined;

/** A rule from its resolved properties (either letter case, as inline rules and L1 attributes spell them). */
export function ruleOf(origin: CfnResource, raw: Record<string, unknown>, prefixLists: PrefixListLookup): Rule {
  const field = (name: string) => raw[name] ?? raw[name.charAt(0).toUpperCase() + name.slice(1)];
  const number = (v: unknown) => (v === undefined || v === null || typeof v === 'object' ? undefined : Number(v));
  const prefixList = field('sourcePrefixListId') ?? field('destinationPrefixListId');
  const cidrs = [field('cidrIp'), field('cidrIpv6')].filter(c => c !== undefined && c !== null);
  const ranges = cidrs.filter((c): c is string => typeof c === 'string');
  const references = cidrs.filter(c => typeof c !== 'string');
  const listed = prefixList === undefined ? undefined : prefixLists(prefixList);
  ranges.push(...listed ?? []);
  // In a default VPC a peer may be named by its name (EC2 API, UserIdGroupPair GroupName).
  const peer = field('sourceSecurityGroupId') ?? field('destinationSecurityGroupId') ?? field('sourceSecurityGroupName');
  return {
    origin,
    protocol: String(field('ipProtocol')).toLowerCase(),
    fromPort: number(field('fromPort')),
    toPort: number(field('toPort')),
    ranges,
    ...(peer !== undefined ? { peer } : {}),
    ...(prefixList !== undefined && listed === undefined ? { outsidePrefixList: prefixList } : {}),
    ...(references.length > 0 ? { rangeReferences: references } : {}),
  };
}

/** The TCP ports a rule lets through, as an inclusive range; undefined when it lets no TCP through. */
export function tcpPorts(rule: Rule): [number, number] | undefined {
  if (rule.protocol === '-1' || rule.protocol === 'all') {
    return [0, 65535];
  }
  if (rule.protocol !== 'tcp' && rule.protocol !== '6') {
    return undefined;
  }
  if (rule.fromPort === -1 && rule.toPort === -1) {
    return [0, 65535];
  }
  return [rule.fromPort ?? 0, rule.toPort ?? 65535];
}

/** Whether the rule lets `protocol` traffic on `port` through (all protocols, or the protocol with the port in range). */
export function coversPort(rule: Rule, port: number, protocol: 'tcp' | 'udp' = 'tcp'): boolean {
  if (rule.protocol === '-1' || rule.protocol === 'all') {
    return true;
  }
  const number = protocol === 'tcp' ? '6' : '17';
  if (rule.protocol !== protocol && rule.protocol !== number) {
    return false;
  }
  const from = rule.fromPort ?? 0;
  const to = rule.toPort ?? 65535;
  return (from === -1 && to === -1) || (from <= port && port <= to);
}

/** Whether `ranges` are the internet: a prefix wider than any one network, or pieces adding up to every address. */
export function isInternet(ranges: string[]): boolean {
  return validateNetworkRanges(ranges) !== undefined;
}

/**
 * Whether the rules, together, let every TCP port reach the internet: for each run of ports between the rules'
 * boundaries, the rules covering it admit the internet. So `0-32767` and `32768-65535` to `0.0.0.0/0` are every
 * port, and so are protocol `-1` to `::/1` and `8000::/1`.
 */
export function everyTcpPortToInternet(rules: Rule[]): boolean {
  const spans = rules.map(r => ({ r, ports: tcpPorts(r) })).filter((s): s is { r: Rule; ports: [number, number] } => s.ports !== undefined);
  // Port 0 is reserved; a rule from 1 to 65535 is every port.
  const starts = new Set<number>([1]);
  for (const { ports: [from, to] } of spans) {
    if (from > 1 && from <= 65535) starts.add(from);
    if (to >= 1 && to < 65535) starts.add(to + 1);
  }
  return [...starts].every(port => isInternet(spans.filter(s => s.ports[0] <= port && port <= s.ports[1]).flatMap(s => s.r.ranges)));
}

/** Whether the rules, together, admit the internet on `port` (TCP, and UDP too when `udp` is set). */
export function portToInternet(rules: Rule[], port: number, udp = false): boolean {
  return isInternet(rules.filter(r => coversPort(r, port) || (udp && coversPort(r, port, 'udp'))).flatMap(r => r.ranges));
}

/**
 * The resources to blame when `rules` are too wide by `judge`: each origin whose rules are too wide on their own,
 * or without whose rules the rest would not be. So a rule to `0.0.0.0/0` is blamed however many private rules sit
 * beside it, and both halves of a split are blamed.
 */
export function blamed(rules: Rule[], judge: (rules: Rule[]) => boolean): Set<CfnResource> {
  const origins = new Set<CfnResource>();
  if (!judge(rules)) {
    return origins;
  }
  for (const origin of new Set(rules.map(r => r.origin))) {
    if (judge(rules.filter(r => r.origin === origin)) || !judge(rules.filter(r => r.origin !== origin))) {
      origins.add(origin);
    }
  }
  return origins;
}
