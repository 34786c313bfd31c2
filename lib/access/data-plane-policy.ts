import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { ConnectOptions } from './connect-options';
import { CONTROL_PLANE_ACTIONS, DATA_PLANE_DESCRIBE_ACTIONS } from './plane-actions';
import { show, validationError } from '../private/errors';
import { conditionValue, openTunnelConditions, SOURCE_IP_KEY } from '../private/open-tunnel-conditions';
import { isUnresolved, validateCidrs, validateInstanceId, validateNonEmpty, validateOsUser, warnAnySourceIp } from '../private/validation';

/** Past this many instances a grant names them by a tag and their subnets, to stay within IAM's size limits. */
export const FLEET_THRESHOLD = 100;

/** The tag key a fleet grant puts on its instances; the grant's ID is the value. */
export const FLEET_TAG_KEY = 'instance-connect-access:grant';

const OS_USER_KEY = 'ec2:osuser';

/** Wildcard resources of the data plane that AWS forces, with the reason (for cdk-nag acknowledgements). */
export const DATA_PLANE_WILDCARD_REASONS: Record<string, string> = {
  'ec2:DescribeInstances': 'ec2:DescribeInstances and ec2:DescribeInstanceConnectEndpoints support no resource-level permissions; ' +
    'the AWS CLI calls them to find the instance and the endpoint',
  'ec2-instance-connect:SendSSHPublicKey': 'attribute-based access: instance/* is narrowed by aws:ResourceTag conditions, ' +
    'and changing those tag keys is explicitly denied',
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
  /** Instances to tag with `FLEET_TAG_KEY` = the grant ID, when the grant switched to fleet mode. */
  readonly instancesToTag: ec2.IInstance[];
  /** How the instances are named, for the info annotation. */
  readonly summary: string;
}

/** Where a grant applies: the endpoint and its VPC. */
export interface DataPlaneScope {
  readonly endpointArn: string;
  readonly vpc: ec2.IVpc;
  /** A stable ID of the grant, used as the fleet tag's value. */
  readonly grantId: string;
  /** Deny control-plane actions too (operator roles the library creates). */
  readonly denyControlPlane: boolean;
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
  if (options.viaEndpoint ?? true) {
    const tunnelIps = [
      ...(fleet ? subnetCidrs(target.vpc, instances) : instances.map(i => `${i.instancePrivateIp}/32`)),
      ...(options.privateIpAddresses ?? []),
    ];
    if (tunnelIps.length === 0) {
      // Only IDs or tags were given: the addresses are unknown, so keep tunnels inside the endpoint's VPC.
      tunnelIps.push(target.vpc.vpcCidrBlock);
    }
    allows.push({
      actions: ['ec2-instance-connect:OpenTunnel'],
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
    allows.push({ actions: ['ec2-instance-connect:SendSSHPublicKey'], resourceArns: instanceArns, conditions: { ...osUser, ...sourceIp } });
  }
  const tagSets: Array<Record<string, string>> = [];
  if (options.instanceTags) {
    tagSets.push(options.instanceTags);
  }
  if (fleet) {
    tagSets.push({ [FLEET_TAG_KEY]: target.grantId });
  }
  for (const tags of tagSets) {
    const tagConditions = Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
    allows.push({
      actions: ['ec2-instance-connect:SendSSHPublicKey'],
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
      actions: ['ec2-instance-connect:SendSSHPublicKey'],
      resources: ['*'],
      conditions: { StringEquals: { [OS_USER_KEY]: 'root' } },
    }));
  }
  const accessTagKeys = tagSets.flatMap(tags => Object.keys(tags));
  if (accessTagKeys.length > 0) {
    // Access follows the tags, so whoever holds the grant must not be able to move them.
    denies.push(new iam.PolicyStatement({
      sid: 'DenyAccessTagChanges',
      effect: iam.Effect.DENY,
      actions: ['ec2:CreateTags', 'ec2:DeleteTags', 'autoscaling:CreateOrUpdateTags', 'autoscaling:DeleteTags'],
      resources: ['*'],
      conditions: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': listValue(accessTagKeys) } },
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
    ? `${instances.length} instances (more than ${FLEET_THRESHOLD}) are named by the tag ${FLEET_TAG_KEY}=${target.grantId} and their subnets' CIDRs`
    : `${instances.length} instances are named by ARN and private IP`;
  return { allows, denies, instancesToTag: fleet ? instances : [], summary };
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
  if (!options.instances && !options.instanceIds && !options.instanceTags && !options.privateIpAddresses) {
    throw validationError(scope, `${property} must name the targets with instances, instanceIds, instanceTags or privateIpAddresses, got none`);
  }
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
