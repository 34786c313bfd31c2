import { Aspects, Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { OpenTunnelCommandOptions, SshCommandOptions } from './connect-command-options';
import { InstanceConnectAccessProps } from './instance-connect-access-props';
import { OperatorRoleOptions } from './operator-role-options';
import { defineAccessAudit } from './private/access-audit';
import { defineAccessEndpoint, defineControlPlaneRole } from './private/access-endpoint';
import { allowFromConsole, allowFromNetwork } from './private/classic-paths';
import { commandTarget, listeningTunnelCommand, sshCommand, sshProxyCommand } from './private/connect-commands';
import { addOperatorRole, grantConnect } from './private/data-plane-grant';
import { GrantLedger } from './private/grant-ledger';
import { NetworkPathCheck } from './private/network-path-check';
import { NetworkPaths } from './private/network-paths';
import { TargetsGroups } from './private/targets-groups';
import { InstanceConnectAuditTrail } from '../audit/instance-connect-audit-trail';
import { IInstanceConnectEndpoint } from '../endpoint/instance-connect-endpoint';
import { ConnectOptions } from '../grants/connect-options';
import { validationError } from '../private/errors';
import { protectByTag } from '../private/protected-tag';
import { validateConnectionPort, validateOsUser, validatePort, validateTunnelDuration } from '../private/validation';

/** The default port, made once: `allowConnectionsTo` runs once per target, and fleets have 1,000 of them. */
const SSH_PORT = ec2.Port.tcp(22);

/**
 * Bastion-free, keyless access to the instances of a VPC through EC2 Instance Connect Endpoint: the endpoint,
 * the network path to the targets, a control-plane role, data-plane grants and operator roles, each plane with
 * an explicit deny of the other. For a VPC reached without an endpoint, see `InstanceConnectClassicAccess`.
 *
 * @example
 * declare const vpc: ec2.IVpc;
 * declare const web: ec2.Instance;
 *
 * const access = new InstanceConnectAccess(this, 'Access', { vpc });
 * access.allowConnectionsTo(web);
 * access.addOperatorRole('OnCall', { instances: [web], osUsers: ['ec2-user'], sourceIpRanges: ['203.0.113.0/24'] });
 */
export class InstanceConnectAccess extends Construct {
  /**
   * The audit trail of every tunnel and key push, unless `auditTrail` is `false`.
   */
  public readonly auditTrail?: InstanceConnectAuditTrail;

  // The parts this construct composes (lib/access/private/): the endpoint and control-plane role, the per-port
  // targets groups, the network paths, and the grant ledger that the network-path check and the commands read.
  private readonly vpc: ec2.IVpc;
  private readonly _endpoint?: IInstanceConnectEndpoint;
  private readonly _controlPlaneRole?: iam.Role;
  /** The per-port targets groups: the network path endpoint to targets (none without an endpoint). */
  private readonly targets?: TargetsGroups;
  /** Every network path given, and every grant through the endpoint: compared once the app is complete. */
  private readonly paths: NetworkPaths;
  private readonly ledger = new GrantLedger();

  constructor(scope: Construct, id: string, props: InstanceConnectAccessProps) {
    super(scope, id);
    this.vpc = props.vpc;
    this.paths = new NetworkPaths(this, props.vpc);
    this._endpoint = defineAccessEndpoint(this, props);
    this.auditTrail = defineAccessAudit(this, props);
    if (this._endpoint) {
      this._controlPlaneRole = defineControlPlaneRole(this, props, this._endpoint);
      this.targets = new TargetsGroups(this, {
        vpc: props.vpc,
        endpoint: this._endpoint,
        preserveClientIp: props.preserveClientIp ?? props.endpoint?.preserveClientIp ?? false,
        paths: this.paths,
      });
    }
    // Grants and network paths may come in any order: they are compared once the app is complete.
    Aspects.of(this).add(new NetworkPathCheck(this, this.ledger, this.paths));
    // So that guardrails protect the endpoint's and the targets' security groups by tag.
    protectByTag(this);
  }

  /**
   * The endpoint connections go through.
   *
   * Throws with the deprecated `createEndpoint: false`, which defines none (`InstanceConnectClassicAccess` has no
   * such member to call).
   */
  public get endpoint(): IInstanceConnectEndpoint {
    return this.requireEndpoint('endpoint');
  }

  /**
   * The role that manages this VPC's endpoint and is explicitly denied every data-plane action.
   *
   * Throws with the deprecated `createEndpoint: false`, which defines no endpoint to manage.
   */
  public get controlPlaneRole(): iam.Role {
    this.requireEndpoint('controlPlaneRole');
    return this._controlPlaneRole!;
  }

  /**
   * Allows the endpoint to reach `target` on `port`.
   *
   * Instances, Auto Scaling groups and launch templates join a shared "Instance Connect targets" security group of
   * that port, so the rules stay one each way per port however many targets there are, and a target admits only
   * the ports it was allowed (each port's group takes one of the target's security-group slots, five by default).
   * Other connectables (a security group, say) get a rule each way of their own. For an Auto Scaling group built
   * from your own launch template, pass the launch template.
   *
   * @param target the instance, Auto Scaling group or other connectable to reach
   * @param port the TCP port to open: 22 for SSH, 3389 for RDP (default: `ec2.Port.tcp(22)`)
   */
  public allowConnectionsTo(target: ec2.IConnectable, port: ec2.Port = SSH_PORT): void {
    const targets = this.requireTargets('allowConnectionsTo');
    if (port !== SSH_PORT) {
      validateConnectionPort(this, 'allowConnectionsTo port', port);
    }
    targets.allow(target, port);
  }

  /**
   * The shared "Instance Connect targets" security group of `port`, with the endpoint's rules to it: for instances
   * defined outside this app (another stack, another team's template) to join. Grants by ID or tag then bound their
   * tunnels by the VPC's CIDR, since the group's members may be in any subnet.
   *
   * @param port the TCP port the group admits from the endpoint (default: `ec2.Port.tcp(22)`)
   */
  public targetsSecurityGroupFor(port: ec2.Port = SSH_PORT): ec2.ISecurityGroup {
    const targets = this.requireTargets('targetsSecurityGroupFor');
    if (port !== SSH_PORT) {
      validateConnectionPort(this, 'targetsSecurityGroupFor port', port);
    }
    return targets.groupFor(port);
  }

  /**
   * Allows classic EC2 Instance Connect over a private network (Direct Connect or VPN), without the endpoint:
   * ingress to `target` on `port` from on-premises ranges. Pair it with a grant with `viaEndpoint: false` and
   * `sourceIpRanges` set to the corporate NAT range, from which the key push (`SendSSHPublicKey`) is called.
   *
   * @param target the instance or other connectable to reach
   * @param sourceRanges the on-premises IPv4/IPv6 CIDRs clients connect from; never the internet, in any form
   * @param port the TCP port to open (default: `ec2.Port.tcp(22)`)
   */
  public allowConnectionsFromNetwork(target: ec2.IConnectable, sourceRanges: string[], port: ec2.Port = SSH_PORT): void {
    allowFromNetwork(this, target, sourceRanges, port);
  }

  /**
   * Allows browser-based EC2 Instance Connect from the AWS console to an instance with a public IP: SSH ingress
   * from the AWS-managed prefix list `com.amazonaws.<region>.ec2-instance-connect` only. The stack needs a concrete
   * Region: the prefix list is looked up (and cached in `cdk.context.json`) at synth time. Pair it with a grant
   * with `viaEndpoint: false`.
   *
   * @param target the instance to reach
   * @param port the SSH port (default: `ec2.Port.tcp(22)`)
   */
  public allowConsoleConnections(target: ec2.IConnectable, port: ec2.Port = SSH_PORT): void {
    allowFromConsole(this, target, port);
  }

  /**
   * Grants the data plane to an existing principal of yours, in customer-managed policies attached to it.
   *
   * Not to an IAM Identity Center role (`AWSReservedSSO_*`): AWS lets only the service change those, so the grant
   * is refused; give those users access in their permission set.
   *
   * @param grantee an IAM role, user or group
   * @param options who may connect to what
   */
  public grantConnect(grantee: iam.IGrantable, options: ConnectOptions): iam.Grant {
    return grantConnect(this, this.grantTarget(), grantee, options);
  }

  /**
   * Defines a role that may connect as `props` says, and is explicitly denied every control-plane action.
   *
   * @param id the construct ID of the role
   * @param options who may assume it, and what it may connect to
   */
  public addOperatorRole(id: string, options: OperatorRoleOptions): iam.Role {
    return addOperatorRole(this, this.grantTarget(), id, options);
  }

  /**
   * The AWS CLI v2 command that opens an SSH session to `instance` through this endpoint, with a one-time key.
   *
   * It passes `maxTunnelDuration` when the grants that name this instance bound tunnels under one hour (the
   * tightest of them), or `options.maxTunnelDuration`.
   *
   * @param instance the instance to connect to
   * @param osUser the OS user to log in as (default: `'ec2-user'`)
   * @param options the tunnel bound to pass
   */
  public sshCommand(instance: ec2.IInstance, osUser: string = 'ec2-user', options: SshCommandOptions = {}): string {
    validateOsUser(this, 'sshCommand osUser', osUser);
    return sshCommand(this.commandTarget('sshCommand', instance, options.maxTunnelDuration), osUser);
  }

  /**
   * The command that tunnels to `instance` through this endpoint with `aws ec2-instance-connect open-tunnel`.
   *
   * For SSH (port 22) it is an OpenSSH command with the tunnel as its `ProxyCommand`, for your own key pair; for
   * other ports (RDP) it listens on a local port. It passes `--max-tunnel-duration` when the grants that name this
   * instance bound tunnels under one hour (the tightest of them), or `options.maxTunnelDuration`.
   *
   * @param instance the instance to connect to
   * @param options the ports, OS user and tunnel bound
   */
  public openTunnelCommand(instance: ec2.IInstance, options: OpenTunnelCommandOptions = {}): string {
    const remotePort = options.remotePort ?? 22;
    validatePort(this, 'openTunnelCommand options.remotePort', remotePort);
    const target = this.commandTarget('openTunnelCommand', instance, options.maxTunnelDuration);
    if (remotePort === 22 && options.localPort === undefined) {
      const osUser = options.osUser ?? 'ec2-user';
      validateOsUser(this, 'openTunnelCommand options.osUser', osUser);
      return sshProxyCommand(target, osUser);
    }
    const localPort = options.localPort ?? remotePort;
    validatePort(this, 'openTunnelCommand options.localPort', localPort);
    return listeningTunnelCommand(target, remotePort, localPort);
  }

  /** Where data-plane grants apply, and where they are recorded. */
  private grantTarget() {
    return { vpc: this.vpc, endpoint: this._endpoint, paths: this.paths, ledger: this.ledger };
  }

  /** What a command needs: the endpoint, the instance, and the tunnel bound of the grants that name it. */
  private commandTarget(method: string, instance: ec2.IInstance, explicit: Duration | undefined) {
    const endpoint = this.requireEndpoint(method);
    if (explicit) {
      validateTunnelDuration(this, `${method} options.maxTunnelDuration`, explicit);
    }
    return commandTarget(endpoint, instance, explicit, this.ledger);
  }

  /** The targets groups (which need the endpoint), or the error of `requireEndpoint`. */
  private requireTargets(what: string): TargetsGroups {
    this.requireEndpoint(what);
    return this.targets!;
  }

  /** The endpoint, or an error naming what needs it when `createEndpoint` is false. */
  private requireEndpoint(what: string): IInstanceConnectEndpoint {
    if (!this._endpoint) {
      throw validationError(this, `${what} needs the EC2 Instance Connect Endpoint, but this InstanceConnectAccess has createEndpoint: false; ` +
        'use allowConnectionsFromNetwork or allowConsoleConnections and grants with viaEndpoint: false');
    }
    return this._endpoint;
  }
}
