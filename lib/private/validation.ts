import { isIPv4, isIPv6 } from 'net';
import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { show, validationError } from './errors';
import { MAX_TUNNEL_DURATION_SECONDS, TUNNELLED_PORTS } from './vocabulary';

/** True when `value` (or the list itself) cannot be checked at synth time. */
export function isUnresolved(value: unknown): boolean {
  return Token.isUnresolved(value);
}

/** Throws unless `list` has at least one element. A token list passes through. */
export function validateNonEmpty(scope: IConstruct, property: string, list: readonly unknown[] | undefined): void {
  if (list === undefined || isUnresolved(list)) {
    return;
  }
  if (list.length === 0) {
    throw validationError(scope, `${property} must not be empty, got []`);
  }
}

/** Throws unless `port` is an integer from 1 to 65535. Tokens pass through. */
export function validatePort(scope: IConstruct, property: string, port: number): void {
  if (isUnresolved(port)) {
    return;
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw validationError(scope, `${property} must be an integer from 1 to 65535, got ${show(port)}`);
  }
}

/**
 * Throws unless `port` is one TCP port from 1 to 65535 (tunnels and SSH are TCP, and a range or every port opens
 * more than a connection needs); warns for ports other than SSH and RDP, the ones the service tunnels. Tokens pass.
 */
export function validateConnectionPort(scope: IConstruct, property: string, port: ec2.Port): void {
  // Plain JavaScript (and other jsii languages' loose types) can pass a number where an ec2.Port is due.
  if (typeof (port as Partial<ec2.Port> | undefined)?.toRuleJson !== 'function') {
    throw validationError(scope, `${property} must be an ec2.Port such as ec2.Port.tcp(22), got ${show(port)}`);
  }
  const rule = port.toRuleJson() as { ipProtocol: string; fromPort?: number; toPort?: number };
  if (isUnresolved(rule.ipProtocol) || isUnresolved(rule.fromPort) || isUnresolved(rule.toPort)) {
    return;
  }
  if (rule.ipProtocol !== 'tcp') {
    throw validationError(scope, `${property} must be a TCP port (SSH and RDP connections are TCP), got ${show(port.toString())}`);
  }
  if (rule.fromPort !== rule.toPort) {
    throw validationError(scope, `${property} must be one port, not a range (a connection needs one), got ${show(port.toString())}`);
  }
  if (!Number.isInteger(rule.fromPort) || rule.fromPort! < 1 || rule.fromPort! > 65535) {
    throw validationError(scope, `${property} must be a port from 1 to 65535, got ${show(port.toString())}`);
  }
  warnUntunnelledPort(scope, property, rule.fromPort!, false);
}

/**
 * Warns for a port other than SSH and RDP, the only ones EC2 Instance Connect connects to: the one place this
 * warning is made. A grant's port is judged as a tunnel (`tunnel`: true), a network path's as a connection, since
 * classic EC2 Instance Connect uses network paths too. Tokens pass.
 */
export function warnUntunnelledPort(scope: IConstruct, property: string, port: number, tunnel: boolean): void {
  if (!isUnresolved(port) && !TUNNELLED_PORTS.includes(port)) {
    const why = tunnel
      ? `EC2 Instance Connect Endpoint tunnels only ports ${TUNNELLED_PORTS.join(' and ')}`
      : `EC2 Instance Connect connects to SSH (${TUNNELLED_PORTS[0]}) and RDP (${TUNNELLED_PORTS[1]})`;
    Annotations.of(scope).addWarningV2('cdk-instance-connect-access:untunnelledPort', `${property} is ${port}: ${why}`);
  }
}

/** True when `value` is an IPv4 or IPv6 address, or an address with a valid prefix length. */
export function isIpAddressOrCidr(value: string): boolean {
  const parts = value.split('/');
  if (parts.length > 2) {
    return false;
  }
  const [address, prefix] = parts;
  const maxPrefix = isIPv4(address) ? 32 : isIPv6(address) ? 128 : -1;
  if (maxPrefix < 0) {
    return false;
  }
  if (prefix === undefined) {
    return true;
  }
  return /^(0|[1-9][0-9]{0,2})$/.test(prefix) && Number(prefix) <= maxPrefix;
}

/** The shortest prefixes that can still mean one organisation's network: 10.0.0.0/8, an IPv6 /16. */
const SHORTEST_NETWORK_PREFIX = { 4: 8, 6: 16 };

/** The first and last address of a CIDR, as integers, with its family. */
export function addressRange(cidr: string): { family: 4 | 6; first: bigint; last: bigint; prefix: number } {
  const [address, prefixText] = cidr.split('/');
  const family = isIPv4(address) ? 4 : 6;
  const bits = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  let value = 0n;
  if (family === 4) {
    for (const octet of address.split('.')) value = value * 256n + BigInt(Number(octet));
  } else {
    const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
    const groups = (part: string | undefined) => (part ? part.split(':') : []);
    const expand = (groupList: string[]) => groupList.flatMap(g => (g.includes('.')
      ? [(Number(g.split('.')[0]) * 256 + Number(g.split('.')[1])).toString(16), (Number(g.split('.')[2]) * 256 + Number(g.split('.')[3])).toString(16)]
      : [g]));
    const left = expand(groups(head));
    const right = expand(groups(tail));
    const all = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
    for (const group of all) value = value * 65536n + BigInt(parseInt(group, 16));
  }
  const size = 2n ** BigInt(bits - prefix);
  const first = (value / size) * size;
  return { family, first, last: first + size - 1n, prefix };
}

/**
 * Why `ranges`, taken together, amount to the internet rather than a network; undefined when they do not. Ranges
 * that together cover an address family (`0.0.0.0/1` and `128.0.0.0/1`), or a prefix shorter than any one
 * organisation's network (IPv4 /8, IPv6 /16), count. Tokens are skipped.
 */
export function validateNetworkRanges(ranges: readonly string[]): string | undefined {
  if (isUnresolved(ranges)) {
    return undefined;
  }
  const known = ranges.filter(r => !isUnresolved(r) && isIpAddressOrCidr(r)).map(r => ({ cidr: r, ...addressRange(r) }));
  const short = known.find(r => r.prefix < SHORTEST_NETWORK_PREFIX[r.family]);
  if (short) {
    return `${short.cidr} is shorter than /${SHORTEST_NETWORK_PREFIX[short.family]}, larger than any one organisation's network`;
  }
  for (const family of [4, 6] as const) {
    const sorted = known.filter(r => r.family === family).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    let next = 0n;
    for (const range of sorted) {
      if (range.first > next) break;
      if (range.last + 1n > next) next = range.last + 1n;
    }
    if (sorted.length > 0 && next === 2n ** BigInt(family === 4 ? 32 : 128)) {
      return `${sorted.map(r => r.cidr).join(', ')} together cover every IPv${family} address`;
    }
  }
  return undefined;
}

/** Throws unless every element is an IPv4/IPv6 address or CIDR. Tokens pass through. */
export function validateCidrs(scope: IConstruct, property: string, values: readonly string[] | undefined): void {
  if (values === undefined || isUnresolved(values)) {
    return;
  }
  validateNonEmpty(scope, property, values);
  values.forEach((value, i) => {
    if (!isUnresolved(value) && !isIpAddressOrCidr(value)) {
      throw validationError(scope, `${property}[${i}] must be an IPv4 or IPv6 address or CIDR, got ${show(value)}`);
    }
  });
}

/** Throws unless `duration` is a whole number of seconds from 1 s to 1 hour. Tokens pass through. */
export function validateTunnelDuration(scope: IConstruct, property: string, duration: Duration): void {
  if (duration.isUnresolved()) {
    return;
  }
  const ms = duration.toMilliseconds();
  if (ms < 1000 || ms > MAX_TUNNEL_DURATION_SECONDS * 1000 || ms % 1000 !== 0) {
    throw validationError(scope, `${property} must be a whole number of seconds from 1 second to 1 hour, got ${duration.toHumanString()}`);
  }
}

/**
 * The `InstanceOSUser` pattern of the `SendSSHPublicKey` API: 1–32 characters, starting with a letter or `_`.
 *
 * @see https://docs.aws.amazon.com/ec2-instance-connect/latest/APIReference/API_SendSSHPublicKey.html
 */
const OS_USER_PATTERN = /^[A-Za-z_][A-Za-z0-9@._-]{0,30}[A-Za-z0-9$_-]?$/;

/** True when the service would accept `value` as an OS user name. */
export function isValidOsUser(value: string): boolean {
  return OS_USER_PATTERN.test(value);
}

/** Throws unless `value` is an OS user name the service accepts. Tokens pass through. */
export function validateOsUser(scope: IConstruct, property: string, value: string): void {
  if (!isUnresolved(value) && !isValidOsUser(value)) {
    throw validationError(scope,
      `${property} must be an OS user name the service accepts (1-32 characters: a letter or _, then letters, digits, @ . _ -), got ${show(value)}`);
  }
}

/** The `InstanceId` pattern of the EC2 Instance Connect API. */
const INSTANCE_ID_PATTERN = /^i-[a-f0-9]+$/;

/** Throws unless `value` is an instance ID (`i-` and lowercase hex). Tokens pass through. */
export function validateInstanceId(scope: IConstruct, property: string, value: string): void {
  if (!isUnresolved(value) && !INSTANCE_ID_PATTERN.test(value)) {
    throw validationError(scope, `${property} must be an instance ID ('i-' followed by lowercase hex digits), got ${show(value)}`);
  }
}

/**
 * Warns when source ranges admit every client (`0.0.0.0/0`, `::/0`, or pieces that add up to it): that is no
 * restriction at all.
 */
export function warnAnySourceIp(scope: IConstruct, property: string, ranges: readonly string[] | undefined): void {
  if (ranges === undefined || isUnresolved(ranges)) {
    return;
  }
  const internet = validateNetworkRanges(ranges.filter(r => isUnresolved(r) || isIpAddressOrCidr(r)));
  if (internet) {
    Annotations.of(scope).addWarningV2('cdk-instance-connect-access:anySourceIp',
      `${property} admits the internet, not a network (${internet}); name the networks operators connect from`);
  }
}
