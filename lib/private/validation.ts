import { isIPv4, isIPv6 } from 'net';
import { Annotations, Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { show, validationError } from './errors';

/** The longest tunnel the service allows, and the upper bound of `ec2-instance-connect:maxTunnelDuration`. */
export const MAX_TUNNEL_DURATION_SECONDS = 3600;

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

/** True when `cidr` matches every address of its family (`0.0.0.0/0`, `::/0`). */
export function isAnyAddress(cidr: string): boolean {
  const [address, prefix] = cidr.split('/');
  return prefix !== undefined && Number(prefix) === 0 && (isIPv4(address) || isIPv6(address));
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

/** Warns when a source range admits every client (`0.0.0.0/0`, `::/0`): it is no restriction at all. */
export function warnAnySourceIp(scope: IConstruct, property: string, ranges: readonly string[] | undefined): void {
  if (ranges === undefined || isUnresolved(ranges)) {
    return;
  }
  ranges.forEach((range, i) => {
    if (!isUnresolved(range) && isAnyAddress(range)) {
      Annotations.of(scope).addWarningV2('cdk-instance-connect-access:anySourceIp',
        `${property}[${i}] is ${range}, which allows every client of its address family; name the networks operators connect from`);
    }
  });
}
