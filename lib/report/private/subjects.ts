import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sso from 'aws-cdk-lib/aws-sso';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { IConstruct } from 'constructs';
import { IamIndex } from '../../private/semantics/iam-index';
import { isPolicyResource, isPrincipal, Statement } from '../../private/semantics/policy-statements';

/** Someone the report writes rows for: a principal of the app, or a policy nobody in the app holds. */
export interface Subject {
  readonly node: CfnResource;
  readonly id: string;
  readonly type: string;
  readonly name?: string;
  readonly unattached: boolean;
  /** Every statement in effect for it, by every path (the IAM index's reading). */
  readonly statements: Statement[];
  readonly boundary?: Statement[];
}

/**
 * Every role, user, group and permission set of the app with what the IAM index says it holds, and every policy
 * resource no principal of the app holds (its grants go to someone outside the app, so it is a row of its own).
 */
export function subjectsOf(root: IConstruct): Subject[] {
  const subjects: Subject[] = [];
  let index: IamIndex | undefined;
  for (const c of root.node.findAll()) {
    if (!CfnResource.isCfnResource(c)) {
      continue;
    }
    const holder = isPrincipal(c) || c instanceof sso.CfnPermissionSet;
    if (!holder && !isPolicyResource(c)) {
      continue;
    }
    index ??= IamIndex.of(c);
    const holders = index.holdersOf(c);
    if (holder) {
      subjects.push(subject(c, false, holders[0].statements, holders[0].boundary));
    } else if (holders.length === 0) {
      subjects.push(subject(c, true, index.ownStatements(c)));
    }
  }
  return subjects.sort((a, b) => compare(a.id, b.id));
}

function subject(node: CfnResource, unattached: boolean, statements: Statement[], boundary?: Statement[]): Subject {
  return {
    node,
    id: resourceId(node),
    type: node.cfnResourceType,
    name: nameOf(node),
    unattached,
    statements,
    boundary,
  };
}

/** `<stack>/<logical ID>`: stable across runs and readable in both the construct tree and the templates. */
export function resourceId(node: CfnResource): string {
  const stack = Stack.of(node);
  return `${stack.artifactId}/${stack.resolve(node.logicalId)}`;
}

function nameOf(node: CfnResource): string | undefined {
  const name = node instanceof iam.CfnRole ? node.roleName : node instanceof iam.CfnUser ? node.userName
    : node instanceof iam.CfnGroup ? node.groupName : node instanceof sso.CfnPermissionSet ? node.name
      : node instanceof iam.CfnManagedPolicy ? node.managedPolicyName : undefined;
  const resolved = name === undefined ? undefined : Stack.of(node).resolve(name);
  return typeof resolved === 'string' && !Token.isUnresolved(resolved) ? resolved : undefined;
}

/** Code-point order, the same on every machine and locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The construct a resource came from, as its template's `aws:cdk:path` metadata names it: in a construct tree, its
 * path when the app writes that metadata (the CDK CLI's default), so both readings agree.
 */
export function constructOf(node: CfnResource): { construct?: string } {
  const written = !isIncluded(node) && node.node.tryGetContext(cxapi.PATH_METADATA_ENABLE_CONTEXT) ? node.node.path : undefined;
  const path = node.getMetadata('aws:cdk:path') ?? written;
  return typeof path === 'string' ? { construct: path.replace(/\/(Resource|Default)$/, '') } : {};
}

function isIncluded(node: CfnResource): boolean {
  return node.node.scopes.some(s => s instanceof CfnInclude);
}

/** How a row names a resource it reaches: its construct path, else `<stack>/<logical ID>`. */
export function constructName(node: CfnResource): string {
  return constructOf(node).construct ?? resourceId(node);
}
