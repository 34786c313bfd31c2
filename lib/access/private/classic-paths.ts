import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { show, validationError } from '../../private/errors';
import { validateCidrs, validateConnectionPort, validateNetworkRanges } from '../../private/validation';

/**
 * The network paths of classic EC2 Instance Connect, where the client reaches the instance itself (no endpoint):
 * from on-premises ranges over Direct Connect or VPN, and from the AWS console's prefix list.
 */

/** Ingress to `target` on `port` from on-premises ranges, never the internet in any form. */
export function allowFromNetwork(scope: Construct, target: ec2.IConnectable, sourceRanges: string[], port: ec2.Port): void {
  validateConnectionPort(scope, 'allowConnectionsFromNetwork port', port);
  validateCidrs(scope, 'allowConnectionsFromNetwork sourceRanges', sourceRanges);
  if (sourceRanges === undefined || sourceRanges.length === 0) {
    throw validationError(scope, `allowConnectionsFromNetwork sourceRanges must not be empty, got ${show(sourceRanges)}`);
  }
  // The ranges are judged together: 0.0.0.0/1 and 128.0.0.0/1 are the whole internet as surely as 0.0.0.0/0.
  const internet = validateNetworkRanges(sourceRanges);
  if (internet) {
    throw validationError(scope, `allowConnectionsFromNetwork sourceRanges would open ${port} to the internet: ${internet}; ` +
      'name the on-premises ranges, or use the endpoint (allowConnectionsTo) or the console prefix list (allowConsoleConnections)');
  }
  sourceRanges.forEach(range => {
    const peer = range.includes(':') ? ec2.Peer.ipv6(range) : ec2.Peer.ipv4(range);
    target.connections.allowFrom(peer, port, 'EC2 Instance Connect over a private network');
  });
}

/** Ingress to `target` on `port` from the Region's `com.amazonaws.<region>.ec2-instance-connect` prefix list only. */
export function allowFromConsole(scope: Construct, target: ec2.IConnectable, port: ec2.Port): void {
  validateConnectionPort(scope, 'allowConsoleConnections port', port);
  const region = Stack.of(scope).region;
  if (Token.isUnresolved(region)) {
    throw validationError(scope, 'allowConsoleConnections needs a stack with a concrete region (env: { region }) to look up the prefix list ' +
      'com.amazonaws.<region>.ec2-instance-connect, got an environment-agnostic stack');
  }
  const id = 'ConsolePrefixList';
  const prefixList = (scope.node.tryFindChild(id) as ec2.IPrefixList | undefined) ??
    ec2.PrefixList.fromLookup(scope, id, { prefixListName: `com.amazonaws.${region}.ec2-instance-connect` });
  target.connections.allowFrom(ec2.Peer.prefixList(prefixList.prefixListId), port, 'EC2 Instance Connect from the AWS console');
}
