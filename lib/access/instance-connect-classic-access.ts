import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { OperatorRoleOptions } from './operator-role-options';
import { defineAccessAudit } from './private/access-audit';
import { allowFromConsole, allowFromNetwork } from './private/classic-paths';
import { addOperatorRole, grantConnect } from './private/data-plane-grant';
import { GrantLedger } from './private/grant-ledger';
import { NetworkPaths } from './private/network-paths';
import { InstanceConnectAuditTrail, InstanceConnectAuditTrailProps } from '../audit/instance-connect-audit-trail';
import { ConnectOptions } from '../grants/connect-options';
import { show, validationError } from '../private/errors';
import { protectByTag } from '../private/protected-tag';

/**
 * Properties of `InstanceConnectClassicAccess`.
 */
export interface InstanceConnectClassicAccessProps {
  /**
   * The VPC of the instances: instances named in grants must be in it.
   */
  readonly vpc: ec2.IVpc;

  /**
   * Whether to define an `InstanceConnectAuditTrail` that records, keeps and alerts on every key push.
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

/**
 * Classic EC2 Instance Connect, without an endpoint: the client reaches the instance itself, over Direct Connect or
 * VPN (`allowConnectionsFromNetwork`) or from the browser console (`allowConsoleConnections`), after a one-time key
 * push (`SendSSHPublicKey`) that the grants allow. Every grant is `viaEndpoint: false`; nothing here needs an
 * endpoint, so nothing throws for the lack of one. Use `InstanceConnectAccess` for a VPC reached through an
 * EC2 Instance Connect Endpoint.
 *
 * @example
 * declare const vpc: ec2.IVpc;
 * declare const web: ec2.Instance;
 *
 * const access = new InstanceConnectClassicAccess(this, 'Access', { vpc });
 * access.allowConnectionsFromNetwork(web, ['10.20.0.0/16']);
 * access.addOperatorRole('OnCall', { instances: [web], osUsers: ['ec2-user'], sourceIpRanges: ['198.51.100.0/24'] });
 */
export class InstanceConnectClassicAccess extends Construct {
  /**
   * The audit trail of every key push, unless `auditTrail` is `false`.
   */
  public readonly auditTrail?: InstanceConnectAuditTrail;

  private readonly vpc: ec2.IVpc;
  private readonly paths: NetworkPaths;
  private readonly ledger = new GrantLedger();

  constructor(scope: Construct, id: string, props: InstanceConnectClassicAccessProps) {
    super(scope, id);
    this.vpc = props.vpc;
    this.paths = new NetworkPaths(this, props.vpc);
    this.auditTrail = defineAccessAudit(this, props);
    // So that guardrails protect what this construct defines by tag, as they do for InstanceConnectAccess.
    protectByTag(this);
  }

  /**
   * Allows classic EC2 Instance Connect over a private network (Direct Connect or VPN): ingress to `target` on
   * `port` from on-premises ranges. Pair it with grants whose `sourceIpRanges` is the corporate NAT range, from which
   * the key push (`SendSSHPublicKey`) is called.
   *
   * @param target the instance or other connectable to reach
   * @param sourceRanges the on-premises IPv4/IPv6 CIDRs clients connect from; never the internet, in any form
   * @param port the TCP port to open (default: `ec2.Port.tcp(22)`)
   */
  public allowConnectionsFromNetwork(target: ec2.IConnectable, sourceRanges: string[], port?: ec2.Port): void {
    allowFromNetwork(this, target, sourceRanges, port ?? ec2.Port.tcp(22));
  }

  /**
   * Allows browser-based EC2 Instance Connect from the AWS console to an instance with a public IP: SSH ingress
   * from the AWS-managed prefix list `com.amazonaws.<region>.ec2-instance-connect` only. The stack needs a concrete
   * Region: the prefix list is looked up (and cached in `cdk.context.json`) at synth time.
   *
   * @param target the instance to reach
   * @param port the SSH port (default: `ec2.Port.tcp(22)`)
   */
  public allowConsoleConnections(target: ec2.IConnectable, port?: ec2.Port): void {
    allowFromConsole(this, target, port ?? ec2.Port.tcp(22));
  }

  /**
   * Grants key pushes (`SendSSHPublicKey`) and `DescribeInstances` to an existing principal of yours, in
   * customer-managed policies attached to it. Not to an IAM Identity Center role (`AWSReservedSSO_*`): use
   * `InstanceConnectPermissionSet`.
   *
   * @param grantee an IAM role, user or group
   * @param options who may connect to what; the tunnel options (`remotePorts`, `maxTunnelDuration`,
   * `privateIpAddresses`, `targetSubnets`) do not apply without an endpoint
   */
  public grantConnect(grantee: iam.IGrantable, options: ConnectOptions): iam.Grant {
    return grantConnect(this, this.grantTarget(), grantee, this.withoutEndpoint(options, 'grantConnect options'));
  }

  /**
   * Defines a role that may push keys as `props` says, and is explicitly denied every control-plane action.
   *
   * @param id the construct ID of the role
   * @param options who may assume it, and what it may connect to
   */
  public addOperatorRole(id: string, options: OperatorRoleOptions): iam.Role {
    return addOperatorRole(this, this.grantTarget(), id, this.withoutEndpoint(options, `addOperatorRole ${id} props`));
  }

  /** The options as a grant without an endpoint; `viaEndpoint: true` is a contradiction, not a default. */
  private withoutEndpoint<T extends ConnectOptions>(options: T, property: string): T {
    if (options.viaEndpoint === true) {
      throw validationError(this, `${property}.viaEndpoint must be false or unset: InstanceConnectClassicAccess has no endpoint, got ${show(true)}`);
    }
    return { ...options, viaEndpoint: false };
  }

  private grantTarget() {
    return { vpc: this.vpc, endpoint: undefined, paths: this.paths, ledger: this.ledger };
  }
}
