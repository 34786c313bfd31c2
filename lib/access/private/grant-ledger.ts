import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { NetworkPaths } from './network-paths';
import { ConnectOptions } from '../../grants/connect-options';
import { MAX_TUNNEL_DURATION_SECONDS } from '../../private/vocabulary';

/** A grant through the endpoint, as the ledger remembers it. */
interface GrantRecord {
  readonly property: string;
  readonly instances: ec2.IInstance[];
  readonly instanceIds: string[];
  readonly remotePorts: number[];
  readonly tunnelBound?: number;
}

/**
 * Every grant made through the endpoint, read when the app is synthesized (so the order of calls does not matter)
 * by the two that need it: the network-path check (does each grant have a path?) and the command renderer (which
 * tunnel bound applies to an instance?).
 */
export class GrantLedger {
  private readonly grants: GrantRecord[] = [];

  /** Records a grant through the endpoint. */
  public record(property: string, options: ConnectOptions): void {
    const bound = options.maxTunnelDuration;
    this.grants.push({
      property,
      instances: options.instances ?? [],
      instanceIds: (options.instanceIds ?? []).filter(i => !Token.isUnresolved(i)),
      remotePorts: Token.isUnresolved(options.remotePorts) ? [] : options.remotePorts ?? [22],
      tunnelBound: bound && !bound.isUnresolved() ? bound.toSeconds() : undefined,
    });
  }

  /** The tightest tunnel bound, in seconds, of the grants that name `instance`, when it is under the service's hour. */
  public tunnelBoundOf(instance: ec2.IInstance): number | undefined {
    const bounds = this.grants.filter(g => g.instances.includes(instance) || g.instanceIds.includes(instance.instanceId))
      .map(g => g.tunnelBound ?? MAX_TUNNEL_DURATION_SECONDS);
    const bound = Math.min(MAX_TUNNEL_DURATION_SECONDS, ...bounds);
    return bound < MAX_TUNNEL_DURATION_SECONDS ? bound : undefined;
  }

  /** The grants whose targets have no network path on a granted port: grantees that would be unable to connect. */
  public withoutNetworkPath(paths: NetworkPaths): string[] {
    const problems: string[] = [];
    for (const grant of this.grants) {
      for (const port of grant.remotePorts) {
        const onPort = paths.on([port]);
        const named = grant.instances.filter(i => !onPort.some(p => p.target === i || sharesGroup(p.target, i)));
        if (named.length > 0) {
          problems.push(`${grant.property} grants port ${port} to ${named.map(i => i.node.path).join(', ')}, which has no network path on it ` +
            `(allowConnectionsTo(instance, ec2.Port.tcp(${port}))): the grantee cannot connect`);
        } else if (grant.instances.length === 0 && onPort.length === 0) {
          problems.push(`${grant.property} grants port ${port}, but no target was given a network path on it (allowConnectionsTo): ` +
            'the grantee cannot connect');
        }
      }
    }
    return problems;
  }
}

/** Whether `target` is a group `instance` belongs to (a path given to the instance's own security group). */
function sharesGroup(target: ec2.IConnectable, instance: ec2.IInstance): boolean {
  return target instanceof ec2.SecurityGroup && instance.connections.securityGroups.includes(target);
}
