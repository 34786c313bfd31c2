import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { flattenReference } from '../../../private/flatten-reference';

/** A resolved IAM policy statement. */
export interface Statement {
  readonly Effect?: string;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** The data plane: using endpoints and pushing keys. */
export const DATA_PLANE_ACTIONS = ['ec2-instance-connect:OpenTunnel', 'ec2-instance-connect:SendSSHPublicKey'];
/** The control plane: managing endpoints. */
export const CONTROL_PLANE_ACTIONS = [
  'ec2:CreateInstanceConnectEndpoint', 'ec2:ModifyInstanceConnectEndpoint', 'ec2:DeleteInstanceConnectEndpoint',
];

/** The resolved statements of every policy document an IAM resource holds (inline in a role, user or group, or a policy). */
export function statementsOf(node: CfnResource): Statement[] {
  const stack = Stack.of(node);
  const documents: unknown[] = [];
  if (node instanceof iam.CfnPolicy || node instanceof iam.CfnManagedPolicy) {
    documents.push(stack.resolve(node.policyDocument));
  } else if (node instanceof iam.CfnRole || node instanceof iam.CfnUser || node instanceof iam.CfnGroup) {
    const policies = stack.resolve(node.policies) as Array<{ policyDocument?: unknown; PolicyDocument?: unknown }> | undefined;
    for (const policy of policies ?? []) {
      documents.push(stack.resolve(policy.policyDocument ?? policy.PolicyDocument));
    }
  }
  return documents.flatMap(d => asArray((d as { Statement?: unknown } | undefined)?.Statement) as Statement[]);
}

/** The statements that allow `action` (case-insensitive, wildcards and NotAction honoured). */
export function allowsOf(statements: Statement[], action: string): Statement[] {
  return statements.filter(s => s.Effect === 'Allow' && allowsAction(s, action));
}

/** Whether some statement denies `action` on every resource without conditions. */
export function deniesEverywhere(statements: Statement[], action: string): boolean {
  return statements.some(s => s.Effect === 'Deny' && s.Condition === undefined && allowsAction(s, action) && resourcesOf(s).includes('*'));
}

/** Whether an allow statement covers `action`. */
export function allowsAction(statement: Statement, action: string): boolean {
  if (statement.NotAction !== undefined) {
    return !asArray(statement.NotAction).some(pattern => wildcardMatches(String(pattern), action));
  }
  return asArray(statement.Action).some(pattern => wildcardMatches(String(pattern), action));
}

/** IAM's `*` and `?` wildcards, case-insensitive (action names are). */
export function wildcardMatches(pattern: string, value: string, caseInsensitive = true): boolean {
  const re = new RegExp(`^${pattern.split('').map(c => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`,
    caseInsensitive ? 'i' : '');
  return re.test(value);
}

/** The values of condition `key` (case-insensitive) under operators matching `operator` (a RegExp), or undefined. */
export function conditionValues(statement: Statement, key: string, operator: RegExp = /.*/): unknown[] | undefined {
  let found: unknown[] | undefined;
  for (const [op, keys] of Object.entries(statement.Condition ?? {})) {
    if (!operator.test(op)) {
      continue;
    }
    for (const [k, values] of Object.entries(keys ?? {})) {
      if (k.toLowerCase() === key.toLowerCase()) {
        found = [...(found ?? []), ...asArray(values)];
      }
    }
  }
  return found;
}

/** Whether the statement has any condition on a key matching `key` (a RegExp on the lower-cased key). */
export function hasConditionKey(statement: Statement, key: RegExp): boolean {
  return Object.values(statement.Condition ?? {}).some(keys => Object.keys(keys ?? {}).some(k => key.test(k.toLowerCase())));
}

/** The statement's resources, flattened the way cdk-nag shows them (`arn:<AWS::Partition>:…`). */
export function resourcesOf(statement: Statement): string[] {
  if (statement.NotResource !== undefined) {
    return ['*'];
  }
  return asArray(statement.Resource).map(r => flattenReference(r));
}

export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}
