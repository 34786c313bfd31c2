import { Annotations, Duration, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import {
  isUnresolved,
  MAX_TUNNEL_DURATION_SECONDS,
  validateCidrs,
  validateNonEmpty,
  validatePort,
  validateTunnelDuration,
} from './validation';
import { OpenTunnelOptions } from '../endpoint/open-tunnel-options';

/** The ports the service tunnels; others are rejected by the service. */
export const TUNNELLED_PORTS = [22, 3389];

/** Condition keys of `ec2-instance-connect:OpenTunnel` (Service Authorization Reference). */
export const REMOTE_PORT_KEY = 'ec2-instance-connect:remotePort';
export const PRIVATE_IP_ADDRESS_KEY = 'ec2-instance-connect:privateIpAddress';
export const MAX_TUNNEL_DURATION_KEY = 'ec2-instance-connect:maxTunnelDuration';
export const SOURCE_IP_KEY = 'aws:SourceIp';

/** Renders one value as a scalar and several as a list, the way the AWS documentation writes conditions. */
export function conditionValue(values: readonly string[]): string | string[] {
  return values.length === 1 ? values[0] : [...values];
}

/**
 * Validates `options` and returns the IAM conditions of an `OpenTunnel` grant.
 *
 * `property` prefixes the property names in error messages (for example `grantOpenTunnel options`).
 */
export function openTunnelConditions(scope: IConstruct, property: string, options: OpenTunnelOptions): Record<string, Record<string, unknown>> {
  const remotePorts = options.remotePorts ?? [22];
  validateNonEmpty(scope, `${property}.remotePorts`, remotePorts);
  if (!isUnresolved(remotePorts)) {
    remotePorts.forEach((port, i) => {
      validatePort(scope, `${property}.remotePorts[${i}]`, port);
      if (!isUnresolved(port) && !TUNNELLED_PORTS.includes(port)) {
        Annotations.of(scope).addWarningV2('cdk-instance-connect-access:untunnelledPort',
          `${property}.remotePorts[${i}] is ${port}: EC2 Instance Connect Endpoint tunnels only ports ${TUNNELLED_PORTS.join(' and ')}`);
      }
    });
  }
  validateCidrs(scope, `${property}.privateIpAddresses`, options.privateIpAddresses);
  validateCidrs(scope, `${property}.sourceIpRanges`, options.sourceIpRanges);
  const maxTunnelDuration = options.maxTunnelDuration ?? Duration.seconds(MAX_TUNNEL_DURATION_SECONDS);
  validateTunnelDuration(scope, `${property}.maxTunnelDuration`, maxTunnelDuration);

  const ipConditions: Record<string, unknown> = {};
  if (options.privateIpAddresses) {
    ipConditions[PRIVATE_IP_ADDRESS_KEY] = listCondition(options.privateIpAddresses);
  }
  if (options.sourceIpRanges) {
    ipConditions[SOURCE_IP_KEY] = listCondition(options.sourceIpRanges);
  }
  return {
    NumericEquals: {
      [REMOTE_PORT_KEY]: isUnresolved(remotePorts) ? remotePorts : conditionValue(remotePorts.map(p => Tokenization.stringifyNumber(p))),
    },
    NumericLessThanEquals: { [MAX_TUNNEL_DURATION_KEY]: Tokenization.stringifyNumber(maxTunnelDuration.toSeconds()) },
    ...(Object.keys(ipConditions).length > 0 ? { IpAddress: ipConditions } : {}),
  };
}

function listCondition(values: string[]): unknown {
  return isUnresolved(values) ? values : conditionValue(values);
}
