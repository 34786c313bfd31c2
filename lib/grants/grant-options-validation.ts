import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { ConnectOptions } from './connect-options';
import { DataPlaneOptions } from './data-plane-options';
import { OpenTunnelOptions } from './open-tunnel-options';
import { show, validationError } from '../private/errors';
import {
  isUnresolved,
  validateCidrs,
  validateInstanceId,
  validateNonEmpty,
  validateOsUser,
  validatePort,
  validateTunnelDuration,
  warnAnySourceIp,
  warnUntunnelledPort,
} from '../private/validation';
import { RDP_PORT } from '../private/vocabulary';

/**
 * The one validator of grant options: `InstanceConnectEndpoint.grantOpenTunnel`, `InstanceConnectAccess` and
 * `InstanceConnectPermissionSet` call these before rendering any condition. Bad input fails with the property and
 * the value received; tokens pass through.
 */

/** The tunnel bounds (`OpenTunnelOptions`). `property` prefixes names in messages, e.g. `grantOpenTunnel options`. */
export function validateOpenTunnelOptions(scope: IConstruct, property: string, options: OpenTunnelOptions): void {
  validateNonEmpty(scope, `${property}.remotePorts`, options.remotePorts);
  if (options.remotePorts !== undefined && !isUnresolved(options.remotePorts)) {
    options.remotePorts.forEach((port, i) => {
      validatePort(scope, `${property}.remotePorts[${i}]`, port);
      warnUntunnelledPort(scope, `${property}.remotePorts[${i}]`, port, true);
    });
  }
  if (options.maxTunnelDuration) {
    validateTunnelDuration(scope, `${property}.maxTunnelDuration`, options.maxTunnelDuration);
  }
  validateCidrs(scope, `${property}.privateIpAddresses`, options.privateIpAddresses);
  validateCidrs(scope, `${property}.sourceIpRanges`, options.sourceIpRanges);
  warnAnySourceIp(scope, `${property}.sourceIpRanges`, options.sourceIpRanges);
}

/** How a data-plane grant is named in messages, and whether it tunnels. */
export interface DataPlaneSubject {
  /** `grant` or `permission set`. */
  readonly noun: string;
  /** Whether the grant opens tunnels through an endpoint. */
  readonly viaEndpoint: boolean;
}

/** Who may log in on which tagged instances (`DataPlaneOptions` without the tunnel bounds). */
export function validateKeyPushOptions(scope: IConstruct, property: string, options: DataPlaneOptions, subject: DataPlaneSubject): void {
  validateNonEmpty(scope, `${property}.osUsers`, options.osUsers);
  if (options.osUsers !== undefined && !isUnresolved(options.osUsers)) {
    options.osUsers.forEach((user, i) => {
      validateOsUser(scope, `${property}.osUsers[${i}]`, user);
      if (!isUnresolved(user) && user.toLowerCase() === 'root' && !options.allowRootLogin) {
        throw validationError(scope, `${property}.osUsers[${i}] is "${user}": set allowRootLogin: true to allow logging in as root`);
      }
    });
  }
  const remotePorts = options.remotePorts ?? [22];
  const rdpOnly = subject.viaEndpoint && !isUnresolved(remotePorts) && remotePorts.length > 0 && remotePorts.every(p => p === RDP_PORT);
  if (options.osUsers === undefined && !rdpOnly) {
    throw validationError(scope, `${property}.osUsers is required unless the ${subject.noun} only opens RDP (remotePorts: [3389]), ` +
      `got remotePorts ${show(remotePorts)}${subject.viaEndpoint ? '' : ' with viaEndpoint: false'}`);
  }
  validateInstanceTags(scope, `${property}.instanceTags`, options.instanceTags);
}

/** Every option `DataPlaneOptions` declares. */
export function validateDataPlaneOptions(scope: IConstruct, property: string, options: DataPlaneOptions, subject: DataPlaneSubject): void {
  validateKeyPushOptions(scope, property, options, subject);
  validateOpenTunnelOptions(scope, property, options);
}

/** What a grant's options are judged against besides themselves. */
export interface GrantContext {
  /** The VPC of the endpoint: instances of a grant must be in it. */
  readonly vpc: ec2.IVpc;
  /** The principal the grant is for, to recognise federated sessions. */
  readonly grantee: iam.IGrantable;
}

/**
 * Every option of an `InstanceConnectAccess` grant, before any policy is built, whichever path (endpoint or not)
 * the grant takes.
 */
export function validateConnectOptions(scope: IConstruct, options: ConnectOptions, property: string, context: GrantContext): void {
  const viaEndpoint = options.viaEndpoint ?? true;
  validateKeyPushOptions(scope, property, options, { noun: 'grant', viaEndpoint });

  // The targets, named one way.
  validateNonEmpty(scope, `${property}.instances`, options.instances);
  (options.instances ?? []).forEach((instance, i) => assertInstanceInVpc(scope, `${property}.instances[${i}]`, instance, context.vpc));
  validateNonEmpty(scope, `${property}.instanceIds`, options.instanceIds);
  (options.instanceIds ?? []).forEach((id, i) => validateInstanceId(scope, `${property}.instanceIds[${i}]`, id));
  if (options.instanceTags && (options.instances || options.instanceIds)) {
    throw validationError(scope, `${property} names targets by instanceTags and by ${options.instances ? 'instances' : 'instanceIds'}: ` +
      'key pushes would follow the tags and tunnels the named instances; make one grant for each, got both');
  }
  if (!options.instances && !options.instanceIds && !options.instanceTags && !options.privateIpAddresses && !options.targetSubnets) {
    throw validationError(scope, `${property} must name the targets with instances, instanceIds, instanceTags, privateIpAddresses or targetSubnets, got none`);
  }

  // Tunnels: only through the endpoint.
  if (!viaEndpoint) {
    const tunnelOnly = (['remotePorts', 'maxTunnelDuration', 'privateIpAddresses', 'targetSubnets'] as const).filter(k => options[k] !== undefined);
    if (tunnelOnly.length > 0) {
      throw validationError(scope, `${property}.${tunnelOnly[0]} bounds tunnels through the endpoint, and a grant with viaEndpoint: false ` +
        `opens none; got ${show(tunnelOnly[0] === 'maxTunnelDuration' ? options.maxTunnelDuration?.toHumanString() : options[tunnelOnly[0]])}`);
    }
    if (!options.instances && !options.instanceIds && !options.instanceTags) {
      throw validationError(scope, `${property} with viaEndpoint: false must name the targets with instances, instanceIds or instanceTags, got none`);
    }
  }
  validateOpenTunnelOptions(scope, property, options);

  // When, and with what proof.
  validateWindow(scope, property, options);
  validateMfa(scope, property, options, context.grantee);
}

function validateInstanceTags(scope: IConstruct, property: string, tags: Record<string, string> | undefined): void {
  if (tags === undefined) {
    return;
  }
  if (Object.keys(tags).length === 0) {
    throw validationError(scope, `${property} must have at least one tag, got {}`);
  }
  for (const [key, value] of Object.entries(tags)) {
    if (!Token.isUnresolved(key) && (key.length === 0 || key.length > 128 || key.toLowerCase().startsWith('aws:'))) {
      throw validationError(scope, `${property} key must be 1-128 characters and not start with "aws:", got ${show(key)}`);
    }
    if (!Token.isUnresolved(value) && value.length > 256) {
      throw validationError(scope, `${property}["${key}"] must be at most 256 characters, got ${value.length}`);
    }
  }
}

/** An instance of a grant must be in the endpoint's VPC: the endpoint reaches nothing else. */
function assertInstanceInVpc(scope: IConstruct, property: string, instance: ec2.IInstance, vpc: ec2.IVpc): void {
  const stack = Stack.of(scope);
  for (const group of instance.connections.securityGroups) {
    const cfn = group.node.defaultChild;
    if (cfn instanceof ec2.CfnSecurityGroup && cfn.vpcId !== undefined && Stack.of(cfn) === stack &&
      JSON.stringify(stack.resolve(cfn.vpcId)) !== JSON.stringify(stack.resolve(vpc.vpcId))) {
      throw validationError(scope, `${property} is ${instance.node.path}, which is not in vpc ${vpc.node.path}: ` +
        'the endpoint reaches only its own VPC; grant it through the InstanceConnectAccess of that VPC');
    }
  }
}

function validateWindow(scope: IConstruct, property: string, options: ConnectOptions): void {
  for (const key of ['validFrom', 'validUntil'] as const) {
    const date = options[key];
    if (date !== undefined && (!(date instanceof Date) || Number.isNaN(date.getTime()))) {
      throw validationError(scope, `${property}.${key} must be a valid date, got ${show(String(date))}`);
    }
  }
  const { validFrom, validUntil } = options;
  if (validFrom && validUntil && validFrom.getTime() >= validUntil.getTime()) {
    throw validationError(scope, `${property}.validFrom must be before validUntil, got ${validFrom.toISOString()} and ${validUntil.toISOString()}`);
  }
  if (validUntil && validUntil.getTime() <= Date.now()) {
    // A warning, not an error: a redeploy of an unrelated change must not fail because a date went by.
    Annotations.of(scope).addWarningV2('cdk-instance-connect-access:grantExpired',
      `${property}.validUntil is ${validUntil.toISOString()}, already past: the grant allows nothing; remove it`);
  }
}

/** Principals whose sessions are federated carry no MFA context keys: `requireMfa` would deny them everything. */
function validateMfa(scope: IConstruct, property: string, options: ConnectOptions, grantee: iam.IGrantable): void {
  const mfa = options.requireMfa;
  if (mfa === undefined) {
    return;
  }
  if (!mfa.isUnresolved() && (mfa.toMilliseconds() < 1000 || mfa.toMilliseconds() % 1000 !== 0)) {
    throw validationError(scope, `${property}.requireMfa must be a whole number of seconds, at least 1, got ${mfa.toHumanString()}`);
  }
  const federated = federatedTrust(grantee);
  if (federated) {
    throw validationError(scope, `${property}.requireMfa cannot be met by ${federated}: federated sessions carry no aws:MultiFactorAuthPresent ` +
      'or aws:MultiFactorAuthAge, so every request would be denied; require MFA in the identity provider instead');
  }
}

/** How a grantee is recognisably federated (a SAML, web-identity or Identity Center trust), or undefined. */
export function federatedTrust(grantee: iam.IGrantable): string | undefined {
  const role = grantee.grantPrincipal as unknown as Partial<iam.Role>;
  const trust = role.assumeRolePolicy;
  if (!trust) {
    return undefined;
  }
  const json = JSON.stringify(Stack.of(role as unknown as IConstruct).resolve(trust.toJSON()));
  if (/"Federated"|sts:AssumeRoleWithSAML|sts:AssumeRoleWithWebIdentity/.test(json)) {
    return `role ${(role as unknown as IConstruct).node.path}, which trusts a federated identity provider`;
  }
  return undefined;
}
