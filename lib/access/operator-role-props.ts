import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ConnectOptions } from '../grants/connect-options';

/**
 * Properties of an operator role: a role that may connect (the data plane) and may not manage endpoints.
 */
export interface OperatorRoleProps extends ConnectOptions {
  /**
   * Who may assume the role.
   *
   * @default - the account root principal, i.e. IAM policies in this account decide who may assume it
   */
  readonly assumedBy?: iam.IPrincipal;

  /**
   * The name of the role.
   *
   * @default - a name CloudFormation generates
   */
  readonly roleName?: string;

  /**
   * The longest session of the role, from 1 to 12 hours. Tunnels end at their own bound regardless.
   *
   * @default Duration.hours(1)
   */
  readonly maxSessionDuration?: Duration;
}

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
