import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { validationError } from './errors';
import { MAX_MANAGED_POLICY_LENGTH, PolicyLengthEstimator } from './policy-size';

/** `{"Version":"2012-10-17","Statement":[]}` */
const DOCUMENT_OVERHEAD = 40;

/**
 * Packs statements into as few policy documents as fit IAM's managed-policy size limit, in order.
 *
 * A statement too large for one policy is split into chunks of its resource list, or else of its longest
 * condition list. Both are safe for allow statements: statements are OR-ed, so the chunks allow the same requests.
 */
export function packStatements(
  scope: IConstruct, statements: iam.PolicyStatement[], limit = MAX_MANAGED_POLICY_LENGTH, kind = 'managed policy',
): iam.PolicyStatement[][] {
  const estimator = new PolicyLengthEstimator(Stack.of(scope));
  const budget = limit - DOCUMENT_OVERHEAD;
  const documents: iam.PolicyStatement[][] = [];
  let current: iam.PolicyStatement[] = [];
  let used = 0;
  for (const statement of statements.flatMap(s => splitToFit(scope, estimator, s, budget, `${limit} characters of a ${kind}`))) {
    const length = estimator.statement(statement);
    if (current.length > 0 && used + 1 + length > budget) {
      documents.push(current);
      current = [];
      used = 0;
    }
    used += (current.length > 0 ? 1 : 0) + length;
    current.push(statement);
  }
  if (current.length > 0) {
    documents.push(current);
  }
  return documents;
}

function splitToFit(
  scope: IConstruct, estimator: PolicyLengthEstimator, statement: iam.PolicyStatement, budget: number, limitText: string,
): iam.PolicyStatement[] {
  if (estimator.statement(statement) <= budget) {
    return [statement];
  }
  if (statement.resources.length > 1) {
    return chunk(estimator, statement.resources, budget - estimator.statement(copy(statement, { resources: [] })))
      .map(resources => copy(statement, { resources }));
  }
  const longest = longestConditionList(statement);
  if (longest && statement.effect === iam.Effect.ALLOW && !/Not|ForAllValues/.test(longest.operator)) {
    const conditions = statement.conditions as Record<string, Record<string, unknown>>;
    const { operator, key, values } = longest;
    const rest = budget - estimator.statement(copy(statement, { conditions: { ...conditions, [operator]: { ...conditions[operator], [key]: [] } } }));
    return chunk(estimator, values, rest).map(part => copy(statement, {
      conditions: { ...conditions, [operator]: { ...conditions[operator], [key]: part } },
    }));
  }
  throw validationError(scope,
    `a policy statement for ${(statement.actions.length > 0 ? statement.actions : [statement.sid ?? 'NotAction']).join(', ')} is longer than the ${limitText} and cannot be split`);
}

/** Greedy chunks of `values` whose JSON list (brackets and commas included) fits `room` characters. */
function chunk<T>(estimator: PolicyLengthEstimator, values: T[], room: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let used = 2;
  for (const value of values) {
    const valueLength = estimator.value(value);
    if (current.length > 0 && used + valueLength + 1 > room) {
      chunks.push(current);
      current = [];
      used = 2;
    }
    used += current.length > 0 ? valueLength + 1 : valueLength;
    current.push(value);
  }
  chunks.push(current);
  return chunks;
}

function longestConditionList(statement: iam.PolicyStatement): { operator: string; key: string; values: unknown[] } | undefined {
  let longest: { operator: string; key: string; values: unknown[] } | undefined;
  for (const [operator, keys] of Object.entries(statement.conditions as Record<string, Record<string, unknown>>)) {
    for (const [key, values] of Object.entries(keys)) {
      if (Array.isArray(values) && values.length > 1 && (!longest || values.length > longest.values.length)) {
        longest = { operator, key, values };
      }
    }
  }
  return longest;
}

function copy(statement: iam.PolicyStatement, change: { resources?: string[]; conditions?: Record<string, unknown> }): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: statement.sid,
    effect: statement.effect,
    actions: statement.actions,
    notActions: statement.notActions,
    resources: change.resources ?? statement.resources,
    conditions: change.conditions ?? statement.conditions,
  });
}
