import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import * as sso from 'aws-cdk-lib/aws-sso';
import { variantsOf } from './template-values';

export { CONTROL_PLANE_ACTIONS, DATA_PLANE_ACTIONS } from '../../../private/vocabulary';

/** A resolved IAM policy statement, as written (values may still hold `Fn::Join`, `Fn::Sub` or references). */
export interface Statement {
  readonly Effect?: string;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: unknown;
}

/** The resources that hold policy documents of their own: IAM policies and principals, permission sets, SCPs. */
export function isPolicyHolder(node: CfnResource): boolean {
  return isPolicyResource(node) || isPrincipal(node) || node instanceof sso.CfnPermissionSet || isServiceControlPolicy(node);
}

/** `AWS::IAM::Policy`, `ManagedPolicy`, `RolePolicy`, `UserPolicy` and `GroupPolicy`: documents attached to principals. */
export type PolicyResource = iam.CfnPolicy | iam.CfnManagedPolicy | iam.CfnRolePolicy | iam.CfnUserPolicy | iam.CfnGroupPolicy;

export function isPolicyResource(node: CfnResource): node is PolicyResource {
  return node instanceof iam.CfnPolicy || node instanceof iam.CfnManagedPolicy || node instanceof iam.CfnRolePolicy ||
    node instanceof iam.CfnUserPolicy || node instanceof iam.CfnGroupPolicy;
}

/** An `AWS::Organizations::Policy` of type SERVICE_CONTROL_POLICY: it only limits, so its allows grant nothing. */
function isServiceControlPolicy(node: CfnResource): node is organizations.CfnPolicy {
  return node instanceof organizations.CfnPolicy && Stack.of(node).resolve(node.type) === 'SERVICE_CONTROL_POLICY';
}

/** Roles, users and groups: what policies attach to. */
export function isPrincipal(node: CfnResource): node is iam.CfnRole | iam.CfnUser | iam.CfnGroup {
  return node instanceof iam.CfnRole || node instanceof iam.CfnUser || node instanceof iam.CfnGroup;
}

/**
 * The statements of every policy document a resource holds itself: a policy resource, a role, user or group's
 * inline policies, a permission set's inline policy, an SCP's denies. What a principal gets from elsewhere is the
 * IAM index's business.
 *
 * Every branch of an `Fn::If` counts, since either may be deployed: an allow in any branch is a grant. A deny only
 * counts when it is in every branch, so a deny that a condition may leave out takes nothing away.
 */
export function statementsOf(node: CfnResource): Statement[] {
  const stack = Stack.of(node);
  const documents: Array<{ document: unknown; conditional: boolean }> = [];
  if (isPolicyResource(node)) {
    documents.push(...itemVariants(stack.resolve(node.policyDocument)).map(v => ({ document: v.value, conditional: v.conditional })));
  } else if (node instanceof sso.CfnPermissionSet) {
    // The permission set's inline policy becomes an inline policy of the role Identity Center makes in each account.
    documents.push(...itemVariants(stack.resolve(node.inlinePolicy)).map(v => ({ document: v.value, conditional: v.conditional })));
  } else if (isServiceControlPolicy(node)) {
    // An SCP's allows grant nothing (it only bounds what identity policies grant): only its denies count here.
    return itemVariants(stack.resolve(node.content)).flatMap(v => judged(v.value, v.conditional))
      .filter(s => s.statement.Effect === 'Deny' && !s.conditional).map(s => s.statement);
  } else if (isPrincipal(node)) {
    for (const policy of itemVariants(stack.resolve(node.policies))) {
      const p = policy.value as { policyDocument?: unknown; PolicyDocument?: unknown } | undefined;
      documents.push({ document: p?.policyDocument ?? p?.PolicyDocument, conditional: policy.conditional });
    }
  }
  return documents.flatMap(d => statementsOfDocument(d.document, d.conditional));
}

/** The statements of a resolved policy document (a JSON string is parsed, as CloudFormation takes either). */
export function statementsOfDocument(document: unknown, conditional = false): Statement[] {
  return judged(document, conditional).filter(s => s.statement.Effect !== 'Deny' || !s.conditional).map(s => s.statement);
}

function judged(document: unknown, conditional: boolean): Array<{ statement: Statement; conditional: boolean }> {
  return itemVariants(document).flatMap(doc => {
    let d = doc.value;
    if (typeof d === 'string') {
      try {
        d = JSON.parse(d);
      } catch {
        return [];
      }
    }
    return itemVariants((d as { Statement?: unknown } | undefined)?.Statement).flatMap(s =>
      (s.value !== null && typeof s.value === 'object' ? [{ statement: s.value as Statement, conditional: conditional || doc.conditional || s.conditional }] : []));
  });
}

/**
 * The items a value stands for, in every branch: the elements of a list (each in each of its variants), or the
 * value itself. Expanding item by item keeps a list of many conditional statements from multiplying out.
 */
export function itemVariants(value: unknown): Array<{ value: unknown; conditional: boolean }> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'Fn::If' in (value as object)) {
    const [, whenTrue, whenFalse] = (value as { 'Fn::If': unknown[] })['Fn::If'];
    return [...itemVariants(whenTrue), ...itemVariants(whenFalse)].map(v => ({ value: v.value, conditional: true }));
  }
  if (Array.isArray(value)) {
    return value.flatMap(item => itemVariants(item));
  }
  if (value === undefined || value === null) {
    return [];
  }
  return variantsOf(value);
}

export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}
