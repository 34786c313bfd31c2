import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import * as sso from 'aws-cdk-lib/aws-sso';
import { flattenReference } from '../../../private/flatten-reference';
import { isIpAddressOrCidr, validateNetworkRanges } from '../../../private/validation';
import {
  CREATE_ENDPOINT,
  DELETE_ENDPOINT,
  EC2_RESOURCE_TAG_PREFIX,
  MODIFY_ENDPOINT,
  OPEN_TUNNEL,
  RESOURCE_TAG_PREFIX,
  SEND_SERIAL_CONSOLE_SSH_PUBLIC_KEY,
  SEND_SSH_PUBLIC_KEY,
  SOURCE_IP_KEY,
} from '../../../private/vocabulary';

export { CONTROL_PLANE_ACTIONS, DATA_PLANE_ACTIONS } from '../../../private/vocabulary';

/** A resolved IAM policy statement. */
export interface Statement {
  readonly Effect?: string;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** The resources that hold policy documents of their own: IAM policies and principals, permission sets, SCPs. */
export function isPolicyHolder(node: CfnResource): boolean {
  return node instanceof iam.CfnPolicy || node instanceof iam.CfnManagedPolicy || node instanceof iam.CfnRolePolicy ||
    node instanceof iam.CfnUserPolicy || node instanceof iam.CfnGroupPolicy || isPrincipal(node) ||
    node instanceof sso.CfnPermissionSet || isServiceControlPolicy(node);
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
 * The resolved statements of every policy document an IAM resource holds: a policy resource (`AWS::IAM::Policy`,
 * `ManagedPolicy`, `RolePolicy`, `UserPolicy`, `GroupPolicy`), or a role, user or group with its inline policies.
 * What a principal gets from elsewhere (attached policies, groups, AWS-managed policies) is `AppIndex.principalStatements`.
 */
export function statementsOf(node: CfnResource): Statement[] {
  const stack = Stack.of(node);
  const documents: unknown[] = [];
  if (node instanceof iam.CfnPolicy || node instanceof iam.CfnManagedPolicy || node instanceof iam.CfnRolePolicy ||
    node instanceof iam.CfnUserPolicy || node instanceof iam.CfnGroupPolicy) {
    documents.push(stack.resolve(node.policyDocument));
  } else if (node instanceof sso.CfnPermissionSet) {
    // The permission set's inline policy becomes an inline policy of the role Identity Center makes in each account.
    documents.push(stack.resolve(node.inlinePolicy));
  } else if (isServiceControlPolicy(node)) {
    // An SCP's allows grant nothing (it only bounds what identity policies grant): only its denies count here.
    documents.push({ Statement: statementsOfDocument(stack.resolve(node.content)).filter(st => st.Effect === 'Deny') });
  } else if (isPrincipal(node)) {
    const policies = stack.resolve(node.policies) as Array<{ policyDocument?: unknown; PolicyDocument?: unknown }> | undefined;
    for (const policy of policies ?? []) {
      documents.push(stack.resolve(policy.policyDocument ?? policy.PolicyDocument));
    }
  }
  return documents.flatMap(statementsOfDocument);
}

/** The statements of a resolved policy document (a JSON string is parsed, as CloudFormation takes either). */
export function statementsOfDocument(document: unknown): Statement[] {
  let d = document;
  if (typeof d === 'string') {
    try {
      d = JSON.parse(d);
    } catch {
      return [];
    }
  }
  return asArray((d as { Statement?: unknown } | undefined)?.Statement) as Statement[];
}

/** The statements that allow `action` (case-insensitive, wildcards and NotAction honoured). */
export function allowsOf(statements: Statement[], action: string): Statement[] {
  return statements.filter(s => s.Effect === 'Allow' && allowsAction(s, action));
}

/** Whether a statement covers `action`. */
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

/**
 * A plain condition operator: one that fails when the key is missing. `…IfExists` passes a request without the
 * key, and `ForAllValues:` passes one with an empty or missing key set, so neither bounds anything.
 */
export function isPlainOperator(operator: string): boolean {
  return !/IfExists$/.test(operator) && !/^For(All|Any)Values:/.test(operator);
}

/**
 * The values of condition `key` (case-insensitive, as IAM compares key names) under plain operators named in
 * `operators`, or undefined when there is none.
 */
export function boundValues(statement: Statement, key: string, operators: string[]): unknown[] | undefined {
  return valuesWhere(statement, key, op => operators.includes(op));
}

/** The values of condition `key` (case-insensitive) under operators matching `operator` (a RegExp), or undefined. */
export function conditionValues(statement: Statement, key: string, operator: RegExp = /.*/): unknown[] | undefined {
  return valuesWhere(statement, key, op => operator.test(op));
}

function valuesWhere(statement: Statement, key: string, operatorMatches: (operator: string) => boolean): unknown[] | undefined {
  let found: unknown[] | undefined;
  for (const [op, keys] of Object.entries(statement.Condition ?? {})) {
    if (!operatorMatches(op)) {
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

/**
 * Whether the statement is narrowed by a resource tag: a plain `StringEquals`, `StringEqualsIgnoreCase` or
 * `StringLike` (with something besides wildcards) on `aws:ResourceTag/…` or `ec2:ResourceTag/…`. `…IfExists`
 * passes an untagged resource, `StringLike "*"` any value, and `StringNotEquals` everything but one value.
 */
export function hasStrongTagCondition(statement: Statement): boolean {
  const prefixes = [RESOURCE_TAG_PREFIX, EC2_RESOURCE_TAG_PREFIX].map(p => p.toLowerCase());
  const tagKey = (k: string) => prefixes.some(p => k.toLowerCase().startsWith(p));
  return Object.entries(statement.Condition ?? {}).some(([op, keys]) =>
    ['StringEquals', 'StringEqualsIgnoreCase', 'StringLike'].includes(op) &&
    Object.entries(keys ?? {}).some(([k, values]) => tagKey(k) &&
      asArray(values).length > 0 && asArray(values).every(v => op !== 'StringLike' || !/^[*?]*$/.test(String(v)))));
}

/** Whether the statement names client networks (`IpAddress aws:SourceIp`, plain, and not the internet in any form). */
export function hasSourceIpBound(statement: Statement): boolean {
  const ranges = boundValues(statement, SOURCE_IP_KEY, ['IpAddress']);
  return ranges !== undefined && ranges.length > 0 && !isInternet(ranges);
}

/** Whether ranges (as written in a policy) amount to the internet: `0.0.0.0/0`, `::/0`, or pieces adding up to it. */
export function isInternet(ranges: unknown[]): boolean {
  const strings = ranges.map(String).filter(isIpAddressOrCidr);
  return validateNetworkRanges(strings) !== undefined;
}

/** The statement's resources, flattened the way cdk-nag shows them (`arn:<AWS::Partition>:…`). */
export function resourcesOf(statement: Statement): string[] {
  if (statement.NotResource !== undefined) {
    return ['*'];
  }
  return asArray(statement.Resource).map(r => flattenReference(r));
}

/** The resource type each Instance Connect action is authorised on, as an ARN with a probe ID. */
const PROBE_ARNS: Record<string, string> = {
  [OPEN_TUNNEL.toLowerCase()]: 'instance-connect-endpoint/eice-0probe',
  [SEND_SSH_PUBLIC_KEY.toLowerCase()]: 'instance/i-0probe',
  [SEND_SERIAL_CONSOLE_SSH_PUBLIC_KEY.toLowerCase()]: 'instance/i-0probe',
  [CREATE_ENDPOINT.toLowerCase()]: 'instance-connect-endpoint/eice-0probe',
  [MODIFY_ENDPOINT.toLowerCase()]: 'instance-connect-endpoint/eice-0probe',
  [DELETE_ENDPOINT.toLowerCase()]: 'instance-connect-endpoint/eice-0probe',
};

/**
 * Whether a resource (as `resourcesOf` renders it) covers every resource `action` can be authorised on in the
 * stack's partition and account, in every Region: `*`, or an ARN pattern such as
 * `arn:aws:ec2:*:*:instance-connect-endpoint/*`. A Region pinned by `<AWS::Region>` leaves the other Regions out.
 */
export function coversEveryResource(resource: string, action: string): boolean {
  if (resource === '*') {
    return true;
  }
  const probe = PROBE_ARNS[action.toLowerCase()];
  if (!probe) {
    return false;
  }
  const pattern = resource.replace(/<AWS::Partition>/g, 'aws').replace(/<AWS::AccountId>/g, '111122223333');
  return wildcardMatches(pattern, `arn:aws:ec2:zz-probe-1:111122223333:${probe}`, false);
}

/** Whether a resource names every resource of its type or wildcards in its ID (`instance/*`, `instance/i-*`). */
export function isAnyOfType(resource: string, type: 'instance' | 'instance-connect-endpoint'): boolean {
  if (resource === '*' || /^arn:[^:]*:ec2:[^:]*:[^:]*:\*$/.test(resource)) {
    return true;
  }
  const id = new RegExp(`:${type}/(.*)$`).exec(resource)?.[1];
  return id !== undefined && /[*?]/.test(id);
}

/**
 * Whether some statement denies `action` on every resource, whatever the request: no condition, no `NotResource`
 * (which spares the resources it names), and a resource that covers every resource of the action.
 */
export function deniesEverywhere(statements: Statement[], action: string): boolean {
  return statements.some(s => s.Effect === 'Deny' && s.Condition === undefined && s.NotResource === undefined &&
    allowsAction(s, action) && resourcesOf(s).some(r => coversEveryResource(r, action)));
}

/**
 * Whether some statement denies `action` from outside named networks: `Deny … NotIpAddress aws:SourceIp` on every
 * resource, the documented way to bound every allow of a policy at once. The only other condition allowed is the
 * usual exception for calls AWS services make on the principal's behalf (`aws:ViaAWSService` false).
 */
export function deniesOutsideNetworks(statements: Statement[], action: string): boolean {
  return statements.some(s => {
    if (s.Effect !== 'Deny' || s.NotResource !== undefined || !allowsAction(s, action) || !resourcesOf(s).some(r => coversEveryResource(r, action))) {
      return false;
    }
    const ranges = boundValues(s, SOURCE_IP_KEY, ['NotIpAddress']);
    if (ranges === undefined || ranges.length === 0 || isInternet(ranges)) {
      return false;
    }
    const others = Object.entries(s.Condition ?? {}).flatMap(([op, keys]) => Object.keys(keys ?? {}).map(k => `${op} ${k.toLowerCase()}`))
      .filter(k => k !== `NotIpAddress ${SOURCE_IP_KEY.toLowerCase()}`);
    return others.every(k => /^Bool(IfExists)? aws:viaawsservice$/.test(k));
  });
}

export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}
