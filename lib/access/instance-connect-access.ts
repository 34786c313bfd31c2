import { Annotations, Aspects, Duration, IAspect, Names, Stack, Tags, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { CommandTarget, listeningTunnelCommand, sshCommand, sshProxyCommand } from './connect-commands';
import { ConnectOptions } from './connect-options';
import { validateConnectOptions } from './connect-options-validation';
import { CONTROL_PLANE_WILDCARD_REASONS, controlPlaneStatements } from './control-plane-policy';
import { buildDataPlanePolicy, DATA_PLANE_WILDCARD_REASONS } from './data-plane-policy';
import { InstanceConnectAccessProps } from './instance-connect-access-props';
import { OpenTunnelCommandOptions, OperatorRoleProps, SshCommandOptions } from './operator-role-props';
import { InstanceConnectAuditTrail } from '../audit/instance-connect-audit-trail';
import { IInstanceConnectEndpoint, InstanceConnectEndpoint } from '../endpoint/instance-connect-endpoint';
import { acknowledgeForcedWildcards } from '../private/acknowledge';
import { show, validationError } from '../private/errors';
import { assertNotIdentityCenterRole } from '../private/identity-center';
import { LateBoundList } from '../private/late-bound-list';
import { grantWithManagedPolicies } from '../private/managed-policy-grant';
import { protectAsTargetsGroup, protectByTag } from '../private/protected-tag';
import { validateCidrs, validateConnectionPort, validateNetworkRanges, validateOsUser, validatePort, validateTunnelDuration } from '../private/validation';
import { DEFAULT_ENDPOINT_TAG, MAX_TUNNEL_DURATION_SECONDS } from '../private/vocabulary';
import { subnetCidrOf, subnetIdsOf, subnetsOf, vpcCidrOf } from '../private/vpc-addresses';

/** The default port, made once: `allowConnectionsTo` runs once per target, and fleets have 1,000 of them. */
const SSH_PORT = ec2.Port.tcp(22);

/** The longest an IPv4 CIDR can be written, for size estimates. */
const LONGEST_IPV4_CIDR = '255.255.255.255/32';

/** Security groups a network interface may have by default (an adjustable quota); each targets group takes one. */
const SECURITY_GROUPS_PER_INTERFACE = 5;

/** A target given a network path, for the subnets tunnels of grants by ID or tag may reach. */
interface NetworkPath {
  readonly target: ec2.IConnectable;
  readonly port: ec2.Port;
}

/** A grant through the endpoint, remembered to check its network paths and to render commands. */
interface GrantRecord {
  readonly property: string;
  readonly instances: ec2.IInstance[];
  readonly instanceIds: string[];
  readonly remotePorts: number[];
  readonly tunnelBound?: number;
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
   * The audit trail of every tunnel and key push, unless `auditTrail` is `false`.
   */
  public readonly auditTrail?: InstanceConnectAuditTrail;

  private readonly vpc: ec2.IVpc;
  private readonly preserveClientIp: boolean;
  private readonly _endpoint?: IInstanceConnectEndpoint;
  private readonly _controlPlaneRole?: iam.Role;
  /** One shared targets group per port, so a target admits only the ports it was allowed. */
  private readonly targetsSecurityGroups = new Map<string, ec2.SecurityGroup>();
  private readonly joinedTargets = new Map<string, Set<ec2.IConnectable>>();
  private readonly networkPaths: NetworkPath[] = [];
  private readonly grants: GrantRecord[] = [];
  private resolvedVpcId?: string;

  constructor(scope: Construct, id: string, props: InstanceConnectAccessProps) {
    super(scope, id);
    this.vpc = props.vpc;
    const createEndpoint = props.createEndpoint ?? true;
    if (props.endpoint && (props.endpointSubnets || props.preserveClientIp !== undefined)) {
      throw validationError(this, 'endpointSubnets and preserveClientIp apply to a new endpoint; they cannot be set with endpoint');
    }
    if (!createEndpoint && (props.endpoint || props.endpointSubnets || props.preserveClientIp !== undefined || props.controlPlaneAssumedBy)) {
      const given = ['endpoint', 'endpointSubnets', 'preserveClientIp', 'controlPlaneAssumedBy'].filter(k => (props as any)[k] !== undefined);
      throw validationError(this, `createEndpoint: false defines no endpoint and no control plane, so ${given.join(', ')} cannot be set, got ${given.join(', ')}`);
    }
    this.preserveClientIp = props.preserveClientIp ?? props.endpoint?.preserveClientIp ?? false;
    if (props.endpointTags && (props.endpoint || !createEndpoint)) {
      throw validationError(this, `endpointTags apply to a new endpoint; they cannot be set with ${props.endpoint ? 'endpoint' : 'createEndpoint: false'}, ` +
        `got ${show(props.endpointTags)}`);
    }
    if (createEndpoint) {
      this._endpoint = props.endpoint ?? new InstanceConnectEndpoint(this, 'Endpoint', {
        vpc: props.vpc,
        vpcSubnets: props.endpointSubnets,
        preserveClientIp: props.preserveClientIp,
      });
      if (!props.endpoint) {
        // So that a permission set in the management account can name this endpoint (OpenTunnel sees only its tags).
        for (const [key, value] of Object.entries(props.endpointTags ?? { [DEFAULT_ENDPOINT_TAG.key]: DEFAULT_ENDPOINT_TAG.value })) {
          Tags.of(this._endpoint).add(key, value, { includeResourceTypes: ['AWS::EC2::InstanceConnectEndpoint'] });
        }
      }
    }

    if (props.auditTrail === false && props.auditTrailProps) {
      throw validationError(this, 'auditTrailProps configure the audit trail; they cannot be set with auditTrail: false');
    }
    if (props.auditTrail ?? true) {
      this.auditTrail = new InstanceConnectAuditTrail(this, 'AuditTrail', props.auditTrailProps);
    }

    if (this._endpoint) {
      this._controlPlaneRole = this.defineControlPlane(this._endpoint, props.controlPlaneAssumedBy);
    }
    // Grants and network paths may come in any order: they are compared once the app is complete.
    Aspects.of(this).add(new NetworkPathCheck(this, () => this.missingNetworkPaths()));
    // So that guardrails protect the endpoint's and the targets' security groups by tag.
    protectByTag(this);
  }

  /**
   * The endpoint connections go through.
   *
   * Throws with `createEndpoint: false`, which defines none.
   */
  public get endpoint(): IInstanceConnectEndpoint {
    return this.requireEndpoint('endpoint');
  }

  /**
   * The role that manages this VPC's endpoint and is explicitly denied every data-plane action.
   *
   * Throws with `createEndpoint: false`, which defines no endpoint to manage.
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
   * @param port the TCP port to open: 22 for SSH, 3389 for RDP
   * @default port ec2.Port.tcp(22)
   */
  public allowConnectionsTo(target: ec2.IConnectable, port: ec2.Port = SSH_PORT): void {
    const endpoint = this.requireEndpoint('allowConnectionsTo');
    if (port !== SSH_PORT) {
      validateConnectionPort(this, 'allowConnectionsTo port', port);
    }
    this.assertInVpc(target);
    this.networkPaths.push({ target, port });
    const joinable = target as unknown as { addSecurityGroup?: (sg: ec2.ISecurityGroup) => void };
    if (typeof joinable.addSecurityGroup !== 'function') {
      endpoint.allowConnectionsTo(target, port);
      return;
    }
    const group = this.targetsGroup(port);
    const joined = this.joinedTargets.get(port.toString())!;
    if (!joined.has(target)) {
      joined.add(target);
      joinable.addSecurityGroup(group);
      const groups = target.connections.securityGroups.length;
      if (groups > SECURITY_GROUPS_PER_INTERFACE) {
        Annotations.of(this).addWarningV2('cdk-instance-connect-access:securityGroupSlots',
          `allowConnectionsTo target ${pathOf(target)} now has ${groups} security groups, ` +
          `more than the ${SECURITY_GROUPS_PER_INTERFACE} a network interface takes by default: raise the quota, or allow fewer ports`);
      }
    }
  }

  /**
   * The shared "Instance Connect targets" security group of `port`, with the endpoint's rules to it: for instances
   * defined outside this app (another stack, another team's template) to join. Grants by ID or tag then bound their
   * tunnels by the VPC's CIDR, since the group's members may be in any subnet.
   *
   * @param port the TCP port the group admits from the endpoint
   * @default port ec2.Port.tcp(22)
   */
  public targetsSecurityGroupFor(port: ec2.Port = SSH_PORT): ec2.ISecurityGroup {
    this.requireEndpoint('targetsSecurityGroupFor');
    if (port !== SSH_PORT) {
      validateConnectionPort(this, 'targetsSecurityGroupFor port', port);
    }
    const group = this.targetsGroup(port);
    if (!this.networkPaths.some(path => path.target === group && path.port.toString() === port.toString())) {
      this.networkPaths.push({ target: group, port });
    }
    return group;
  }

  /**
   * Allows classic EC2 Instance Connect over a private network (Direct Connect or VPN), without the endpoint:
   * ingress to `target` on `port` from on-premises ranges. Pair it with a grant with `viaEndpoint: false` and
   * `sourceIpRanges` set to the corporate NAT range, from which the key push (`SendSSHPublicKey`) is called.
   *
   * @param target the instance or other connectable to reach
   * @param sourceRanges the on-premises IPv4/IPv6 CIDRs clients connect from; never the internet, in any form
   * @param port the TCP port to open
   * @default port ec2.Port.tcp(22)
   */
  public allowConnectionsFromNetwork(target: ec2.IConnectable, sourceRanges: string[], port: ec2.Port = SSH_PORT): void {
    validateConnectionPort(this, 'allowConnectionsFromNetwork port', port);
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
  public allowConsoleConnections(target: ec2.IConnectable, port: ec2.Port = SSH_PORT): void {
    validateConnectionPort(this, 'allowConsoleConnections port', port);
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
   * Grants the data plane to an existing principal of yours, in customer-managed policies attached to it.
   *
   * Not to an IAM Identity Center role (`AWSReservedSSO_*`): AWS lets only the service change those, so the grant
   * is refused; give those users access in their permission set.
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
    validateConnectOptions(this, options, 'grantConnect options', { vpc: this.vpc, grantee });
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
    validateConnectOptions(this, props, `addOperatorRole ${id} props`, { vpc: this.vpc, grantee: role });
    this.grantDataPlane(role, role, props, true, `addOperatorRole ${id} props`);
    return role;
  }

  /**
   * The AWS CLI v2 command that opens an SSH session to `instance` through this endpoint, with a one-time key.
   *
   * It passes `maxTunnelDuration` when the grants that name this instance bound tunnels under one hour (the
   * tightest of them), or `options.maxTunnelDuration`.
   *
   * @param instance the instance to connect to
   * @param osUser the OS user to log in as
   * @param options the tunnel bound to pass
   * @default osUser 'ec2-user'
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

  private defineControlPlane(endpoint: IInstanceConnectEndpoint, assumedBy: iam.IPrincipal | undefined): iam.Role {
    const role = new iam.Role(this, 'ControlPlaneRole', {
      assumedBy: assumedBy ?? new iam.AccountRootPrincipal(),
      description: `Manages EC2 Instance Connect Endpoints of ${this.vpc.node.path}; may not open tunnels or push keys`,
    });
    const statements = controlPlaneStatements(this, {
      vpc: this.vpc,
      endpointArn: endpoint.instanceConnectEndpointArn,
      endpointSecurityGroups: endpoint.connections.securityGroups,
    });
    const policy = new iam.ManagedPolicy(this, 'ControlPlanePolicy', {
      description: 'EC2 Instance Connect Endpoint control plane: manage this VPC\'s endpoint; data plane explicitly denied',
      statements,
      roles: [role],
    });
    acknowledgeForcedWildcards(policy, statements, CONTROL_PLANE_WILDCARD_REASONS);
    return role;
  }

  private grantDataPlane(scope: Construct, grantee: iam.IGrantable, options: ConnectOptions, isOperatorRole: boolean, property: string): iam.Grant {
    const viaEndpoint = options.viaEndpoint ?? true;
    if (viaEndpoint && !this._endpoint) {
      throw validationError(this, `${property} grants tunnels through the endpoint, but createEndpoint is false: set viaEndpoint: false ` +
        '(classic EC2 Instance Connect over Direct Connect, VPN or the console)');
    }
    const grantId = Names.uniqueResourceName(scope, { maxLength: 64 });
    const policy = buildDataPlanePolicy(this, {
      endpointArn: viaEndpoint ? this._endpoint!.instanceConnectEndpointArn : '',
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
    if (viaEndpoint) {
      const bound = options.maxTunnelDuration;
      this.grants.push({
        property,
        instances: options.instances ?? [],
        instanceIds: (options.instanceIds ?? []).filter(i => !Token.isUnresolved(i)),
        remotePorts: Token.isUnresolved(options.remotePorts) ? [] : options.remotePorts ?? [22],
        tunnelBound: bound && !bound.isUnresolved() ? bound.toSeconds() : undefined,
      });
    }
    return grantWithManagedPolicies(scope, grantee, {
      allows: policy.allows,
      denies: policy.denies,
      description: `EC2 Instance Connect data plane for ${grantee.grantPrincipal.toString()}: connect only; control plane ${isOperatorRole ? 'explicitly denied' : 'not granted'}`,
      wildcardReasons: DATA_PLANE_WILDCARD_REASONS,
    });
  }

  /** What a command needs: the endpoint, the instance, and the tunnel bound of the grants that name it. */
  private commandTarget(method: string, instance: ec2.IInstance, explicit: Duration | undefined): CommandTarget {
    const endpoint = this.requireEndpoint(method);
    if (explicit) {
      validateTunnelDuration(this, `${method} options.maxTunnelDuration`, explicit);
    }
    return {
      endpointId: endpoint.instanceConnectEndpointId,
      instanceId: instance.instanceId,
      tunnelBound: () => {
        const bounds = explicit && !explicit.isUnresolved()
          ? [explicit.toSeconds()]
          : this.grants.filter(g => g.instances.includes(instance) || g.instanceIds.includes(instance.instanceId))
            .map(g => g.tunnelBound ?? MAX_TUNNEL_DURATION_SECONDS);
        const bound = Math.min(MAX_TUNNEL_DURATION_SECONDS, ...bounds);
        return bound < MAX_TUNNEL_DURATION_SECONDS ? bound : undefined;
      },
    };
  }

  /** The endpoint, or an error naming what needs it when `createEndpoint` is false. */
  private requireEndpoint(what: string): IInstanceConnectEndpoint {
    if (!this._endpoint) {
      throw validationError(this, `${what} needs the EC2 Instance Connect Endpoint, but this InstanceConnectAccess has createEndpoint: false; ` +
        'use allowConnectionsFromNetwork or allowConsoleConnections and grants with viaEndpoint: false');
    }
    return this._endpoint;
  }

  /**
   * The shared targets group of `port`, with the endpoint's rules to it. SSH's keeps the logical ID of the single group the first versions had, so upgrading
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
      protectAsTargetsGroup(group);
      this.targetsSecurityGroups.set(key, group);
      this.joinedTargets.set(key, new Set());
      this.requireEndpoint('allowConnectionsTo').allowConnectionsTo(group, port);
    }
    return group;
  }

  /**
   * What tunnels of a grant by ID or tag may reach: the CIDRs of the subnets of the targets given a network path on
   * `remotePorts`, bound at synthesis so that the order of calls does not matter; the VPC's CIDR when a target's
   * subnets are unknown (a launch template, a security group) or no target has a path on those ports.
   */
  private tunnelAddresses(remotePorts: number[]): { cidrs: string[]; description: string } {
    const why = 'a grant by instanceIds or instanceTags needs to bound its tunnels';
    // Checked now, not at synthesis: the error then points at the grant.
    const fallback = vpcCidrOf(this, this.vpc, why);
    const vpcCidr = () => [fallback];
    const subnets = subnetsOf(this.vpc);
    const produce = (): string[] => {
      const cidrs = new Set<string>();
      for (const path of this.pathsOn(remotePorts)) {
        const found = subnetIdsOf(path.target)?.map(id => subnets.find(s => s.subnetId === id));
        if (!found || found.length === 0 || found.some(s => s === undefined)) {
          return vpcCidr();
        }
        found.forEach(s => cidrs.add(subnetCidrOf(this, s!, why)));
      }
      return cidrs.size > 0 ? [...cidrs] : vpcCidr();
    };
    return {
      // For policy packing, only the length counts: an unknown CIDR counts as the longest an IPv4 CIDR can be.
      cidrs: LateBoundList.of(produce, () => Array.from({ length: Math.max(1, subnets.length) }, () => LONGEST_IPV4_CIDR)),
      description: `the subnets of every target given to allowConnectionsTo on those ports (the CIDR of vpc ${this.vpc.node.path} ` +
        'when a target\'s subnets are unknown), whichever instance holds the address',
    };
  }

  /** The network paths on any of `ports` (TCP). */
  private pathsOn(ports: number[]): NetworkPath[] {
    return this.networkPaths.filter(path => {
      const rule = path.port.toRuleJson() as { ipProtocol: string; fromPort?: number; toPort?: number };
      return rule.ipProtocol === 'tcp' && ports.some(p => rule.fromPort! <= p && p <= rule.toPort!);
    });
  }

  /** The grants whose targets have no network path on a granted port: roles that would be unable to connect. */
  private missingNetworkPaths(): string[] {
    const problems: string[] = [];
    for (const grant of this.grants) {
      for (const port of grant.remotePorts) {
        const paths = this.pathsOn([port]);
        const named = grant.instances.filter(i => !paths.some(p => p.target === i || sharesGroup(p.target, i)));
        if (named.length > 0) {
          problems.push(`${grant.property} grants port ${port} to ${named.map(i => i.node.path).join(', ')}, which has no network path on it ` +
            `(allowConnectionsTo(instance, ec2.Port.tcp(${port}))): the grantee cannot connect`);
        } else if (grant.instances.length === 0 && paths.length === 0) {
          problems.push(`${grant.property} grants port ${port}, but no target was given a network path on it (allowConnectionsTo): ` +
            'the grantee cannot connect');
        }
      }
    }
    return problems;
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
          `allowConnectionsTo target ${pathOf(target)} is not in vpc ${this.vpc.node.path}` +
          (this.preserveClientIp ? ': with preserveClientIp the targets must be in the endpoint\'s VPC' : ': the endpoint reaches targets through security groups of its own VPC'));
      }
    }
  }
}

/**
 * Warns, once the app is complete, about grants whose targets have no network path: the order of `grantConnect`
 * and `allowConnectionsTo` calls does not matter, and a path made elsewhere on purpose is a warning, not an error.
 */
class NetworkPathCheck implements IAspect {
  constructor(private readonly owner: IConstruct, private readonly problems: () => string[]) {}

  public visit(node: IConstruct): void {
    if (node === this.owner) {
      for (const problem of this.problems()) {
        Annotations.of(this.owner).addWarningV2('cdk-instance-connect-access:noNetworkPath', problem);
      }
    }
  }
}

/** Whether `target` is a group `instance` belongs to (a path given to the instance's own security group). */
function sharesGroup(target: ec2.IConnectable, instance: ec2.IInstance): boolean {
  return target instanceof ec2.SecurityGroup && instance.connections.securityGroups.includes(target);
}

function pathOf(target: unknown): string {
  return (target as Partial<IConstruct>).node?.path ?? show(target);
}
