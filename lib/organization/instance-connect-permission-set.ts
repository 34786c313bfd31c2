import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sso from 'aws-cdk-lib/aws-sso';
import { Construct } from 'constructs';
import { IdentityCenterPrincipal } from './identity-center-principal';
import { InstanceConnectPermissionSetProps } from './instance-connect-permission-set-props';
import { permissionSetStatements } from './private/permission-set-policy';
import { validateDataPlaneOptions } from '../grants/grant-options-validation';
import { show, validationError } from '../private/errors';
import { PolicyLengthEstimator } from '../private/policy-size';
import { DEFAULT_ENDPOINT_TAG } from '../private/vocabulary';

/** CreateAssignment's PrincipalId: an identity store ID. */
const IDENTITY_STORE_ID = /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/;
/** CreatePermissionSet's Description: 1-700 characters of Latin-1, tab and line breaks (no em dash, no emoji). */
const DESCRIPTION = /^[\t\n\r\x20-\x7E\xA1-\xFF]{1,700}$/;
/** An attribute for access control: its key, and its source in the identity store. */
const ATTRIBUTE_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const ATTRIBUTE_SOURCE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@[\]{}$\\"]{0,256}$/u;

/** IAM quota: a role's inline policies, which a permission set's inline policy becomes (white space not counted). */
const MAX_INLINE_POLICY_LENGTH = 10240;

/**
 * An IAM Identity Center permission set whose policy is the data plane of EC2 Instance Connect across accounts:
 * `OpenTunnel` through endpoints and `SendSSHPublicKey` to instances named by tags, fixed or attribute-based, with
 * the denies of operator roles (the control plane, root, changes to the access tags in any letter case).
 *
 * Deploy it in the organisation's management account or Identity Center's delegated administrator account, and
 * assign it to groups for the accounts they may reach. The roles Identity Center then makes in each account are
 * AWS's to manage: never attach a policy to them.
 *
 * What the tags narrow: key pushes, by the instance's tags. Not tunnels: `OpenTunnel` sees only the endpoint's tags,
 * and one endpoint serves every team of its VPC, so a tunnel reaches any instance the endpoint reaches on the granted
 * ports (narrow it with `privateIpAddresses`); for RDP, which needs no key push, that is all that bounds it.
 *
 * @resource AWS::SSO::PermissionSet
 * @example
 * const ops = new InstanceConnectPermissionSet(this, 'Operators', {
 *   instanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef',
 *   name: 'InstanceConnect',
 *   osUsers: ['ec2-user'],
 *   instanceTagAttributes: { team: 'team' },
 *   sourceIpRanges: ['203.0.113.0/24'],
 * });
 * ops.assign(IdentityCenterPrincipal.group('0123456789-a1b2c3d4-0000-0000-0000-000000000000'), ['111122223333', '444455556666']);
 */
export class InstanceConnectPermissionSet extends Construct {
  /**
   * The permission set.
   *
   * An L1 on purpose: aws-cdk-lib has no L2 for IAM Identity Center, so this is the escape hatch to what this
   * construct does not set; `permissionSetArn` is what other resources reference.
   */
  public readonly permissionSet: sso.CfnPermissionSet;

  /** The ARN of the permission set. */
  public readonly permissionSetArn: string;

  /** The statements of its inline policy. */
  public readonly policyDocument: iam.PolicyDocument;

  private readonly instanceArn: string;

  constructor(scope: Construct, id: string, props: InstanceConnectPermissionSetProps) {
    super(scope, id);
    validate(this, props);
    this.instanceArn = props.instanceArn;
    const endpointTags = props.endpointTags ?? (props.endpointTagAttributes ? {} : { [DEFAULT_ENDPOINT_TAG.key]: DEFAULT_ENDPOINT_TAG.value });
    this.policyDocument = new iam.PolicyDocument({ statements: permissionSetStatements(this, props, endpointTags) });
    const length = new PolicyLengthEstimator(Stack.of(this)).document(this.policyDocument);
    if (length > MAX_INLINE_POLICY_LENGTH) {
      throw validationError(this, `the permission set's inline policy is about ${length} characters, more than the ${MAX_INLINE_POLICY_LENGTH} ` +
        'IAM allows a role\'s inline policies; name fewer tags, OS users, ports or address ranges');
    }
    const session = props.sessionDuration ?? Duration.hours(1);
    this.permissionSet = new sso.CfnPermissionSet(this, 'Resource', {
      instanceArn: props.instanceArn,
      name: props.name,
      description: props.description ?? 'EC2 Instance Connect: tunnels and one-time keys to tagged instances; no endpoint management',
      sessionDuration: `PT${session.toMinutes()}M`,
      inlinePolicy: this.policyDocument,
    });
    this.permissionSetArn = this.permissionSet.attrPermissionSetArn;

    if (props.accessControlAttributes) {
      Annotations.of(this).addWarningV2('cdk-instance-connect-access:replacesAccessControlAttributes',
        `accessControlAttributes defines the Identity Center instance's attributes for access control (${Object.keys(props.accessControlAttributes).join(', ')}); ` +
        'an instance has one such configuration, and this replaces any existing one: list every attribute the instance needs');
      new sso.CfnInstanceAccessControlAttributeConfiguration(this, 'AccessControlAttributes', {
        instanceArn: props.instanceArn,
        accessControlAttributes: Object.entries(props.accessControlAttributes).map(([key, source]) => ({ key, value: { source: [source] } })),
      });
    }
  }

  /**
   * Assigns the permission set to a group or user for each of `accounts`. Accounts are named one by one: an account
   * added to the organisation later needs a redeploy with its ID.
   *
   * @param principal the group or user of the identity store
   * @param accounts the 12-digit IDs of the accounts
   */
  public assign(principal: IdentityCenterPrincipal, accounts: string[]): sso.CfnAssignment[] {
    if (accounts.length === 0) {
      throw validationError(this, 'assign accounts must not be empty, got []');
    }
    return accounts.map((account, i) => {
      if (!Token.isUnresolved(account) && !/^\d{12}$/.test(account)) {
        throw validationError(this, `assign accounts[${i}] must be a 12-digit account ID, got ${show(account)}`);
      }
      if (i === 0 && !Token.isUnresolved(principal.principalId) && !IDENTITY_STORE_ID.test(principal.principalId)) {
        throw validationError(this, `assign principal must be a ${principal.principalType.toLowerCase()}'s ID in the identity store ` +
          `(a UUID, or <directory id>-<UUID>), not its name, got ${show(principal.principalId)}`);
      }
      const who = Token.isUnresolved(principal.principalId) ? '' : principal.principalId.replace(/[^A-Za-z0-9]/g, '').slice(-12);
      const id = `Assignment${principal.principalType === 'GROUP' ? 'Group' : 'User'}${who}${Token.isUnresolved(account) ? i : account}`;
      return new sso.CfnAssignment(this, id, {
        instanceArn: this.instanceArn,
        permissionSetArn: this.permissionSetArn,
        principalId: principal.principalId,
        principalType: principal.principalType,
        targetId: account,
        targetType: 'AWS_ACCOUNT',
      });
    });
  }
}

function validate(scope: Construct, props: InstanceConnectPermissionSetProps): void {
  const property = 'InstanceConnectPermissionSet props';
  if (!Token.isUnresolved(props.name) && !/^[\w+=,.@-]{1,32}$/.test(props.name)) {
    throw validationError(scope, `${property}.name must be 1-32 letters, digits or +=,.@-_, got ${show(props.name)}`);
  }
  if (!Token.isUnresolved(props.instanceArn) && !/^arn:aws[a-z-]*:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/.test(props.instanceArn)) {
    throw validationError(scope, `${property}.instanceArn must be an IAM Identity Center instance ARN (arn:aws:sso:::instance/ssoins-…), got ${show(props.instanceArn)}`);
  }
  if (props.description !== undefined && !Token.isUnresolved(props.description) && !DESCRIPTION.test(props.description)) {
    const bad = [...props.description].find(c => !DESCRIPTION.test(c));
    throw validationError(scope, `${property}.description must be 1-700 characters of Latin-1 (CreatePermissionSet refuses ` +
      `${bad ? `"${bad}" (U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})` : 'its length'}), got ${show(props.description)}`);
  }
  const session = props.sessionDuration;
  if (session?.isUnresolved()) {
    throw validationError(scope, `${property}.sessionDuration must be known at synth (CloudFormation takes it as an ISO 8601 duration), got a token`);
  }
  const minutes = session ? session.toMinutes({ integral: false }) : undefined;
  if (session && minutes !== undefined && (minutes < 60 || minutes > 720 || !Number.isInteger(minutes))) {
    throw validationError(scope, `${property}.sessionDuration must be whole minutes from 1 to 12 hours, got ${session.toHumanString()}`);
  }
  validateDataPlaneOptions(scope, property, props, { noun: 'permission set', viaEndpoint: true });
  if (props.osUsers && !props.instanceTags && !props.instanceTagAttributes) {
    throw validationError(scope, `${property} pushes keys (osUsers), so it must name the instances by instanceTags or instanceTagAttributes, got neither: ` +
      'across accounts, tags are the only way to name them');
  }
  if (props.endpointTags && Object.keys(props.endpointTags).length === 0 && !props.endpointTagAttributes) {
    throw validationError(scope, `${property}.endpointTags must name at least one tag (tunnels would reach every endpoint), got {}`);
  }
  const attributeTags = { endpointTagAttributes: props.endpointTagAttributes, instanceTagAttributes: props.instanceTagAttributes };
  for (const [name, tags] of Object.entries(attributeTags)) {
    for (const [tag, attribute] of Object.entries(tags ?? {})) {
      if (!/^[\w+=,.@:/-]{1,128}$/.test(attribute)) {
        throw validationError(scope, `${property}.${name}["${tag}"] must be an attribute key (letters, digits and +=,.@:/-_), got ${show(attribute)}`);
      }
    }
  }
  validateAccessControlAttributes(scope, property, props);
}

/**
 * The attributes for access control replace the instance's whole configuration: each attribute the tag conditions
 * compare (`${aws:PrincipalTag/<attribute>}`) must be among them, or every request that compares it is denied.
 */
function validateAccessControlAttributes(scope: Construct, property: string, props: InstanceConnectPermissionSetProps): void {
  const attributes = props.accessControlAttributes;
  if (attributes === undefined) {
    return;
  }
  const entries = Object.entries(attributes);
  if (entries.length === 0 || entries.length > 50) {
    throw validationError(scope, `${property}.accessControlAttributes must name 1-50 attributes, got ${entries.length}`);
  }
  for (const [key, source] of entries) {
    if (!ATTRIBUTE_KEY.test(key)) {
      throw validationError(scope, `${property}.accessControlAttributes key must be 1-128 letters, digits, spaces or _.:/=+-@, got ${show(key)}`);
    }
    if (!Token.isUnresolved(source) && !ATTRIBUTE_SOURCE.test(source)) {
      throw validationError(scope, `${property}.accessControlAttributes["${key}"] must be an identity store path such as \${path:enterprise.department}, got ${show(source)}`);
    }
  }
  const compared = [...Object.values(props.instanceTagAttributes ?? {}), ...Object.values(props.endpointTagAttributes ?? {})];
  const missing = [...new Set(compared.filter(attribute => !(attribute in attributes)))];
  if (missing.length > 0) {
    throw validationError(scope, `${property}.accessControlAttributes replaces the instance's attributes for access control and leaves out ` +
      `${missing.join(', ')}, which the tag conditions compare: every request would be denied; add ${missing.map(m => `"${m}"`).join(', ')}, got ` +
      `${show(Object.keys(attributes))}`);
  }
}
