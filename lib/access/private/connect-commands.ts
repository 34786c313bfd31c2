import { Duration, Lazy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { GrantLedger } from './grant-ledger';
import { IInstanceConnectEndpoint } from '../../endpoint/instance-connect-endpoint';
import { MAX_TUNNEL_DURATION_SECONDS } from '../../private/vocabulary';

/**
 * The commands an operator runs, rendered for one instance. `tunnelBound` gives the tunnel bound that applies to
 * that instance, in seconds, when it is under the service's one hour (the CLI must then pass it); it is read when
 * the app is synthesized, so grants made after the command still count.
 */
export interface CommandTarget {
  readonly endpointId: string;
  readonly instanceId: string;
  readonly tunnelBound: () => number | undefined;
}

/**
 * What a command for `instance` needs: the endpoint, and the tunnel bound to pass, `explicit` when given, else the
 * tightest of the grants in `ledger` that name the instance.
 */
export function commandTarget(
  endpoint: IInstanceConnectEndpoint, instance: ec2.IInstance, explicit: Duration | undefined, ledger: GrantLedger,
): CommandTarget {
  return {
    endpointId: endpoint.instanceConnectEndpointId,
    instanceId: instance.instanceId,
    tunnelBound: () => {
      if (explicit && !explicit.isUnresolved()) {
        return explicit.toSeconds() < MAX_TUNNEL_DURATION_SECONDS ? explicit.toSeconds() : undefined;
      }
      return ledger.tunnelBoundOf(instance);
    },
  };
}

/** `aws ec2-instance-connect ssh` through the endpoint, with a one-time key. */
export function sshCommand(target: CommandTarget, osUser: string): string {
  const bound = Lazy.string({ produce: () => optional(target.tunnelBound(), b => `,maxTunnelDuration=${b}`) });
  return `aws ec2-instance-connect ssh --instance-id ${target.instanceId} --connection-type eice --os-user ${osUser} ` +
    `--eice-options endpointId=${target.endpointId}${bound}`;
}

/** OpenSSH with the tunnel as its ProxyCommand, for your own key pair. */
export function sshProxyCommand(target: CommandTarget, osUser: string): string {
  const bound = Lazy.string({ produce: () => optional(target.tunnelBound(), b => ` --max-tunnel-duration ${b}`) });
  return `ssh -o ProxyCommand='aws ec2-instance-connect open-tunnel --instance-id %h --instance-connect-endpoint-id ${target.endpointId}${bound}' ` +
    `${osUser}@${target.instanceId}`;
}

/** `aws ec2-instance-connect open-tunnel` listening on a local port (RDP, or any other). */
export function listeningTunnelCommand(target: CommandTarget, remotePort: number, localPort: number): string {
  const bound = Lazy.string({ produce: () => optional(target.tunnelBound(), b => ` --max-tunnel-duration ${b}`) });
  return `aws ec2-instance-connect open-tunnel --instance-id ${target.instanceId} --instance-connect-endpoint-id ${target.endpointId} ` +
    `--remote-port ${remotePort} --local-port ${localPort}${bound}`;
}

function optional(value: number | undefined, render: (v: number) => string): string {
  return value === undefined ? '' : render(value);
}
