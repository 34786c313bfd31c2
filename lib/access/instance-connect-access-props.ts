import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { InstanceConnectAuditTrailProps } from '../audit/instance-connect-audit-trail';
import { IInstanceConnectEndpoint } from '../endpoint/instance-connect-endpoint';

/**
 * Properties of `InstanceConnectAccess`.
 */
export interface InstanceConnectAccessProps {
  /**
   * The VPC to give access to.
   */
  readonly vpc: ec2.IVpc;

  /**
   * Where to place a new endpoint.
   *
   * @default - the first private subnet of `vpc`
   */
  readonly endpointSubnets?: ec2.SubnetSelection;

  /**
   * Whether a new endpoint preserves the client's IP address. With `true`, every target must be in `vpc`, and
   * the instances' own logs and network ACLs see the clients' addresses instead of the endpoint's.
   *
   * @default false
   */
  readonly preserveClientIp?: boolean;

  /**
   * An existing endpoint to use instead of defining one (AWS allows one per VPC). The control-plane role then
   * manages that endpoint.
   *
   * @default - a new endpoint in `vpc`
   */
  readonly endpoint?: IInstanceConnectEndpoint;

  /**
   * Whether the VPC is reached through an EC2 Instance Connect Endpoint. Set `false` for a VPC reached only over
   * Direct Connect or VPN (`allowConnectionsFromNetwork`) or from the browser console (`allowConsoleConnections`):
   * no endpoint, no endpoint rules and no control-plane role are defined; grants must set `viaEndpoint: false`;
   * `endpoint`, `controlPlaneRole`, `allowConnectionsTo`, `sshCommand` and `openTunnelCommand` throw. The audit
   * trail stays (key pushes are recorded). It cannot be combined with `endpoint`, `endpointSubnets` or
   * `preserveClientIp`.
   *
   * @default true
   * @deprecated use `InstanceConnectClassicAccess` for a VPC reached without an endpoint: it has only the members
   * that apply there, so none throws for the lack of an endpoint
   */
  readonly createEndpoint?: boolean;

  /**
   * Tags to put on a new endpoint, so that grants in other accounts can name it: `OpenTunnel` sees only the
   * endpoint's tags (see `InstanceConnectPermissionSet`). Changing the endpoint's tags does not replace it.
   *
   * @default - `{ 'instance-connect-access:endpoint': 'true' }`, the tag `InstanceConnectPermissionSet` looks for by default
   */
  readonly endpointTags?: { [key: string]: string };

  /**
   * Who may assume the control-plane role.
   *
   * @default - the account root principal, i.e. IAM policies in this account decide who may assume it
   */
  readonly controlPlaneAssumedBy?: iam.IPrincipal;

  /**
   * Whether to define an `InstanceConnectAuditTrail` that records, keeps and alerts on every tunnel and key push.
   *
   * @default true
   */
  readonly auditTrail?: boolean;

  /**
   * How to define the audit trail, for example `createTrail: false` to alert on an organisation trail.
   *
   * @default - a new trail with the defaults of `InstanceConnectAuditTrailProps`
   */
  readonly auditTrailProps?: InstanceConnectAuditTrailProps;
}
