import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * Who may connect to what: the data plane of EC2 Instance Connect (`OpenTunnel`, `SendSSHPublicKey` and the
 * `Describe*` calls the AWS CLI makes).
 *
 * Name the targets with at least one of `instances`, `instanceIds`, `instanceTags` or `privateIpAddresses`.
 */
export interface ConnectOptions {
  /**
   * The OS users the grantee may log in as (`StringEquals ec2:osuser` on `SendSSHPublicKey`), for example
   * `ec2-user` on Amazon Linux or `ubuntu` on Ubuntu. Required unless the grant only opens RDP (`remotePorts:
   * [3389]`), which needs no key push.
   *
   * @default - no key pushes (allowed only for an RDP-only grant)
   */
  readonly osUsers?: string[];

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
   * known, so tunnels are limited by `privateIpAddresses`, or else to the endpoint's VPC CIDR.
   *
   * @default - none
   */
  readonly instanceIds?: string[];

  /**
   * Tags that name the instances the grantee may connect to (attribute-based access for fleets and Auto
   * Scaling groups): `SendSSHPublicKey` on `instance/*` with an `aws:ResourceTag` condition per tag. The grantee is
   * denied changing these tag keys, so it cannot widen its own access.
   *
   * @default - none
   */
  readonly instanceTags?: { [key: string]: string };

  /**
   * Private IPv4/IPv6 addresses or CIDRs that tunnels may reach (`IpAddress ec2-instance-connect:privateIpAddress`),
   * in addition to the private IPs of `instances`.
   *
   * `OpenTunnel` cannot be narrowed by an instance's ID or tags (its only resource is the endpoint), so a grant by
   * `instanceIds` or `instanceTags` narrows tunnels only by address: name the addresses here or with `targetSubnets`.
   *
   * @default - the private IPs of `instances`; with only `instanceIds` or `instanceTags`, the CIDRs of the subnets of
   * the targets given to `allowConnectionsTo` on the granted ports (the VPC's CIDR when a target's subnets are unknown)
   */
  readonly privateIpAddresses?: string[];

  /**
   * Subnets of the VPC whose addresses tunnels may reach (`IpAddress ec2-instance-connect:privateIpAddress` with
   * their CIDRs), in addition to `privateIpAddresses` and the private IPs of `instances`: the way to narrow tunnels
   * of a grant by `instanceTags` to where those instances run.
   *
   * @default - see `privateIpAddresses`
   */
  readonly targetSubnets?: ec2.SubnetSelection;

  /**
   * The client IP ranges the grantee may connect from (`IpAddress aws:SourceIp` on every data-plane statement).
   *
   * @default - any source IP address
   */
  readonly sourceIpRanges?: string[];

  /**
   * The instance ports tunnels may reach (`NumericEquals ec2-instance-connect:remotePort`): 22 for SSH, 3389 for RDP.
   *
   * @default [22]
   */
  readonly remotePorts?: number[];

  /**
   * The longest tunnel the grantee may open (`NumericLessThanEquals ec2-instance-connect:maxTunnelDuration`),
   * from 1 second to 1 hour. Under 1 hour, users must pass `--max-tunnel-duration`.
   *
   * @default Duration.hours(1)
   */
  readonly maxTunnelDuration?: Duration;

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
   * Whether `root` may be among `osUsers`. Without it, `root` is refused at synth time and explicitly denied.
   *
   * @default false
   */
  readonly allowRootLogin?: boolean;

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
