import { Duration } from 'aws-cdk-lib';

/**
 * How far a grant of `ec2-instance-connect:OpenTunnel` reaches.
 *
 * Every option becomes an IAM condition on the grant. `OpenTunnel` cannot be scoped to an instance ARN
 * (its only resource type is the endpoint), so the private IP address is how a grant names instances.
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
   * (`IpAddress ec2-instance-connect:privateIpAddress`).
   *
   * @default - no condition: any instance the endpoint can reach on the granted ports
   */
  readonly privateIpAddresses?: string[];

  /**
   * The longest tunnel the grantee may ask for (`NumericLessThanEquals ec2-instance-connect:maxTunnelDuration`),
   * from 1 second to 1 hour. A bound under 1 hour means the user must pass `--max-tunnel-duration`.
   *
   * @default Duration.hours(1) - the service maximum
   */
  readonly maxTunnelDuration?: Duration;

  /**
   * The client IP ranges the grantee may open tunnels from (`IpAddress aws:SourceIp`).
   *
   * @default - no condition on the caller's IP address
   */
  readonly sourceIpRanges?: string[];
}
