import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * Attributes to import an existing EC2 Instance Connect Endpoint.
 */
export interface InstanceConnectEndpointAttributes {
  /**
   * The ID of the endpoint (`eice-…`).
   */
  readonly instanceConnectEndpointId: string;

  /**
   * The security groups of the endpoint. `allowConnectionsTo` adds egress rules to them and uses them as the
   * source of the targets' ingress rules.
   */
  readonly securityGroups: ec2.ISecurityGroup[];

  /**
   * Whether the endpoint preserves the client's IP address.
   *
   * @default - unknown
   */
  readonly preserveClientIp?: boolean;
}

/**
 * Properties of an EC2 Instance Connect Endpoint.
 */
export interface InstanceConnectEndpointProps {
  /**
   * The VPC the endpoint gives access to. AWS allows one endpoint per VPC.
   */
  readonly vpc: ec2.IVpc;

  /**
   * Where to place the endpoint. The endpoint lives in one subnet and reaches every subnet the VPC's route tables
   * allow; when the selection has several subnets the first one is used (see `subnet`).
   *
   * @default - the first private subnet of `vpc` (private with egress, else isolated, as `vpc.selectSubnets()` orders them)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The security groups of the endpoint (at most 16). Changing them later replaces the endpoint, which fails
   * while the old endpoint exists, so add rules to these groups instead.
   *
   * Inbound rules are not needed: the service accepts traffic to the endpoint regardless of them; IAM decides
   * who may connect.
   *
   * @default - one new security group with no inbound rules and no outbound rules until `allowConnectionsTo` adds them
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * Whether the instances see the client's IP address as the source of the connection, instead of the endpoint's.
   * With `true`, the targets must be in the endpoint's VPC, and their security groups and network ACLs must
   * allow the clients' addresses (rules that reference the endpoint's security group keep working).
   *
   * @default false
   */
  readonly preserveClientIp?: boolean;

  /**
   * A unique, case-sensitive identifier that makes creation idempotent.
   *
   * @default - none
   */
  readonly clientToken?: string;
}
