import { Duration, Token, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ConnectOptions } from './connect-options';
import { DataPlaneOptions } from './data-plane-options';
import { OpenTunnelOptions } from './open-tunnel-options';
import { conditionValue } from '../private/condition-values';
import { denyRootLogin } from '../private/operator-denies';
import {
  CURRENT_TIME_KEY,
  MAX_TUNNEL_DURATION_KEY,
  MAX_TUNNEL_DURATION_SECONDS,
  MFA_AGE_KEY,
  MFA_PRESENT_KEY,
  OS_USER_KEY,
  PRIVATE_IP_ADDRESS_KEY,
  REMOTE_PORT_KEY,
  RESOURCE_TAG_PREFIX,
  SOURCE_IP_KEY,
} from '../private/vocabulary';

/**
 * The one renderer of grant options into IAM: `InstanceConnectEndpoint.grantOpenTunnel`, the grants and operator
 * roles of `InstanceConnectAccess`, and `InstanceConnectPermissionSet` all call these, so an option means the same
 * condition wherever it is given. The options are validated before (see `grant-options-validation.ts`).
 */

/** IAM conditions: operator to condition key to value. */
export type Conditions = Record<string, Record<string, unknown>>;

/**
 * The conditions of an `OpenTunnel` grant: the ports, the tunnel bound, and the addresses (the instances' and the
 * caller's) when given.
 */
export function openTunnelConditions(options: OpenTunnelOptions): Conditions {
  const remotePorts = options.remotePorts ?? [22];
  const maxTunnelDuration = options.maxTunnelDuration ?? Duration.seconds(MAX_TUNNEL_DURATION_SECONDS);
  const ipConditions: Record<string, unknown> = {};
  if (options.privateIpAddresses) {
    ipConditions[PRIVATE_IP_ADDRESS_KEY] = conditionValue(options.privateIpAddresses);
  }
  Object.assign(ipConditions, sourceIpConditions(options).IpAddress);
  return {
    NumericEquals: {
      [REMOTE_PORT_KEY]: Token.isUnresolved(remotePorts) ? remotePorts : conditionValue(remotePorts.map(p => Tokenization.stringifyNumber(p))),
    },
    NumericLessThanEquals: { [MAX_TUNNEL_DURATION_KEY]: Tokenization.stringifyNumber(maxTunnelDuration.toSeconds()) },
    ...(Object.keys(ipConditions).length > 0 ? { IpAddress: ipConditions } : {}),
  };
}

/** `aws:SourceIp`, which every allow of a grant carries when `sourceIpRanges` is given. */
export function sourceIpConditions(options: OpenTunnelOptions): Conditions {
  return options.sourceIpRanges ? { IpAddress: { [SOURCE_IP_KEY]: conditionValue(options.sourceIpRanges) } } : {};
}

/** The OS users of key pushes, and the tags the instances must carry (`tags`: the fixed `instanceTags` and others). */
export function keyPushConditions(options: DataPlaneOptions, tags: Record<string, string> = {}): Conditions {
  return { StringEquals: { [OS_USER_KEY]: conditionValue(options.osUsers ?? []), ...resourceTagConditions(tags) } };
}

/** `aws:ResourceTag/<key>` for each tag. */
export function resourceTagConditions(tags: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(tags ?? {}).map(([key, value]) => [`${RESOURCE_TAG_PREFIX}${key}`, value]));
}

/** The explicit deny `allowRootLogin` leaves out: every grant denies key pushes for `root` unless it allows them. */
export function rootLoginDenies(options: DataPlaneOptions): iam.PolicyStatement[] {
  return options.allowRootLogin ? [] : [denyRootLogin()];
}

/** `aws:CurrentTime` inside the grant's window, when it has one. */
export function windowConditions(options: ConnectOptions): Conditions {
  return mergeConditions(
    options.validFrom ? { DateGreaterThan: { [CURRENT_TIME_KEY]: options.validFrom.toISOString() } } : {},
    options.validUntil ? { DateLessThan: { [CURRENT_TIME_KEY]: options.validUntil.toISOString() } } : {},
  );
}

/** A recent MFA sign-in, when the grant requires one. */
export function mfaConditions(options: ConnectOptions): Conditions {
  if (!options.requireMfa) {
    return {};
  }
  return {
    Bool: { [MFA_PRESENT_KEY]: 'true' },
    NumericLessThanEquals: { [MFA_AGE_KEY]: Tokenization.stringifyNumber(options.requireMfa.toSeconds()) },
  };
}

/** Condition blocks merged operator by operator (the keys of one operator never collide here). */
export function mergeConditions(...blocks: Conditions[]): Conditions {
  const merged: Conditions = {};
  for (const block of blocks) {
    for (const [operator, keys] of Object.entries(block)) {
      merged[operator] = { ...(merged[operator] ?? {}), ...keys };
    }
  }
  return merged;
}
