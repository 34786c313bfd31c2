import { Duration } from 'aws-cdk-lib';

/**
 * Options of `InstanceConnectAccess.openTunnelCommand`.
 */
export interface OpenTunnelCommandOptions {
  /**
   * The port on the instance.
   *
   * @default 22
   */
  readonly remotePort?: number;

  /**
   * The local port the tunnel listens on, for ports other than 22 (for SSH the command uses an SSH ProxyCommand).
   *
   * @default - the same as `remotePort`
   */
  readonly localPort?: number;

  /**
   * The OS user, for SSH.
   *
   * @default 'ec2-user'
   */
  readonly osUser?: string;

  /**
   * The tunnel bound to pass (`--max-tunnel-duration`), when the grant that applies is not one that names the
   * instance (a grant by tag, say).
   *
   * @default - the tightest bound under one hour of the grants that name the instance; none otherwise
   */
  readonly maxTunnelDuration?: Duration;
}

/**
 * Options of `InstanceConnectAccess.sshCommand`.
 */
export interface SshCommandOptions {
  /**
   * The tunnel bound to pass (`maxTunnelDuration=` in `--eice-options`), when the grant that applies is not one
   * that names the instance (a grant by tag, say).
   *
   * @default - the tightest bound under one hour of the grants that name the instance; none otherwise
   */
  readonly maxTunnelDuration?: Duration;
}
