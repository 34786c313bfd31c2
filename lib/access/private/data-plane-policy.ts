import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { subnetCidrOf, subnetIdsOf, subnetsOf, vpcCidrOf } from './vpc-addresses';
import { ConnectOptions } from '../../grants/connect-options';
import {
  Conditions,
  keyPushConditions,
  mergeConditions,
  mfaConditions,
  openTunnelConditions,
  rootLoginDenies,
  sourceIpConditions,
  windowConditions,
} from '../../grants/grant-conditions';
import { validationError } from '../../private/errors';
import { denyAccessTagChanges, denyControlPlane } from '../../private/operator-denies';
import { isUnresolved } from '../../private/validation';
import { DATA_PLANE_DESCRIBE_ACTIONS, FLEET_TAG_PREFIX, OPEN_TUNNEL, SEND_SSH_PUBLIC_KEY } from '../../private/vocabulary';

/** Past this many instances a grant names them by a tag and their subnets, to stay within IAM's size limits. */
export const FLEET_THRESHOLD = 100;

/**
 * The tag key of the fleet grant `grantId` (`<prefix><grant ID>` = `true`). Each grant has a key of its own, so two
 * fleet grants over the same instances never overwrite each other's tag.
 */
export function fleetTagKey(grantId: string): string {
  return `${FLEET_TAG_PREFIX}${grantId}`;
}

/** Wildcard resources of the data plane that AWS forces, with the reason (for cdk-nag acknowledgements). */
export const DATA_PLANE_WILDCARD_REASONS: Record<string, string> = {
  'ec2:DescribeInstances': 'ec2:DescribeInstances and ec2:DescribeInstanceConnectEndpoints support no resource-level permissions; ' +
    'the AWS CLI calls them to find the instance and the endpoint',
  [SEND_SSH_PUBLIC_KEY]: 'attribute-based access: instance/* is narrowed by aws:ResourceTag conditions, ' +
    'and changing those tag keys (in any letter case) is explicitly denied',
};

/** A statement of the grant: allows go through `iam.Grant`, denies are added as they are. */
export interface DataPlaneAllow {
  readonly actions: string[];
  readonly resourceArns: string[];
  readonly conditions?: Conditions;
}

/** What a data-plane grant needs in IAM and on the instances. */
export interface DataPlanePolicy {
  readonly allows: DataPlaneAllow[];
  readonly denies: iam.PolicyStatement[];
  /** Instances to tag with the grant's fleet tag, when the grant switched to fleet mode. */
  readonly instancesToTag: ec2.IInstance[];
  /** The fleet tag key, when the grant switched to fleet mode. */
  readonly fleetTagKey?: string;
  /** How the instances are named, for the info annotation. */
  readonly summary: string;
  /**
   * What tunnels reach when the grant names instances only by ID or tag, which `OpenTunnel` cannot see (for the
   * warning annotation); undefined when tunnels are narrowed to addresses the grant names.
   */
  readonly unnarrowedTunnels?: string;
}

/** Where a grant applies: the endpoint and its VPC. */
export interface DataPlaneScope {
  readonly endpointArn: string;
  readonly vpc: ec2.IVpc;
  /** A stable ID of the grant, used as the fleet tag's value. */
  readonly grantId: string;
  /** Deny control-plane actions too (operator roles the library creates). */
  readonly denyControlPlane: boolean;
  /**
   * The addresses tunnels may reach when the grant names its targets only by ID or tag: the subnets of the targets
   * given a network path on `remotePorts`, bound when the app is synthesized.
   */
  readonly tunnelAddresses: (remotePorts: number[]) => { readonly cidrs: string[]; readonly description: string };
}

/**
 * Builds the least-privilege data plane of EC2 Instance Connect for `options`: `OpenTunnel` on one endpoint,
 * `SendSSHPublicKey` on the named instances as the named OS users, the `Describe*` calls of the AWS CLI, and the
 * explicit denies that keep the grant from being widened (root, tag changes, the control plane).
 */
export function buildDataPlanePolicy(
  scope: IConstruct, target: DataPlaneScope, options: ConnectOptions, property = 'grantConnect options',
): DataPlanePolicy {
  const stack = Stack.of(scope);
  const instances = options.instances ?? [];
  const fleet = instances.length > FLEET_THRESHOLD;
  // What every statement of the grant carries: where from, when, and with what proof.
  const everywhere = mergeConditions(sourceIpConditions(options), windowConditions(options), mfaConditions(options));
  const keyPushes = options.osUsers !== undefined;

  const allows: DataPlaneAllow[] = [];
  const denies: iam.PolicyStatement[] = [];

  let unnarrowedTunnels: string | undefined;
  if (options.viaEndpoint ?? true) {
    const tunnel = tunnelAllow(scope, target, options, property);
    allows.push(tunnel.allow);
    unnarrowedTunnels = tunnel.unnarrowed;
  }

  // SendSSHPublicKey: on instance ARNs, or on instance/* narrowed by tags.
  const instanceArn = (id: string) => stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: id });
  const instanceArns = [
    ...(fleet ? [] : instances.map(i => instanceArn(i.instanceId))),
    ...(options.instanceIds ?? []).map(instanceArn),
  ];
  if (keyPushes && instanceArns.length > 0) {
    allows.push({ actions: [SEND_SSH_PUBLIC_KEY], resourceArns: instanceArns, conditions: mergeConditions(keyPushConditions(options), everywhere) });
  }
  const tagSets: Array<Record<string, string>> = [];
  if (options.instanceTags) {
    tagSets.push(options.instanceTags);
  }
  const fleetKey = fleet ? fleetTagKey(target.grantId) : undefined;
  if (fleetKey) {
    tagSets.push({ [fleetKey]: 'true' });
  }
  for (const tags of keyPushes ? tagSets : []) {
    const conditions = mergeConditions(keyPushConditions(options, tags), everywhere);
    allows.push({ actions: [SEND_SSH_PUBLIC_KEY], resourceArns: [instanceArn('*')], conditions });
  }

  // What `aws ec2-instance-connect ssh` / `open-tunnel` describe; these actions take no resource-level permissions.
  const describeActions = (options.viaEndpoint ?? true) ? DATA_PLANE_DESCRIBE_ACTIONS : ['ec2:DescribeInstances'];
  allows.push({ actions: describeActions, resourceArns: ['*'], conditions: Object.keys(everywhere).length > 0 ? everywhere : undefined });

  denies.push(...rootLoginDenies(options));
  const accessTagKeys = tagSets.flatMap(tags => Object.keys(tags));
  if (accessTagKeys.length > 0) {
    denies.push(...denyAccessTagChanges(accessTagKeys));
  }
  if (target.denyControlPlane) {
    denies.push(denyControlPlane());
  }

  const summary = fleet
    ? `${instances.length} instances (more than ${FLEET_THRESHOLD}) are named by the tag ${fleetKey}=true and their subnets' CIDRs`
    : `${instances.length} instances are named by ARN and private IP`;
  return { allows, denies, instancesToTag: fleet ? instances : [], fleetTagKey: fleetKey, summary, unnarrowedTunnels };
}

/**
 * `OpenTunnel`: the endpoint is the only resource type, so instances are named by private IP. `unnarrowed` says what
 * tunnels still reach when only IDs or tags name the targets.
 */
function tunnelAllow(
  scope: IConstruct, target: DataPlaneScope, options: ConnectOptions, property: string,
): { allow: DataPlaneAllow; unnarrowed?: string } {
  const instances = options.instances ?? [];
  const tunnelIps = [
    ...(instances.length > FLEET_THRESHOLD ? subnetCidrs(scope, target.vpc, instances) : instances.map(i => `${i.instancePrivateIp}/32`)),
    ...(options.privateIpAddresses ?? []),
    ...(options.targetSubnets ? selectedSubnetCidrs(scope, target.vpc, options.targetSubnets, property) : []),
  ];
  let unnarrowed: string | undefined;
  if (tunnelIps.length === 0) {
    // Only IDs or tags name the targets, and OpenTunnel sees neither: keep tunnels to the subnets of the targets
    // that have a network path on these ports (else the VPC), and say what that still reaches.
    const remotePorts = isUnresolved(options.remotePorts) ? [] : options.remotePorts ?? [22];
    const addresses = target.tunnelAddresses(remotePorts);
    tunnelIps.push(...addresses.cidrs);
    unnarrowed = addresses.description;
  }
  const conditions = mergeConditions(
    openTunnelConditions({ ...options, privateIpAddresses: tunnelIps }), windowConditions(options), mfaConditions(options));
  return { allow: { actions: [OPEN_TUNNEL], resourceArns: [target.endpointArn], conditions }, unnarrowed };
}

/** The CIDRs of the subnets `selection` picks in `vpc`. */
function selectedSubnetCidrs(scope: IConstruct, vpc: ec2.IVpc, selection: ec2.SubnetSelection, property: string): string[] {
  const subnets = vpc.selectSubnets(selection).subnets;
  if (subnets.length === 0) {
    throw validationError(scope, `${property}.targetSubnets selects no subnet of vpc ${vpc.node.path}`);
  }
  return subnets.map(s => subnetCidrOf(scope, s, `${property}.targetSubnets needs to bound tunnels`));
}

/** The CIDRs of the subnets the instances are in; the VPC CIDR when a subnet is not one of the VPC's. */
function subnetCidrs(scope: IConstruct, vpc: ec2.IVpc, instances: ec2.IInstance[]): string[] {
  const subnets = subnetsOf(vpc);
  const why = 'a grant of more than 100 instances needs to bound tunnels to their subnets';
  const cidrs = new Set<string>();
  for (const instance of instances) {
    const [subnetId] = subnetIdsOf(instance) ?? [];
    const subnet = subnets.find(s => s.subnetId === subnetId);
    if (!subnet) {
      return [vpcCidrOf(scope, vpc, why)];
    }
    cidrs.add(subnetCidrOf(scope, subnet, why));
  }
  return [...cidrs];
}
