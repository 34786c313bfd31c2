import { Annotations, Duration, Lazy, Names, Stack, Tags, Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { ConnectOptions } from './connect-options';
import { CONTROL_PLANE_WILDCARD_REASONS, controlPlaneStatements } from './control-plane-policy';
import { buildDataPlanePolicy, DATA_PLANE_WILDCARD_REASONS } from './data-plane-policy';
import { OpenTunnelCommandOptions, OperatorRoleProps } from './operator-role-props';
import { InstanceConnectAuditTrail, InstanceConnectAuditTrailProps } from '../audit/instance-connect-audit-trail';
import { IInstanceConnectEndpoint, InstanceConnectEndpoint } from '../endpoint/instance-connect-endpoint';
import { acknowledgeForcedWildcards } from '../private/acknowledge';
import { show, validationError } from '../private/errors';
import { assertNotIdentityCenterRole } from '../private/identity-center';
import { LateBoundList } from '../private/late-bound-list';
import { grantWithManagedPolicies } from '../private/managed-policy-grant';
import { validateCidrs, validateNetworkRanges, validateOsUser, validatePort } from '../private/validation';
import { MAX_TUNNEL_DURATION_SECONDS } from '../private/vocabulary';

/** The default port, made once: `allowConnectionsTo` runs once per target, and fleets have 1,000 of them. */
const SSH_PORT = ec2.Port.tcp(22);

/** Security groups a network interface may have by default (an adjustable quota); each targets group takes one. */
const SECURITY_GROUPS_PER_INTERFACE = 5;

/** A target given a network path, for the subnets tunnels of grants by ID or tag may reach. */
interface NetworkPath {
  readonly target: ec2.IConnectable;
  readonly port: ec2.Port;
}

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
   * An existing endpoint to use instead of defining one (AWS allows one per VPC).
   *
   * @default - a new endpoint in `vpc`
   */
  readonly endpoint?: IInstanceConnectEndpoint;

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

/**
 * Bastion-free, keyless access to the instances of a VPC through EC2 Instance Connect Endpoint: the endpoint,
 * the network path to the targets, a control-plane role, data-plane grants and operator roles, each plane with
 * an explicit deny of the other.
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
   * The endpoint connections go through.
   */
  public readonly endpoint: IInstanceConnectEndpoint;

  /**
   * The role that manages endpoints in this VPC and is explicitly denied every data-plane action.
   */
  public readonly controlPlaneRole: iam.Role;

  /**
   * The audit trail of every tunnel and key push, unless `auditTrail` is `false`.
   */
  public readonly auditTrail?: InstanceConnectAuditTrail;

  private readonly vpc: ec2.IVpc;
  private readonly preserveClientIp: boolean;
  /** One shared targets group per port, so a target admits only the ports it was allowed. */
  private readonly targetsSecurityGroups = new Map<string, ec2.SecurityGroup>();
  private readonly joinedTargets = new Map<string, Set<ec2.IConnectable>>();
  private readonly networkPaths: NetworkPath[] = [];
  private readonly tunnelBounds: number[] = [];
  private resolvedVpcId?: string;

  constructor(scope: Construct, id: string, props: InstanceConnectAccessProps) {
    super(scope, id);
    this.vpc = props.vpc;
    if (props.endpoint && (props.endpointSubnets || props.preserveClientIp !== undefined)) {
      throw validationError(this, 'endpointSubnets and preserveClientIp apply to a new endpoint; they cannot be set with endpoint');
    }
    this.preserveClientIp = props.preserveClientIp ?? (props.endpoint instanceof InstanceConnectEndpoint && props.endpoint.preserveClientIp);
    this.endpoint = props.endpoint ?? new InstanceConnectEndpoint(this, 'Endpoint', {
      vpc: props.vpc,
      vpcSubnets: props.endpointSubnets,
      preserveClientIp: props.preserveClientIp,
    });

    if (props.auditTrail === false && props.auditTrailProps) {
      throw validationError(this, 'auditTrailProps configure the audit trail; they cannot be set with auditTrail: false');
    }
    if (props.auditTrail ?? true) {
      this.auditTrail = new InstanceConnectAuditTrail(this, 'AuditTrail', props.auditTrailProps);
    }

    this.controlPlaneRole = new iam.Role(this, 'ControlPlaneRole', {
      assumedBy: props.controlPlaneAssumedBy ?? new iam.AccountRootPrincipal(),
      description: `Manages EC2 Instance Connect Endpoints of ${props.vpc.node.path}; may not open tunnels or push keys`,
    });
    const controlPlane = controlPlaneStatements(this, {
      vpc: props.vpc,
      endpointArn: this.endpoint.instanceConnectEndpointArn,
      endpointSecurityGroups: this.endpoint.connections.securityGroups,
    });
    const controlPlanePolicy = new iam.ManagedPolicy(this, 'ControlPlanePolicy', {
      description: 'EC2 Instance Connect Endpoint control plane: manage endpoints; data plane explicitly denied',
      statements: controlPlane,
      roles: [this.controlPlaneRole],
    });
    acknowledgeForcedWildcards(controlPlanePolicy, controlPlane, CONTROL_PLANE_WILDCARD_REASONS);
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
   * @param port the port to open
   * @default port ec2.Port.tcp(22)
   */
  public allowConnectionsTo(target: ec2.IConnectable, port: ec2.Port = SSH_PORT): void {
    this.assertInVpc(target);
    this.networkPaths.push({ target, port });
    const joinable = target as unknown as { addSecurityGroup?: (sg: ec2.ISecurityGroup) => void };
    if (typeof joinable.addSecurityGroup !== 'function') {
      this.endpoint.allowConnectionsTo(target, port);
      return;
    }
    const key = port.toString();
    const group = this.targetsGroup(port);
    let joined = this.joinedTargets.get(key);
    if (!joined) {
      joined = new Set();
      this.joinedTargets.set(key, joined);
      this.endpoint.allowConnectionsTo(group, port);
    }
    if (!joined.has(target)) {
      joined.add(target);
      joinable.addSecurityGroup(group);
      const groups = target.connections.securityGroups.length;
      if (groups > SECURITY_GROUPS_PER_INTERFACE) {
        Annotations.of(this).addWarningV2('cdk-instance-connect-access:securityGroupSlots',
          `allowConnectionsTo target ${(target as unknown as IConstruct).node?.path ?? show(target)} now has ${groups} security groups, ` +
          `more than the ${SECURITY_GROUPS_PER_INTERFACE} a network interface takes by default: raise the quota, or allow fewer ports`);
      }
    }
  }

  /**
   * Allows classic EC2 Instance Connect over a private network (Direct Connect or VPN), without the endpoint:
   * ingress to `target` on `port` from on-premises ranges. Pair it with a grant with `viaEndpoint: false` and
   * `sourceIpRanges` set to the corporate NAT range, from which the key push (`SendSSHPublicKey`) is called.
   *
   * @param target the instance or other connectable to reach
   * @param sourceRanges the on-premises IPv4/IPv6 CIDRs clients connect from; never `0.0.0.0/0` or `::/0`
   * @param port the port to open
   * @default port ec2.Port.tcp(22)
   */
  public allowConnectionsFromNetwork(target: ec2.IConnectable, sourceRanges: string[], port: ec2.Port = ec2.Port.tcp(22)): void {
    validateCidrs(this, 'allowConnectionsFromNetwork sourceRanges', sourceRanges);
    if (sourceRanges === undefined || sourceRanges.length === 0) {
      throw validationError(this, `allowConnectionsFromNetwork sourceRanges must not be empty, got ${show(sourceRanges)}`);
    }
    // The ranges are judged together: 0.0.0.0/1 and 128.0.0.0/1 are the whole internet as surely as 0.0.0.0/0.
    const internet = validateNetworkRanges(sourceRanges);
    if (internet) {
      throw validationError(this, `allowConnectionsFromNetwork sourceRanges would open ${port} to the internet: ${internet}; ` +
        'name the on-premises ranges, or use the endpoint (allowConnectionsTo) or the console prefix list (allowConsoleConnections)');
    }
    sourceRanges.forEach(range => {
      const peer = range.includes(':') ? ec2.Peer.ipv6(range) : ec2.Peer.ipv4(range);
      target.connections.allowFrom(peer, port, 'EC2 Instance Connect over a private network');
    });
  }

  /**
   * Allows browser-based EC2 Instance Connect from the AWS console to an instance with a public IP: SSH ingress
   * from the AWS-managed prefix list `com.amazonaws.<region>.ec2-instance-connect` only. The stack needs a concrete
   * Region: the prefix list is looked up (and cached in `cdk.context.json`) at synth time. Pair it with a grant
   * with `viaEndpoint: false`.
   *
   * @param target the instance to reach
   * @param port the SSH port
   * @default port ec2.Port.tcp(22)
   */
  public allowConsoleConnections(target: ec2.IConnectable, port: ec2.Port = ec2.Port.tcp(22)): void {
    const region = Stack.of(this).region;
    if (Token.isUnresolved(region)) {
      throw validationError(this, 'allowConsoleConnections needs a stack with a concrete region (env: { region }) to look up the prefix list ' +
        'com.amazonaws.<region>.ec2-instance-connect, got an environment-agnostic stack');
    }
    const id = 'ConsolePrefixList';
    const prefixList = (this.node.tryFindChild(id) as ec2.IPrefixList | undefined) ??
      ec2.PrefixList.fromLookup(this, id, { prefixListName: `com.amazonaws.${region}.ec2-instance-connect` });
    target.connections.allowFrom(ec2.Peer.prefixList(prefixList.prefixListId), port, 'EC2 Instance Connect from the AWS console');
  }

  /**
   * Grants the data plane to an existing principal (for example an IAM Identity Center permission-set role), in
   * customer-managed policies attached to it.
   *
   * @param grantee an IAM role, user or group
   * @param options who may connect to what
   */
  public grantConnect(grantee: iam.IGrantable, options: ConnectOptions): iam.Grant {
    assertNotIdentityCenterRole(this, grantee);
    // Name the policies after the grantee, so reordering grants does not rename them.
    const node = (grantee as unknown as Partial<IConstruct>).node;
    const base = `Connect${node ? Names.nodeUniqueId(node).slice(-40) : 'Principal'}`;
    let id = base;
    for (let n = 2; this.node.tryFindChild(id); n++) {
      id = `${base}${n}`;
    }
    return this.grantDataPlane(new Construct(this, id), grantee, options, false, 'grantConnect options');
  }

  /**
   * Defines a role that may connect as `props` says, and is explicitly denied every control-plane action.
   *
   * @param id the construct ID of the role
   * @param props who may assume it, and what it may connect to
   */
  public addOperatorRole(id: string, props: OperatorRoleProps): iam.Role {
    const session = props.maxSessionDuration;
    if (session && !session.isUnresolved() && (session.toSeconds() < 3600 || session.toSeconds() > 43200)) {
      throw validationError(this, `addOperatorRole ${id} props.maxSessionDuration must be from 1 to 12 hours, got ${session.toHumanString()}`);
    }
    const role = new iam.Role(this, id, {
      assumedBy: props.assumedBy ?? new iam.AccountRootPrincipal(),
      roleName: props.roleName,
      maxSessionDuration: props.maxSessionDuration ?? Duration.hours(1),
      description: 'Connects to instances through EC2 Instance Connect; may not manage endpoints',
    });
    this.grantDataPlane(role, role, props, true, `addOperatorRole ${id} props`);
    return role;
  }

  /**
   * The AWS CLI v2 command that opens an SSH session to `instance` through this endpoint, with a one-time key.
   *
   * It passes `maxTunnelDuration` when a grant of this construct bounds tunnels under one hour.
   *
   * @param instance the instance to connect to
   * @param osUser the OS user to log in as
   * @default osUser 'ec2-user'
   */
  public sshCommand(instance: ec2.IInstance, osUser: string = 'ec2-user'): string {
    validateOsUser(this, 'sshCommand osUser', osUser);
    const eiceOptions = Lazy.string({
      produce: () => {
        const bound = this.tightestTunnelBound();
        return bound === undefined ? '' : `,maxTunnelDuration=${bound}`;
      },
    });
    return `aws ec2-instance-connect ssh --instance-id ${instance.instanceId} --connection-type eice --os-user ${osUser} ` +
      `--eice-options endpointId=${this.endpoint.instanceConnectEndpointId}${eiceOptions}`;
  }

  /**
   * The command that tunnels to `instance` through this endpoint with `aws ec2-instance-connect open-tunnel`.
   *
   * For SSH (port 22) it is an OpenSSH command with the tunnel as its `ProxyCommand`, for your own key pair; for
   * other ports (RDP) it listens on a local port. It passes `--max-tunnel-duration` when a grant of this construct
   * bounds tunnels under one hour.
   *
   * @param instance the instance to connect to
   * @param options the ports and OS user
   */
  public openTunnelCommand(instance: ec2.IInstance, options: OpenTunnelCommandOptions = {}): string {
    const remotePort = options.remotePort ?? 22;
    validatePort(this, 'openTunnelCommand options.remotePort', remotePort);
    const maxDuration = Lazy.string({
      produce: () => {
        const bound = this.tightestTunnelBound();
        return bound === undefined ? '' : ` --max-tunnel-duration ${bound}`;
      },
    });
    const endpointId = this.endpoint.instanceConnectEndpointId;
    if (remotePort === 22 && options.localPort === undefined) {
      const osUser = options.osUser ?? 'ec2-user';
      validateOsUser(this, 'openTunnelCommand options.osUser', osUser);
      return `ssh -o ProxyCommand='aws ec2-instance-connect open-tunnel --instance-id %h --instance-connect-endpoint-id ${endpointId}${maxDuration}' ` +
        `${osUser}@${instance.instanceId}`;
    }
    const localPort = options.localPort ?? remotePort;
    validatePort(this, 'openTunnelCommand options.localPort', localPort);
    return `aws ec2-instance-connect open-tunnel --instance-id ${instance.instanceId} --instance-connect-endpoint-id ${endpointId} ` +
      `--remote-port ${remotePort} --local-port ${localPort}${maxDuration}`;
  }

  private grantDataPlane(scope: Construct, grantee: iam.IGrantable, options: ConnectOptions, isOperatorRole: boolean, property: string): iam.Grant {
    const grantId = Names.uniqueResourceName(scope, { maxLength: 64 });
    const policy = buildDataPlanePolicy(this, {
      endpointArn: this.endpoint.instanceConnectEndpointArn,
      vpc: this.vpc,
      grantId,
      denyControlPlane: isOperatorRole,
      tunnelAddresses: ports => this.tunnelAddresses(ports),
    }, options, property);
    for (const instance of policy.instancesToTag) {
      Tags.of(instance).add(policy.fleetTagKey!, 'true');
    }
    if (policy.instancesToTag.length > 0) {
      Annotations.of(scope).addInfo(`EC2 Instance Connect grant: ${policy.summary}`);
    }
    if (policy.unnarrowedTunnels !== undefined) {
      Annotations.of(scope).addWarningV2('cdk-instance-connect-access:tunnelsNotNarrowedByIdOrTag',
        `${property} names targets by instanceIds or instanceTags, which OpenTunnel cannot see (its only resource is the endpoint): ` +
        `its tunnels reach ${policy.unnarrowedTunnels}, on ports ${show(options.remotePorts ?? [22])}; the IDs and tags narrow only key pushes ` +
        '(SendSSHPublicKey), and so nothing for RDP. Name the addresses with privateIpAddresses or targetSubnets to narrow tunnels.');
    }
    const bound = options.maxTunnelDuration;
    if (bound && !bound.isUnresolved()) {
      this.tunnelBounds.push(bound.toSeconds());
    }
    return grantWithManagedPolicies(scope, grantee, {
      allows: policy.allows,
      denies: policy.denies,
      description: `EC2 Instance Connect data plane for ${grantee.grantPrincipal.toString()}: connect only; control plane ${isOperatorRole ? 'explicitly denied' : 'not granted'}`,
      wildcardReasons: DATA_PLANE_WILDCARD_REASONS,
    });
  }

  /** The tightest tunnel bound under one hour among the grants, which users must then pass to the CLI. */
  private tightestTunnelBound(): number | undefined {
    const bound = Math.min(...this.tunnelBounds);
    return bound < MAX_TUNNEL_DURATION_SECONDS ? bound : undefined;
  }

  /**
   * The shared targets group of `port`. SSH's keeps the ID of the single group of earlier versions, so upgrading
   * does not replace it.
   */
  private targetsGroup(port: ec2.Port): ec2.SecurityGroup {
    const key = port.toString();
    let group = this.targetsSecurityGroups.get(key);
    if (!group) {
      const rule = port.toRuleJson() as { ipProtocol: string; fromPort?: number; toPort?: number };
      const isSsh = rule.ipProtocol === 'tcp' && rule.fromPort === 22 && rule.toPort === 22;
      const name = `${rule.ipProtocol}${rule.fromPort ?? ''}${rule.toPort !== rule.fromPort ? `-${rule.toPort}` : ''}`.replace(/[^A-Za-z0-9]/g, '');
      group = new ec2.SecurityGroup(this, isSsh ? 'TargetsSecurityGroup' : `TargetsSecurityGroup${name.charAt(0).toUpperCase()}${name.slice(1)}`, {
        vpc: this.vpc,
        description: `Instance Connect targets on ${key}: inbound from the EC2 Instance Connect Endpoint only`,
        allowAllOutbound: false,
      });
      this.targetsSecurityGroups.set(key, group);
    }
    return group;
  }

  /**
   * What tunnels of a grant by ID or tag may reach: the CIDRs of the subnets of the targets given a network path on
   * `remotePorts`, bound at synthesis so that the order of calls does not matter; the VPC's CIDR when a target's
   * subnets are unknown (a launch template, a security group) or no target has a path on those ports.
   */
  private tunnelAddresses(remotePorts: number[]): { cidrs: string[]; description: string } {
    const vpcCidr = () => [this.vpc.vpcCidrBlock];
    const subnets = [...this.vpc.publicSubnets, ...this.vpc.privateSubnets, ...this.vpc.isolatedSubnets];
    const produce = (): string[] => {
      const cidrs = new Set<string>();
      for (const path of this.networkPaths) {
        const rule = path.port.toRuleJson() as { ipProtocol: string; fromPort?: number; toPort?: number };
        const onPorts = rule.ipProtocol === 'tcp' && remotePorts.some(p => rule.fromPort! <= p && p <= rule.toPort!);
        if (!onPorts) {
          continue;
        }
        const ids = subnetIdsOf(path.target);
        const found = ids?.map(id => subnets.find(s => s.subnetId === id));
        if (!found || found.length === 0 || found.some(s => s === undefined)) {
          return vpcCidr();
        }
        found.forEach(s => cidrs.add(s!.ipv4CidrBlock));
      }
      return cidrs.size > 0 ? [...cidrs] : vpcCidr();
    };
    return {
      cidrs: LateBoundList.of(produce, () => (subnets.length > 0 ? subnets.map(s => s.ipv4CidrBlock) : vpcCidr())),
      description: `the subnets of every target given to allowConnectionsTo on those ports (the CIDR of vpc ${this.vpc.node.path} ` +
        'when a target\'s subnets are unknown), whichever instance holds the address',
    };
  }

  /** Targets must be in the endpoint's VPC: for the shared group, and for client IP preservation. */
  private assertInVpc(target: ec2.IConnectable): void {
    const stack = Stack.of(this);
    for (const group of target.connections.securityGroups) {
      const cfn = group.node.defaultChild;
      // Only groups of this stack can be compared (resolving is costly: a fleet of 1,000 targets does it per target).
      if (!(cfn instanceof ec2.CfnSecurityGroup) || cfn.vpcId === undefined || Stack.of(cfn) !== stack) {
        continue;
      }
      this.resolvedVpcId ??= JSON.stringify(stack.resolve(this.vpc.vpcId));
      if (JSON.stringify(stack.resolve(cfn.vpcId)) !== this.resolvedVpcId) {
        throw validationError(this,
          `allowConnectionsTo target ${(target as unknown as IConstruct).node?.path ?? show(target)} is not in vpc ${this.vpc.node.path}` +
          (this.preserveClientIp ? ': with preserveClientIp the targets must be in the endpoint\'s VPC' : ': the endpoint reaches targets through security groups of its own VPC'));
      }
    }
  }
}

/** The subnet IDs an instance or Auto Scaling group launches into, when the template says; undefined otherwise. */
function subnetIdsOf(target: ec2.IConnectable): string[] | undefined {
  const cfn = (target as unknown as Partial<IConstruct>).node?.defaultChild;
  if (cfn instanceof ec2.CfnInstance) {
    return cfn.subnetId !== undefined ? [cfn.subnetId] : undefined;
  }
  if (cfn instanceof autoscaling.CfnAutoScalingGroup && !Token.isUnresolved(cfn.vpcZoneIdentifier)) {
    return cfn.vpcZoneIdentifier;
  }
  return undefined;
}
