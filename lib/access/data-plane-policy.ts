import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { ConnectOptions } from './connect-options';
import { show, validationError } from '../private/errors';
import { conditionValue, openTunnelConditions } from '../private/open-tunnel-conditions';
import { isUnresolved, validateCidrs, validateInstanceId, validateNonEmpty, validateOsUser, warnAnySourceIp } from '../private/validation';
import {
  CONTROL_PLANE_ACTIONS,
  DATA_PLANE_DESCRIBE_ACTIONS,
  OPEN_TUNNEL,
  OS_USER_KEY,
  RESOURCE_TAG_PREFIX,
  SEND_SSH_PUBLIC_KEY,
  SOURCE_IP_KEY,
  TAG_KEYS_KEY,
  TAG_WRITE_ACTIONS,
} from '../private/vocabulary';

/** Past this many instances a grant names them by a tag and their subnets, to stay within IAM's size limits. */
export const FLEET_THRESHOLD = 100;

/**
 * The prefix of the tag key a fleet grant puts on its instances (`<prefix><grant ID>` = `true`). Each grant has a
 * key of its own, so two fleet grants over the same instances never overwrite each other's tag.
 */
export const FLEET_TAG_PREFIX = 'instance-connect-access:grant:';

/** The tag key of the fleet grant `grantId`. */
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
  readonly conditions?: Record<string, Record<string, unknown>>;
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
  validateOptions(scope, options, property);
  const stack = Stack.of(scope);
  const instances = options.instances ?? [];
  const fleet = instances.length > FLEET_THRESHOLD;
  const sourceIp: Record<string, Record<string, unknown>> = options.sourceIpRanges
    ? { IpAddress: { [SOURCE_IP_KEY]: listValue(options.sourceIpRanges) } }
    : {};
  const osUser = { StringEquals: { [OS_USER_KEY]: listValue(options.osUsers) } };

  const allows: DataPlaneAllow[] = [];
  const denies: iam.PolicyStatement[] = [];

  // OpenTunnel: the endpoint is the only resource type, so instances are named by private IP.
  let unnarrowedTunnels: string | undefined;
  if (options.viaEndpoint ?? true) {
    const tunnelIps = [
      ...(fleet ? subnetCidrs(target.vpc, instances) : instances.map(i => `${i.instancePrivateIp}/32`)),
      ...(options.privateIpAddresses ?? []),
      ...(options.targetSubnets ? selectedSubnetCidrs(scope, target.vpc, options.targetSubnets, property) : []),
    ];
    if (tunnelIps.length === 0) {
      // Only IDs or tags name the targets, and OpenTunnel sees neither: keep tunnels to the subnets of the targets
      // that have a network path on these ports (else the VPC), and say what that still reaches.
      const remotePorts = isUnresolved(options.remotePorts) ? [] : options.remotePorts ?? [22];
      const addresses = target.tunnelAddresses(remotePorts);
      tunnelIps.push(...addresses.cidrs);
      unnarrowedTunnels = addresses.description;
    }
    allows.push({
      actions: [OPEN_TUNNEL],
      resourceArns: [target.endpointArn],
      conditions: openTunnelConditions(scope, property, {
        remotePorts: options.remotePorts,
        maxTunnelDuration: options.maxTunnelDuration,
        privateIpAddresses: tunnelIps,
        sourceIpRanges: options.sourceIpRanges,
      }),
    });
  }

  // SendSSHPublicKey: on instance ARNs, or on instance/* narrowed by tags.
  const instanceArn = (id: string) => stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: id });
  const instanceArns = [
    ...(fleet ? [] : instances.map(i => instanceArn(i.instanceId))),
    ...(options.instanceIds ?? []).map(instanceArn),
  ];
  if (instanceArns.length > 0) {
    allows.push({ actions: [SEND_SSH_PUBLIC_KEY], resourceArns: instanceArns, conditions: { ...osUser, ...sourceIp } });
  }
  const tagSets: Array<Record<string, string>> = [];
  if (options.instanceTags) {
    tagSets.push(options.instanceTags);
  }
  const fleetKey = fleet ? fleetTagKey(target.grantId) : undefined;
  if (fleetKey) {
    tagSets.push({ [fleetKey]: 'true' });
  }
  for (const tags of tagSets) {
    const tagConditions = Object.fromEntries(Object.entries(tags).map(([k, v]) => [`${RESOURCE_TAG_PREFIX}${k}`, v]));
    allows.push({
      actions: [SEND_SSH_PUBLIC_KEY],
      resourceArns: [instanceArn('*')],
      conditions: { StringEquals: { ...osUser.StringEquals, ...tagConditions }, ...sourceIp },
    });
  }

  // What `aws ec2-instance-connect ssh` / `open-tunnel` describe; these actions take no resource-level permissions.
  const describeActions = (options.viaEndpoint ?? true) ? DATA_PLANE_DESCRIBE_ACTIONS : ['ec2:DescribeInstances'];
  allows.push({ actions: describeActions, resourceArns: ['*'], conditions: Object.keys(sourceIp).length > 0 ? sourceIp : undefined });

  if (!options.allowRootLogin) {
    denies.push(new iam.PolicyStatement({
      sid: 'DenyRootLogin',
      effect: iam.Effect.DENY,
      actions: [SEND_SSH_PUBLIC_KEY],
      resources: ['*'],
      // IgnoreCase: OS user names are case-sensitive on Linux, but a policy should not bet on how a service compares.
      conditions: { StringEqualsIgnoreCase: { [OS_USER_KEY]: 'root' } },
    }));
  }
  const accessTagKeys = tagSets.flatMap(tags => Object.keys(tags));
  if (accessTagKeys.length > 0) {
    // Access follows the tags, so whoever holds the grant must not be able to move them. IAM matches the key of
    // aws:ResourceTag/<key> without regard to case while EC2 tag keys are case-sensitive: a tag TEAM=web satisfies a
    // grant on team=web, so every letter case of the keys is denied.
    denies.push(new iam.PolicyStatement({
      sid: 'DenyAccessTagChanges',
      effect: iam.Effect.DENY,
      actions: TAG_WRITE_ACTIONS,
      resources: ['*'],
      conditions: { 'ForAnyValue:StringEqualsIgnoreCase': { [TAG_KEYS_KEY]: listValue(accessTagKeys) } },
    }));
    // ec2:DeleteTags without a tag list deletes every tag of the resource, and the request carries no aws:TagKeys.
    denies.push(new iam.PolicyStatement({
      sid: 'DenyDeletingEveryTag',
      effect: iam.Effect.DENY,
      actions: ['ec2:DeleteTags'],
      resources: ['*'],
      conditions: { Null: { [TAG_KEYS_KEY]: 'true' } },
    }));
  }
  if (target.denyControlPlane) {
    denies.push(new iam.PolicyStatement({
      sid: 'DenyControlPlane',
      effect: iam.Effect.DENY,
      actions: CONTROL_PLANE_ACTIONS,
      resources: ['*'],
    }));
  }

  const summary = fleet
    ? `${instances.length} instances (more than ${FLEET_THRESHOLD}) are named by the tag ${fleetKey}=true and their subnets' CIDRs`
    : `${instances.length} instances are named by ARN and private IP`;
  return { allows, denies, instancesToTag: fleet ? instances : [], fleetTagKey: fleetKey, summary, unnarrowedTunnels };
}

function validateOptions(scope: IConstruct, options: ConnectOptions, property: string): void {
  validateNonEmpty(scope, `${property}.osUsers`, options.osUsers);
  if (!isUnresolved(options.osUsers)) {
    options.osUsers.forEach((user, i) => {
      validateOsUser(scope, `${property}.osUsers[${i}]`, user);
      if (user === 'root' && !options.allowRootLogin) {
        throw validationError(scope, `${property}.osUsers[${i}] is "root": set allowRootLogin: true to allow logging in as root`);
      }
    });
  }
  validateNonEmpty(scope, `${property}.instances`, options.instances);
  validateNonEmpty(scope, `${property}.instanceIds`, options.instanceIds);
  (options.instanceIds ?? []).forEach((id, i) => validateInstanceId(scope, `${property}.instanceIds[${i}]`, id));
  validateCidrs(scope, `${property}.privateIpAddresses`, options.privateIpAddresses);
  validateCidrs(scope, `${property}.sourceIpRanges`, options.sourceIpRanges);
  warnAnySourceIp(scope, `${property}.sourceIpRanges`, options.sourceIpRanges);
  if (options.instanceTags) {
    const keys = Object.keys(options.instanceTags);
    if (keys.length === 0) {
      throw validationError(scope, `${property}.instanceTags must have at least one tag, got {}`);
    }
    for (const [key, value] of Object.entries(options.instanceTags)) {
      if (!Token.isUnresolved(key) && (key.length === 0 || key.length > 128 || key.toLowerCase().startsWith('aws:'))) {
        throw validationError(scope, `${property}.instanceTags key must be 1-128 characters and not start with "aws:", got ${show(key)}`);
      }
      if (!Token.isUnresolved(value) && value.length > 256) {
        throw validationError(scope, `${property}.instanceTags["${key}"] must be at most 256 characters, got ${value.length}`);
      }
    }
  }
  if (options.viaEndpoint === false && !options.instances && !options.instanceIds && !options.instanceTags) {
    throw validationError(scope, `${property} with viaEndpoint: false must name the targets with instances, instanceIds or instanceTags, got none`);
  }
  if (!options.instances && !options.instanceIds && !options.instanceTags && !options.privateIpAddresses && !options.targetSubnets) {
    throw validationError(scope, `${property} must name the targets with instances, instanceIds, instanceTags, privateIpAddresses or targetSubnets, got none`);
  }
}

/** The CIDRs of the subnets `selection` picks in `vpc`. */
function selectedSubnetCidrs(scope: IConstruct, vpc: ec2.IVpc, selection: ec2.SubnetSelection, property: string): string[] {
  const subnets = vpc.selectSubnets(selection).subnets;
  if (subnets.length === 0) {
    throw validationError(scope, `${property}.targetSubnets selects no subnet of vpc ${vpc.node.path}`);
  }
  return subnets.map(s => s.ipv4CidrBlock);
}

/** The CIDRs of the subnets the instances are in; the VPC CIDR when a subnet is not one of the VPC's. */
function subnetCidrs(vpc: ec2.IVpc, instances: ec2.IInstance[]): string[] {
  const subnets = [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets];
  const cidrs = new Set<string>();
  for (const instance of instances) {
    const subnetId = (instance.node.defaultChild as ec2.CfnInstance | undefined)?.subnetId;
    const subnet = subnets.find(s => s.subnetId === subnetId);
    if (!subnet) {
      return [vpc.vpcCidrBlock];
    }
    cidrs.add(subnet.ipv4CidrBlock);
  }
  return [...cidrs];
}

function listValue(values: string[]): unknown {
  return isUnresolved(values) ? values : conditionValue(values);
}
