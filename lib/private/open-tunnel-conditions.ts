import { Annotations, Duration, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { isUnresolved, validateCidrs, validateNonEmpty, validatePort, validateTunnelDuration } from './validation';
import {
  MAX_TUNNEL_DURATION_KEY,
  MAX_TUNNEL_DURATION_SECONDS,
  PRIVATE_IP_ADDRESS_KEY,
  REMOTE_PORT_KEY,
  SOURCE_IP_KEY,
  TUNNELLED_PORTS,
} from './vocabulary';
import { OpenTunnelOptions } from '../endpoint/open-tunnel-options';

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
