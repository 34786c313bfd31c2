import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, DependencyGroup, IConstruct } from 'constructs';
import { acknowledgeForcedWildcards } from '../../private/acknowledge';
import { validationError } from '../../private/errors';
import { packStatements } from '../../private/policy-packing';
import { MAX_MANAGED_POLICIES_PER_PRINCIPAL } from '../../private/policy-size';

/** An allow statement of a grant. */
export interface GrantStatement {
  readonly actions: string[];
  readonly resourceArns: string[];
  readonly conditions?: Record<string, Record<string, unknown>>;
}

/** Options of `grantWithManagedPolicies`. */
export interface ManagedPolicyGrantOptions {
  /** The allow statements, granted through `iam.Grant`. */
  readonly allows: GrantStatement[];
  /** Statements added as they are (explicit denies). */
  readonly denies?: iam.PolicyStatement[];
  /** The description of each managed policy. */
  readonly description: string;
  /** Managed policies the principal already has (or will get) besides these. */
  readonly otherPolicies?: number;
  /** Why a wildcard resource is forced, by statement Sid or first action (see `acknowledgeForcedWildcards`). */
  readonly wildcardReasons?: Record<string, string>;
}

/**
 * Grants `allows` (and adds `denies`) to `grantee` in customer-managed policies under `scope`, split to fit IAM's
 * managed-policy size limit, instead of the principal's inline default policy.
 *
 * The statements still go through `iam.Grant`, so callers get a real `Grant` (statements, `applyBefore`,
 * `assertSuccess`) whose dependable is the managed policies.
 */
export function grantWithManagedPolicies(scope: Construct, grantee: iam.IGrantable, options: ManagedPolicyGrantOptions): iam.Grant {
  const attachment = attachmentOf(scope, grantee.grantPrincipal);
  const collector = new CollectingPrincipal(grantee.grantPrincipal);
  const grant = options.allows
    .map(allow => iam.Grant.addToPrincipal({ grantee: collector, ...allow }))
    .reduce((a, b) => a.combine(b));

  const documents = packStatements(scope, [...collector.statements, ...(options.denies ?? [])]);
  const budget = MAX_MANAGED_POLICIES_PER_PRINCIPAL - (options.otherPolicies ?? 0);
  if (documents.length > budget) {
    throw validationError(scope,
      `the grant needs ${documents.length} managed policies of at most 6144 characters, but a principal may have ${MAX_MANAGED_POLICIES_PER_PRINCIPAL} ` +
      `(${budget} left for this grant); name instances by instanceTags or privateIpAddresses ranges instead of one by one`);
  }
  documents.forEach((statements, i) => {
    const policy = new iam.ManagedPolicy(scope, documents.length === 1 ? 'Policy' : `Policy${i + 1}`, {
      description: documents.length === 1 ? options.description : `${options.description} (part ${i + 1} of ${documents.length})`,
      statements,
      ...attachment,
    });
    acknowledgeForcedWildcards(policy, statements, options.wildcardReasons ?? {});
    collector.dependable.add(policy);
  });
  return grant;
}

/** Managed policies attach to roles, users and groups only. */
function attachmentOf(scope: IConstruct, principal: iam.IPrincipal): { roles?: iam.IRole[]; users?: iam.IUser[]; groups?: iam.IGroup[] } {
  const p = principal as unknown as Record<string, unknown>;
  if (typeof p.roleName === 'string' && typeof p.roleArn === 'string') {
    return { roles: [principal as unknown as iam.IRole] };
  }
  if (typeof p.userName === 'string' && typeof p.userArn === 'string') {
    return { users: [principal as unknown as iam.IUser] };
  }
  if (typeof p.groupName === 'string' && typeof p.groupArn === 'string') {
    return { groups: [principal as unknown as iam.IGroup] };
  }
  throw validationError(scope, `grantee must be an IAM role, user or group (customer-managed policies attach only to those), got ${principal.constructor.name}`);
}

/** A principal that collects the statements `iam.Grant` adds, to put them in managed policies. */
class CollectingPrincipal implements iam.IPrincipal {
  public readonly statements: iam.PolicyStatement[] = [];
  public readonly dependable = new DependencyGroup();
  public readonly grantPrincipal: iam.IPrincipal = this;
  public readonly assumeRoleAction: string;
  public readonly policyFragment: iam.PrincipalPolicyFragment;
  public readonly principalAccount?: string;

  constructor(inner: iam.IPrincipal) {
    this.assumeRoleAction = inner.assumeRoleAction;
    this.policyFragment = inner.policyFragment;
    this.principalAccount = inner.principalAccount;
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.statements.push(statement);
    return { statementAdded: true, policyDependable: this.dependable };
  }
}
