import { Duration } from 'aws-cdk-lib';

/**
 * How far a grant of `ec2-instance-connect:OpenTunnel` reaches.
 *
 * Every option becomes an IAM condition on the grant. `OpenTunnel` cannot be scoped to an instance ARN
 * (its only resource type is the endpoint), so the private IP address is how a grant names instances.
 *
 * These are the tunnel bounds every data-plane grant shares: `ConnectOptions` and
 * `InstanceConnectPermissionSetProps` extend this struct (through `DataPlaneOptions`), so each option is declared,
 * validated and rendered in one place.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/permissions-for-ec2-instance-connect-endpoint.html
 */
export interface OpenTunnelOptions {
  /**
   * The ports on the instances that tunnels may reach (`NumericEquals ec2-instance-connect:remotePort`).
   *
   * The service tunnels SSH (22) and RDP (3389).
   *
   * @default [22]
   */
  readonly remotePorts?: number[];

  /**
   * The private IPv4 or IPv6 addresses or CIDRs that tunnels may reach
   * (`IpAddress ec2-instance-connect:privateIpAddress`). `OpenTunnel` cannot be narrowed by an instance's ID or tags
   * (its only resource is the endpoint), so addresses are the only way to narrow tunnels to instances.
   *
   * `InstanceConnectAccess` grants add the private IPs of `ConnectOptions.instances` and the CIDRs of
   * `ConnectOptions.targetSubnets` to these.
   *
   * @default - `grantOpenTunnel` and permission sets: no condition, any address the endpoint reaches on the granted
   * ports. `InstanceConnectAccess` grants: the private IPs of `instances`; with only `instanceIds` or `instanceTags`,
   * the CIDRs of the subnets of the targets given to `allowConnectionsTo` on the granted ports (the VPC's CIDR when
   * a target's subnets are unknown)
   */
  readonly privateIpAddresses?: string[];

  /**
   * The longest tunnel the grantee may open (`NumericLessThanEquals ec2-instance-connect:maxTunnelDuration`),
   * from 1 second to 1 hour. A bound under 1 hour means the user must pass `--max-tunnel-duration`.
   *
   * @default Duration.hours(1) - the service maximum
   */
  readonly maxTunnelDuration?: Duration;

  /**
   * The client IP ranges the grantee may connect from (`IpAddress aws:SourceIp` on every statement of the grant that
   * allows something).
   *
   * @default - no condition on the caller's IP address
   */
  readonly sourceIpRanges?: string[];
}
