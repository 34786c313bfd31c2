import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import * as sso from 'aws-cdk-lib/aws-sso';
import { ProbeScope } from './arn-match';
import { alwaysExists } from './condition-worlds';
import { probeScope, renderString, variantsOf } from './template-values';

export { CONTROL_PLANE_ACTIONS, DATA_PLANE_ACTIONS } from '../vocabulary';

/** A resolved IAM policy statement, as written (values may still hold `Fn::Join`, `Fn::Sub` or references). */
export interface Statement {
  readonly Effect?: string;
  /** A deny written with `Fn::If`: it holds where every one of these branches holds. */
  readonly Variants?: readonly Statement[];
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
 * Every branch of an `Fn::If` counts, since either may be deployed: an allow in any branch is a grant. A deny counts
 * where every branch denies (its variants become one deny that holds when all of them do), and not at all when a
 * condition may leave the whole deny, its document or its resource out.
 */
export function statementsOf(node: CfnResource): Statement[] {
  const statements = allStatementsOf(node);
  return alwaysExists(node) ? statements : statements.filter(s => s.Effect !== 'Deny');
}

function allStatementsOf(node: CfnResource): Statement[] {
  const stack = Stack.of(node);
  const scope = probeScope(node);
  const documents: Array<{ document: unknown; conditional: boolean }> = [];
  if (isPolicyResource(node)) {
    documents.push(...shallowItems(stack.resolve(node.policyDocument)).map(v => ({ document: v.value, conditional: v.conditional })));
  } else if (node instanceof sso.CfnPermissionSet) {
    // The permission set's inline policy becomes an inline policy of the role Identity Center makes in each account.
    documents.push(...shallowItems(stack.resolve(node.inlinePolicy)).map(v => ({ document: v.value, conditional: v.conditional })));
  } else if (isServiceControlPolicy(node)) {
    // An SCP's allows grant nothing (it only bounds what identity policies grant): only its denies count here.
    return shallowItems(stack.resolve(node.content)).flatMap(v => judged(v.value, v.conditional, scope))
      .filter(s => s.statement.Effect === 'Deny' && !s.conditional).map(s => s.statement);
  } else if (isPrincipal(node)) {
    for (const policy of shallowItems(stack.resolve(node.policies))) {
      const p = policy.value as { policyDocument?: unknown; PolicyDocument?: unknown } | undefined;
      for (const document of shallowItems(p?.policyDocument ?? p?.PolicyDocument)) {
        documents.push({ document: document.value, conditional: policy.conditional || document.conditional });
      }
    }
  }
  return documents.flatMap(d => judged(d.document, d.conditional, scope))
    .filter(s => s.statement.Effect !== 'Deny' || !s.conditional).map(s => s.statement);
}

/**
 * The statements of a policy document in every branch, each marked `conditional` when a condition may leave it out.
 * A document written as a string (a JSON string, or one `Fn::Sub` or `Fn::Join` renders) is parsed, as
 * CloudFormation takes either.
 */
function judged(document: unknown, conditional: boolean, scope: ProbeScope): Array<{ statement: Statement; conditional: boolean }> {
  return shallowItems(document).flatMap(doc => {
    let d = doc.value;
    if (d !== null && typeof d === 'object' && ('Fn::Sub' in d || 'Fn::Join' in d)) {
      d = renderString(d, scope);
    }
    if (typeof d === 'string') {
      try {
        d = JSON.parse(d);
      } catch {
        return [];
      }
    }
    const isConditional = conditional || doc.conditional;
    return shallowItems((d as { Statement?: unknown } | undefined)?.Statement)
      .flatMap(element => statementVariants(element.value, isConditional || element.conditional));
  });
}

/**
 * One statement element of a document in every branch: each allow variant on its own; the deny variants as one deny
 * that holds where all of them hold (`Variants`), unless a branch leaves the deny out altogether.
 */
function statementVariants(element: unknown, conditional: boolean): Array<{ statement: Statement; conditional: boolean }> {
  const variants = itemVariants(element).filter(v => v.value !== null && typeof v.value === 'object');
  const denies = variants.filter(v => (v.value as Statement).Effect === 'Deny');
  const allows = variants.filter(v => (v.value as Statement).Effect !== 'Deny')
    .map(v => ({ statement: v.value as Statement, conditional: conditional || v.conditional }));
  if (denies.length === 0) {
    return allows;
  }
  const leftOut = denies.length < variants.length || isDroppedInABranch(element);
  if (denies.length === 1 || leftOut) {
    return [...allows, ...denies.map(v => ({ statement: v.value as Statement, conditional: conditional || v.conditional || leftOut }))];
  }
  return [...allows, { statement: { Effect: 'Deny', Variants: denies.map(v => v.value as Statement) }, conditional }];
}

/** Whether an `Fn::If` around the whole element gives `AWS::NoValue` in a branch. */
function isDroppedInABranch(element: unknown): boolean {
  return itemVariants(element).length < ifBranches(element);
}

function ifBranches(value: unknown): number {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'Fn::If' in (value as object)) {
    const [, a, b] = (value as { 'Fn::If': unknown[] })['Fn::If'];
    return ifBranches(a) + ifBranches(b);
  }
  return 1;
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

/**
 * The items a value stands for, expanding only an `Fn::If` around an item or the whole list (an item inside a branch
 * is `conditional`), and leaving the `Fn::If`s inside each item for the reader of that item.
 */
function shallowItems(value: unknown): Array<{ value: unknown; conditional: boolean }> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'Fn::If' in (value as object)) {
    const [, whenTrue, whenFalse] = (value as { 'Fn::If': unknown[] })['Fn::If'];
    return [...shallowItems(whenTrue), ...shallowItems(whenFalse)].map(v => ({ value: v.value, conditional: true }));
  }
  if (Array.isArray(value)) {
    return value.flatMap(item => shallowItems(item));
  }
  if (value === undefined || value === null || (typeof value === 'object' && (value as { Ref?: unknown }).Ref === 'AWS::NoValue')) {
    return [];
  }
  return [{ value, conditional: false }];
}

export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}
