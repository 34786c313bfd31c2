import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { DataPlaneOptions } from './data-plane-options';

/**
 * Who may connect to what: the data plane of EC2 Instance Connect (`OpenTunnel`, `SendSSHPublicKey` and the
 * `Describe*` calls the AWS CLI makes).
 *
 * Name the targets with at least one of `instances`, `instanceIds`, `instanceTags`, `privateIpAddresses` or
 * `targetSubnets`. The options every data-plane grant shares (ports, addresses, OS users, tags, ...) come from
 * `DataPlaneOptions`; the ones here name targets of this account and bound when and how a grant holds.
 */
export interface ConnectOptions extends DataPlaneOptions {
  /**
   * Instances the grantee may connect to: `SendSSHPublicKey` on their ARNs and `OpenTunnel` to their private IPs.
   *
   * Past 100 instances the grant switches to a tag on the instances and the CIDRs of their subnets, to stay
   * within IAM's policy size limits (an info annotation says so).
   *
   * @default - none
   */
  readonly instances?: ec2.IInstance[];

  /**
   * IDs of instances the grantee may push keys to (`SendSSHPublicKey` on their ARNs). Their private IPs are not
   * known, so tunnels are limited by `privateIpAddresses` or `targetSubnets`, or else to the subnets of the targets
   * given to `allowConnectionsTo` (see `privateIpAddresses`).
   *
   * @default - none
   */
  readonly instanceIds?: string[];

  /**
   * Subnets of the VPC whose addresses tunnels may reach (`IpAddress ec2-instance-connect:privateIpAddress` with
   * their CIDRs), in addition to `privateIpAddresses` and the private IPs of `instances`: the way to narrow tunnels
   * of a grant by `instanceTags` to where those instances run.
   *
   * @default - see `privateIpAddresses`
   */
  readonly targetSubnets?: ec2.SubnetSelection;

  /**
   * Whether the grantee connects through the endpoint (`OpenTunnel`). Set `false` for classic EC2 Instance Connect,
   * where the client reaches the instance itself — over Direct Connect or VPN (see
   * `InstanceConnectAccess.allowConnectionsFromNetwork`) or from the browser console (see
   * `allowConsoleConnections`): the grant is then `SendSSHPublicKey` and `DescribeInstances` only.
   *
   * @default true
   */
  readonly viaEndpoint?: boolean;

  /**
   * The grant holds only from this moment (`DateGreaterThan aws:CurrentTime` on every statement).
   *
   * @default - from when it is deployed
   */
  readonly validFrom?: Date;

  /**
   * The grant holds only until this moment (`DateLessThan aws:CurrentTime` on every statement): access that
   * expires by itself. A tunnel opened just before it lasts up to `maxTunnelDuration` beyond it, since IAM
   * authorises the tunnel when it opens; bound `maxTunnelDuration` if that matters. A window already over at
   * synth is a warning, not an error, so that unrelated redeploys do not fail on a date.
   *
   * @default - no end
   */
  readonly validUntil?: Date;

  /**
   * Requires a recent MFA sign-in: every statement needs `aws:MultiFactorAuthPresent` and an
   * `aws:MultiFactorAuthAge` of at most this. These keys exist only in sessions from `AssumeRole` or
   * `GetSessionToken` with an MFA code; federated sessions (SAML, web identity, IAM Identity Center) carry none, so
   * this would deny them all, and a recognisably federated grantee is refused. For those users, require MFA in the
   * identity provider.
   *
   * @default - no MFA condition
   */
  readonly requireMfa?: Duration;
}
