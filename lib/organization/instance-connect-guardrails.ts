import { Names, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import { InstanceConnectGuardrailsProps } from './instance-connect-guardrails-props';
import { guardrailModel } from './private/guardrail-model';
import { except, protectionStatements } from './private/protection-statements';
import { show, validationError } from '../private/errors';
import { packStatements } from '../private/policy-packing';
import {
  FLEET_TAG_PREFIX,
  OPEN_TUNNEL,
  SEND_SERIAL_CONSOLE_SSH_PUBLIC_KEY,
  SEND_SSH_PUBLIC_KEY,
  TAG_KEYS_KEY,
} from '../private/vocabulary';

/** Organizations quota: characters in one service control policy. */
const MAX_SCP_LENGTH = 5120;
/** Organizations quota: service control policies attached to one root, OU or account, FullAWSAccess included. */
const MAX_SCPS_PER_TARGET = 5;

/**
 * Service control policies that make EC2 Instance Connect access go through the library's model in every account
 * they are attached to: the data plane only for the principals you name; no serial console unless allowed; and the
 * access path (endpoints, their security groups, the access tags, the baseline's parameters) and the audit (trails,
 * the audit's key, bucket, log group and its resource policy, rules, alarms, topic, central bus and forwarding role)
 * changed only by the deployers. The exempt roles are protected too: nobody else creates, changes, passes or assumes
 * them. SCPs never grant anything, and they do not apply to the organisation's management account.
 *
 * What is protected is generated from one model of the library's resources (docs/organizations.md),
 * and the tests prove it against every action AWS's Service Authorization Reference lists for those resources.
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
  /**
   * The service control policies, attached to every target.
   *
   * L1s on purpose: aws-cdk-lib has no L2 for AWS Organizations policies, so these are the escape hatch to what this
   * construct does not set, as `node.defaultChild` would be for a single resource.
   */
  public readonly policies: organizations.CfnPolicy[];

  /** Their documents. */
  public readonly documents: iam.PolicyDocument[];

  constructor(scope: Construct, id: string, props: InstanceConnectGuardrailsProps) {
    super(scope, id);
    validate(this, props);
    const statements = guardrailStatements(props, Stack.of(this).partition);

    const documents = packStatements(this, statements, MAX_SCP_LENGTH, 'service control policy (name fewer principals or roles)');
    const room = MAX_SCPS_PER_TARGET - (props.existingPoliciesPerTarget ?? 1);
    if (documents.length > room) {
      throw validationError(this, `the guardrails need ${documents.length} service control policies of at most ${MAX_SCP_LENGTH} characters, ` +
        `but a target takes ${MAX_SCPS_PER_TARGET} with ${props.existingPoliciesPerTarget ?? 1} already attached; name fewer principals or roles`);
    }
    this.documents = documents.map(s => new iam.PolicyDocument({ statements: s }));
    // Policy names are unique in the organisation: the construct's path and its hash tell two guardrails apart.
    const name = Names.uniqueResourceName(this, { maxLength: 100, separator: '-' });
    this.policies = this.documents.map((document, i) => new organizations.CfnPolicy(this, documents.length === 1 ? 'Policy' : `Policy${i + 1}`, {
      name: `${name}-instance-connect${documents.length === 1 ? '' : `-${i + 1}`}`,
      type: 'SERVICE_CONTROL_POLICY',
      description: 'EC2 Instance Connect guardrails: named principals connect; deployers alone change the access path, the audit and the exempt roles',
      content: document,
      targetIds: props.targetIds,
    }));
  }
}

/** The statements of the guardrails: the data plane, the serial console, the tags, and every protected resource. */
function guardrailStatements(props: InstanceConnectGuardrailsProps, partition: string): iam.PolicyStatement[] {
  const { connectors, breakGlass, deployers, cdkDeployRole, resources, protectedTagKeys } = guardrailModel(props, partition);
  return [
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
      sid: 'ProtectedTagKeysOnlyForDeployers',
      effect: iam.Effect.DENY,
      actions: ['*'],
      resources: ['*'],
      conditions: { 'ForAnyValue:StringEqualsIgnoreCase': { [TAG_KEYS_KEY]: protectedTagKeys }, ...except(deployers) },
    }),
    new iam.PolicyStatement({
      sid: 'FleetTagsOnlyForDeployers',
      effect: iam.Effect.DENY,
      actions: ['*'],
      resources: ['*'],
      conditions: { 'ForAnyValue:StringLike': { [TAG_KEYS_KEY]: `${FLEET_TAG_PREFIX}*` }, ...except(deployers) },
    }),
    new iam.PolicyStatement({
      // DeleteTags without a key list deletes every tag, access tags included, and carries no aws:TagKeys.
      sid: 'DeletingEveryTagOnlyForDeployers',
      effect: iam.Effect.DENY,
      actions: ['ec2:DeleteTags'],
      resources: ['*'],
      conditions: { Null: { [TAG_KEYS_KEY]: 'true' }, ...except(deployers) },
    }),
    ...protectionStatements(resources, { deployers, cdkDeployRole }),
  ];
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
  (props.protectedParameterPrefixes ?? []).forEach((prefix, i) => {
    if (!Token.isUnresolved(prefix) && !/^\/[A-Za-z0-9_.\-/]{1,1010}$/.test(prefix)) {
      throw validationError(scope, `${property}.protectedParameterPrefixes[${i}] must be an SSM parameter path prefix such as /instance-connect/, got ${show(prefix)}`);
    }
  });
  const existing = props.existingPoliciesPerTarget ?? 1;
  if (!Number.isInteger(existing) || existing < 1 || existing > MAX_SCPS_PER_TARGET - 1) {
    throw validationError(scope, `${property}.existingPoliciesPerTarget must be from 1 (FullAWSAccess) to ${MAX_SCPS_PER_TARGET - 1}, got ${show(existing)}`);
  }
}
