import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import { InstanceConnectGuardrailsProps } from './instance-connect-guardrails-props';
import { show, validationError } from '../private/errors';
import { packStatements } from '../private/policy-packing';
import {
  AUDIT_KEY_TAG,
  CONTROL_PLANE_ACTIONS,
  DEFAULT_ENDPOINT_TAG,
  KEY_TAMPERING_EVENT_NAMES,
  OPEN_TUNNEL,
  RESOURCE_TAG_PREFIX,
  SEND_SERIAL_CONSOLE_SSH_PUBLIC_KEY,
  SEND_SSH_PUBLIC_KEY,
  TAG_KEYS_KEY,
  TAG_WRITE_ACTIONS,
  TRAIL_TAMPERING_EVENT_NAMES,
} from '../private/vocabulary';

/** Organizations quota: characters in one service control policy. */
const MAX_SCP_LENGTH = 5120;
/** Organizations quota: service control policies attached to one root, OU or account, FullAWSAccess included. */
const MAX_SCPS_PER_TARGET = 5;
/** The condition key that names the calling principal, role ARN with its path for assumed-role sessions. */
const PRINCIPAL_ARN_KEY = 'aws:PrincipalArn';
/** The prefix of the tag keys fleet grants put on instances, one key per grant. */
const FLEET_TAG_PATTERN = 'instance-connect-access:grant:*';

/**
 * Service control policies that make EC2 Instance Connect access go through the library's model in every account
 * they are attached to: the data plane only for the principals you name, the access tags and endpoint changes only
 * for the roles that deploy them, no serial console unless allowed, and no tampering with trails or the audit keys;
 * with exemptions for the StackSets and CDK execution roles and for break-glass roles, so the guardrails never block
 * the roll-out. SCPs never grant anything, and they do not apply to the organisation's management account.
 *
 * @example
 * new InstanceConnectGuardrails(this, 'Guardrails', {
 *   targetIds: ['ou-ab12-cdefgh34'],
 *   connectPermissionSets: ['InstanceConnect'],
 *   accessTagKeys: ['team', 'instance-connect-access:endpoint'],
 *   breakGlassRoles: ['arn:aws:iam::*:role/BreakGlass'],
 * });
 */
export class InstanceConnectGuardrails extends Construct {
  /** The service control policies, attached to every target. */
  public readonly policies: organizations.CfnPolicy[];

  /** Their documents. */
  public readonly documents: iam.PolicyDocument[];

  constructor(scope: Construct, id: string, props: InstanceConnectGuardrailsProps) {
    super(scope, id);
    validate(this, props);
    const partition = Stack.of(this).partition;
    const role = (pattern: string) => `arn:${partition}:iam::*:role/${pattern}`;
    const breakGlass = props.breakGlassRoles ?? [];
    const connectors = [
      ...(props.connectPermissionSets ?? []).map(name => role(`aws-reserved/sso.amazonaws.com/*AWSReservedSSO_${name}_*`)),
      ...(props.connectPrincipals ?? []),
      ...breakGlass,
    ];
    const deployers = [
      ...(props.deploymentRoles ?? []),
      ...(props.exemptStackSetsExecutionRole ?? true ? [role('stacksets-exec-*')] : []),
      ...(props.exemptCdkExecutionRole ?? true ? [role('cdk-*-cfn-exec-role-*')] : []),
      ...breakGlass,
    ];
    const except = (principals: string[]) => ({ ArnNotLike: { [PRINCIPAL_ARN_KEY]: principals.length === 1 ? principals[0] : principals } });
    const accessTagKeys = props.accessTagKeys ?? [DEFAULT_ENDPOINT_TAG.key];

    const statements = [
      new iam.PolicyStatement({
        sid: 'DataPlaneOnlyForNamedPrincipals',
        effect: iam.Effect.DENY,
        actions: [OPEN_TUNNEL, SEND_SSH_PUBLIC_KEY, ...(props.allowSerialConsole ? [SEND_SERIAL_CONSOLE_SSH_PUBLIC_KEY] : [])],
        resources: ['*'],
        ...(connectors.length > 0 ? { conditions: except(connectors) } : {}),
      }),
      ...(props.allowSerialConsole ? [] : [new iam.PolicyStatement({
        sid: 'NoSerialConsole',
        effect: iam.Effect.DENY,
        actions: [SEND_SERIAL_CONSOLE_SSH_PUBLIC_KEY],
        resources: ['*'],
        ...(breakGlass.length > 0 ? { conditions: except(breakGlass) } : {}),
      })]),
      new iam.PolicyStatement({
        // IAM matches aws:ResourceTag/<key> without regard to case, EC2 tag keys are case-sensitive: every case.
        sid: 'AccessTagsOnlyForDeployers',
        effect: iam.Effect.DENY,
        actions: TAG_WRITE_ACTIONS,
        resources: ['*'],
        conditions: { 'ForAnyValue:StringEqualsIgnoreCase': { [TAG_KEYS_KEY]: accessTagKeys }, ...except(deployers) },
      }),
      new iam.PolicyStatement({
        sid: 'FleetTagsOnlyForDeployers',
        effect: iam.Effect.DENY,
        actions: TAG_WRITE_ACTIONS,
        resources: ['*'],
        conditions: { 'ForAnyValue:StringLike': { [TAG_KEYS_KEY]: FLEET_TAG_PATTERN }, ...except(deployers) },
      }),
      new iam.PolicyStatement({
        // DeleteTags without a key list deletes every tag, access tags included, and carries no aws:TagKeys.
        sid: 'DeletingEveryTagOnlyForDeployers',
        effect: iam.Effect.DENY,
        actions: ['ec2:DeleteTags'],
        resources: ['*'],
        conditions: { Null: { [TAG_KEYS_KEY]: 'true' }, ...except(deployers) },
      }),
      new iam.PolicyStatement({
        sid: 'EndpointChangesOnlyForDeployers',
        effect: iam.Effect.DENY,
        actions: CONTROL_PLANE_ACTIONS,
        resources: ['*'],
        conditions: except(deployers),
      }),
      new iam.PolicyStatement({
        sid: 'TrailsOnlyForDeployers',
        effect: iam.Effect.DENY,
        actions: TRAIL_TAMPERING_EVENT_NAMES.map(name => `cloudtrail:${name}`),
        resources: ['*'],
        conditions: except(deployers),
      }),
      new iam.PolicyStatement({
        sid: 'AuditKeysOnlyForDeployers',
        effect: iam.Effect.DENY,
        actions: KEY_TAMPERING_EVENT_NAMES.map(name => `kms:${name}`),
        resources: ['*'],
        conditions: { StringEquals: { [`${RESOURCE_TAG_PREFIX}${AUDIT_KEY_TAG.key}`]: AUDIT_KEY_TAG.value }, ...except(deployers) },
      }),
    ];

    const documents = packStatements(this, statements, MAX_SCP_LENGTH, 'service control policy (name fewer principals or roles)');
    const room = MAX_SCPS_PER_TARGET - (props.existingPoliciesPerTarget ?? 1);
    if (documents.length > room) {
      throw validationError(this, `the guardrails need ${documents.length} service control policies of at most ${MAX_SCP_LENGTH} characters, ` +
        `but a target takes ${MAX_SCPS_PER_TARGET} with ${props.existingPoliciesPerTarget ?? 1} already attached; name fewer principals or roles`);
    }
    this.documents = documents.map(s => new iam.PolicyDocument({ statements: s }));
    this.policies = this.documents.map((document, i) => new organizations.CfnPolicy(this, documents.length === 1 ? 'Policy' : `Policy${i + 1}`, {
      name: `${this.node.id}-instance-connect${documents.length === 1 ? '' : `-${i + 1}`}`.slice(0, 128),
      type: 'SERVICE_CONTROL_POLICY',
      description: 'EC2 Instance Connect guardrails: named principals connect, deployers change access tags, endpoints, trails and audit keys',
      content: document,
      targetIds: props.targetIds,
    }));
  }
}

function validate(scope: Construct, props: InstanceConnectGuardrailsProps): void {
  const property = 'InstanceConnectGuardrails props';
  if (props.targetIds.length === 0) {
    throw validationError(scope, `${property}.targetIds must name at least one OU, account or root, got []`);
  }
  props.targetIds.forEach((target, i) => {
    if (!Token.isUnresolved(target) && !/^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12}|r-[0-9a-z]{4,32})$/.test(target)) {
      throw validationError(scope, `${property}.targetIds[${i}] must be an OU (ou-…), an account (12 digits) or a root (r-…), got ${show(target)}`);
    }
  });
  (props.connectPermissionSets ?? []).forEach((name, i) => {
    if (!Token.isUnresolved(name) && !/^[\w+=,.@-]{1,32}$/.test(name)) {
      throw validationError(scope, `${property}.connectPermissionSets[${i}] must be a permission set name (1-32 letters, digits or +=,.@-_), got ${show(name)}`);
    }
  });
  for (const key of ['connectPrincipals', 'deploymentRoles', 'breakGlassRoles'] as const) {
    (props[key] ?? []).forEach((arn, i) => {
      if (!Token.isUnresolved(arn) && !/^arn:(aws[a-z-]*|\*):(iam|sts)::(\d{12}|\*):/.test(arn)) {
        throw validationError(scope, `${property}.${key}[${i}] must be an IAM or STS ARN pattern (arn:aws:iam::<account or *>:role/…), got ${show(arn)}`);
      }
    });
  }
  const existing = props.existingPoliciesPerTarget ?? 1;
  if (!Number.isInteger(existing) || existing < 1 || existing > MAX_SCPS_PER_TARGET - 1) {
    throw validationError(scope, `${property}.existingPoliciesPerTarget must be from 1 (FullAWSAccess) to ${MAX_SCPS_PER_TARGET - 1}, got ${show(existing)}`);
  }
}
