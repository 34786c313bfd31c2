import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sso from 'aws-cdk-lib/aws-sso';
import { IConstruct } from 'constructs';
import { AppIndex } from './app-index';
import { awsManagedPolicyStatements } from './aws-managed-policies';
import { isPolicyResource, isPrincipal, itemVariants, PolicyResource, Statement, statementsOf } from './policy-statements';
import { probeScope, renderString } from './template-values';
import { flattenReference } from '../flatten-reference';

type Principal = iam.CfnRole | iam.CfnUser | iam.CfnGroup;

/** Someone in the app who gets permissions: a role, user, group or permission set, with everything it holds. */
export interface Holder {
  readonly node: CfnResource;
  /** Every statement in effect for it, by every path. */
  readonly statements: Statement[];
  /** Its permissions boundary's statements, when it has one the app can read. */
  readonly boundary?: Statement[];
}

/**
 * Who holds what in the app: every path by which a principal gets permissions. A role, user or group gets its
 * inline policies, the policy resources attached to it (by their Roles/Users/Groups lists or its ManagedPolicyArns),
 * the AWS-managed policies it names (judged from AWS's documents), and a user all of that for each of its groups
 * (its Groups property and every `AWS::IAM::UserToGroupAddition`). A permission set gets its inline policy, its
 * AWS-managed policies and the customer-managed policies it names that the app defines. Permissions boundaries
 * bound what each gets. Built once per validation run.
 */
export class IamIndex {
  public static of(node: IConstruct): IamIndex {
    const app = AppIndex.of(node);
    let index = IamIndex.cache.get(app);
    if (!index) {
      index = new IamIndex(node.node.root);
      IamIndex.cache.set(app, index);
    }
    return index;
  }

  private static readonly cache = new WeakMap<AppIndex, IamIndex>();

  private readonly policies: PolicyResource[] = [];
  private readonly principals: Principal[] = [];
  private readonly permissionSets: sso.CfnPermissionSet[] = [];
  private readonly groupMemberships: iam.CfnUserToGroupAddition[] = [];
  private readonly holderCache = new Map<CfnResource, Holder>();
  private readonly holdersOfCache = new Map<CfnResource, Holder[]>();

  private constructor(root: IConstruct) {
    for (const c of root.node.findAll()) {
      if (!CfnResource.isCfnResource(c)) {
        continue;
      }
      if (isPolicyResource(c)) this.policies.push(c);
      if (isPrincipal(c)) this.principals.push(c);
      if (c instanceof sso.CfnPermissionSet) this.permissionSets.push(c);
      if (c instanceof iam.CfnUserToGroupAddition) this.groupMemberships.push(c);
    }
  }

  /** The statements a resource holds itself, with the AWS-managed policies a principal or permission set names. */
  public ownStatements(node: CfnResource): Statement[] {
    const own = statementsOf(node);
    if (isPrincipal(node)) {
      own.push(...this.awsManaged(node, node.managedPolicyArns));
    } else if (node instanceof sso.CfnPermissionSet) {
      own.push(...this.awsManaged(node, node.managedPolicies));
    }
    return own;
  }

  /** Who in the app gets what the resource grants. */
  public holdersOf(node: CfnResource): Holder[] {
    let holders = this.holdersOfCache.get(node);
    if (!holders) {
      const nodes: CfnResource[] = isPrincipal(node) || node instanceof sso.CfnPermissionSet ? [node]
        : isPolicyResource(node) ? [...this.principalsOf(node), ...this.permissionSetsNaming(node)] : [];
      holders = nodes.map(n => this.holder(n));
      this.holdersOfCache.set(node, holders);
    }
    return holders;
  }

  /** Every statement in effect for a principal, by every path. */
  public principalStatements(principal: Principal): Statement[] {
    return this.holder(principal).statements;
  }

  /** The principals a policy resource is attached to in the app. */
  public principalsOf(policy: PolicyResource): Principal[] {
    const stack = Stack.of(policy);
    const named = (value: unknown, kind: 'role' | 'user' | 'group') => itemVariants(stack.resolve(value))
      .map(v => this.principalNamed(policy, v.value, kind))
      .filter((p): p is Principal => p !== undefined);
    if (policy instanceof iam.CfnRolePolicy) return named(policy.roleName, 'role');
    if (policy instanceof iam.CfnUserPolicy) return named(policy.userName, 'user');
    if (policy instanceof iam.CfnGroupPolicy) return named(policy.groupName, 'group');
    const attached = [...named(policy.roles, 'role'), ...named(policy.users, 'user'), ...named(policy.groups, 'group')];
    if (policy instanceof iam.CfnManagedPolicy) {
      // By reference, or by the ARN the policy will have (`arn:<partition>:iam::<account>:policy<path><name>`).
      const arnOf = managedPolicyArn(policy);
      const attaches = (p: Principal) => itemVariants(Stack.of(p).resolve(p.managedPolicyArns))
        .some(arn => this.resolveReference(p, arn.value) === policy || (arnOf !== undefined && renderString(arn.value, probeScope(p)) === arnOf));
      attached.push(...this.principals.filter(attaches));
    }
    // A user gets what its groups get.
    for (const group of attached.filter((p): p is iam.CfnGroup => p instanceof iam.CfnGroup)) {
      attached.push(...this.principals.filter(u => u instanceof iam.CfnUser && this.groupsOf(u).includes(group)));
    }
    return [...new Set(attached)];
  }

  private holder(node: CfnResource): Holder {
    let holder = this.holderCache.get(node);
    if (holder) {
      return holder;
    }
    const statements = this.ownStatements(node);
    let boundary: Statement[] | undefined;
    const stack = Stack.of(node);
    if (isPrincipal(node)) {
      statements.push(...this.policies.filter(p => this.principalsOf(p).includes(node)).flatMap(p => statementsOf(p)));
      if (node instanceof iam.CfnUser) {
        for (const group of this.groupsOf(node)) {
          statements.push(...this.holder(group).statements);
        }
      }
      const arn = node instanceof iam.CfnGroup ? undefined : stack.resolve(node.permissionsBoundary);
      boundary = arn === undefined ? undefined : this.policyDocumentAt(node, arn);
    } else if (node instanceof sso.CfnPermissionSet) {
      statements.push(...this.customerManaged(node, node.customerManagedPolicyReferences).flatMap(p => statementsOf(p)));
      const b = stack.resolve(node.permissionsBoundary) as Record<string, unknown> | undefined;
      const reference = b?.customerManagedPolicyReference ?? b?.CustomerManagedPolicyReference;
      const managed = b?.managedPolicyArn ?? b?.ManagedPolicyArn;
      boundary = reference !== undefined ? this.customerManaged(node, [reference]).flatMap(p => statementsOf(p))
        : managed !== undefined ? this.policyDocumentAt(node, managed) : undefined;
    }
    holder = { node, statements, boundary };
    this.holderCache.set(node, holder);
    return holder;
  }

  /** The statements of the policy an ARN names: an AWS-managed policy, or a managed policy the app defines. */
  private policyDocumentAt(node: CfnResource, arn: unknown): Statement[] | undefined {
    const referenced = this.resolveReference(node, arn);
    if (referenced && isPolicyResource(referenced)) {
      return statementsOf(referenced);
    }
    const rendered = flattenReference(arn);
    return /:iam::aws:policy\//.test(rendered) ? awsManagedPolicyStatements(rendered) : undefined;
  }

  private awsManaged(node: CfnResource, arns: unknown): Statement[] {
    return itemVariants(Stack.of(node).resolve(arns)).flatMap(arn => awsManagedPolicyStatements(flattenReference(arn.value)));
  }

  /** The app's managed policies a permission set names by `CustomerManagedPolicyReferences` (name and path). */
  private customerManaged(node: CfnResource, references: unknown): iam.CfnManagedPolicy[] {
    const stack = Stack.of(node);
    return itemVariants(stack.resolve(references)).flatMap(r => {
      const reference = r.value as Record<string, unknown>;
      const name = reference.name ?? reference.Name;
      const path = reference.path ?? reference.Path ?? '/';
      return this.policies.filter((p): p is iam.CfnManagedPolicy => p instanceof iam.CfnManagedPolicy &&
        Stack.of(p).resolve(p.managedPolicyName) === name && (Stack.of(p).resolve(p.path) ?? '/') === path);
    });
  }

  private permissionSetsNaming(policy: PolicyResource): sso.CfnPermissionSet[] {
    if (!(policy instanceof iam.CfnManagedPolicy)) {
      return [];
    }
    return this.permissionSets.filter(ps => this.customerManaged(ps, ps.customerManagedPolicyReferences).includes(policy));
  }

  /** The groups of a user: its Groups property and every `AWS::IAM::UserToGroupAddition` naming it. */
  private groupsOf(user: iam.CfnUser): iam.CfnGroup[] {
    const stack = Stack.of(user);
    const groups = itemVariants(stack.resolve(user.groups)).map(g => this.principalNamed(user, g.value, 'group'));
    for (const membership of this.groupMemberships) {
      const users = itemVariants(Stack.of(membership).resolve(membership.users)).map(u => this.principalNamed(membership, u.value, 'user'));
      if (users.includes(user)) {
        groups.push(this.principalNamed(membership, Stack.of(membership).resolve(membership.groupName), 'group'));
      }
    }
    return [...new Set(groups.filter((g): g is iam.CfnGroup => g instanceof iam.CfnGroup))];
  }

  /** The principal a reference (`Ref`, `Fn::GetAtt`) or a literal name points at. */
  private principalNamed(node: CfnResource, value: unknown, kind: 'role' | 'user' | 'group'): Principal | undefined {
    const referenced = this.resolveReference(node, value);
    if (referenced && isPrincipal(referenced)) {
      return referenced;
    }
    if (typeof value !== 'string') {
      return undefined;
    }
    return this.principals.find(p => {
      const name = p instanceof iam.CfnRole ? p.roleName : p instanceof iam.CfnUser ? p.userName : p.groupName;
      const isKind = (kind === 'role' && p instanceof iam.CfnRole) || (kind === 'user' && p instanceof iam.CfnUser) || (kind === 'group' && p instanceof iam.CfnGroup);
      return isKind && name !== undefined && Stack.of(p).resolve(name) === value;
    });
  }

  private resolveReference(node: CfnResource, value: unknown): CfnResource | undefined {
    return AppIndex.of(node).resolveReference(node, value);
  }
}

/** The ARN a managed policy with a name the template gives will have, in its stack's partition and account. */
function managedPolicyArn(policy: iam.CfnManagedPolicy): string | undefined {
  const stack = Stack.of(policy);
  const name = stack.resolve(policy.managedPolicyName);
  const path = stack.resolve(policy.path) ?? '/';
  if (typeof name !== 'string' || typeof path !== 'string') {
    return undefined;
  }
  const scope = probeScope(policy);
  return `arn:${scope.partition}:iam::${scope.account}:policy${path}${name}`;
}
