import * as iam from 'aws-cdk-lib/aws-iam';
import { ALLOWED_ON_PURPOSE_ACTIONS, ProtectedResource, READ_ACTIONS, RESOURCELESS_SID, serviceOf, tagCondition } from './protected-resources';

/** The condition key that names the calling principal: the role ARN, path included, for an assumed-role session. */
export const PRINCIPAL_ARN_KEY = 'aws:PrincipalArn';

/** Who may change protected resources. */
export interface Changers {
  /** The deployers: deployment roles, the exempt execution roles and break-glass roles, as ARN patterns. */
  readonly deployers: string[];
  /** With the CDK exemption, the CDK deploy role's pattern, which operates stacks and passes the execution role. */
  readonly cdkDeployRole?: string;
}

/** The condition that leaves `principals` out of a deny. */
export function except(principals: string[]): Record<string, unknown> {
  return { ArnNotLike: { [PRINCIPAL_ARN_KEY]: principals.length === 1 ? principals[0] : principals } };
}

/**
 * The guardrail statements that protect `resources`: one per statement ID of the model, denying every action but
 * the reads of the resources' services and the actions allowed on purpose, on the resources it selects, to everyone
 * but those who may change them; and one denying the resource-less actions that change them.
 */
export function protectionStatements(resources: ProtectedResource[], changers: Changers): iam.PolicyStatement[] {
  const bySid = new Map<string, ProtectedResource[]>();
  for (const resource of resources.filter(r => r.resourceTypes.length > 0)) {
    bySid.set(resource.sid, [...(bySid.get(resource.sid) ?? []), resource]);
  }
  const statements = [...bySid.entries()].map(([sid, group]) => {
    const first = group[0];
    if (group.some(r => (r.arns === undefined) !== (first.arns === undefined) || r.tagConditionPrefix !== first.tagConditionPrefix
      || r.tagValue !== first.tagValue || r.changedBy !== first.changedBy || r.alsoAllowed !== first.alsoAllowed)) {
      throw new Error(`the protected resources of ${sid} must share their selection, changedBy and alsoAllowed`);
    }
    const services = new Set(group.flatMap(r => r.resourceTypes.map(serviceOf)));
    const notActions = unique([
      ...[...services].flatMap(service => READ_ACTIONS[service] ?? missing(service)),
      ...ALLOWED_ON_PURPOSE_ACTIONS.filter(action => services.has(serviceOf(action))),
      ...(first.alsoAllowed?.actions ?? []),
    ]);
    const who = first.changedBy === 'cdk' && changers.cdkDeployRole ? [...changers.deployers, changers.cdkDeployRole] : changers.deployers;
    return new iam.PolicyStatement({
      sid,
      effect: iam.Effect.DENY,
      notActions,
      resources: first.arns ? unique(group.flatMap(r => r.arns ?? [])) : ['*'],
      conditions: { ...(first.tagConditionPrefix ? { StringEquals: tagCondition(first) } : {}), ...except(who) },
    });
  });
  const resourceless = unique(resources.flatMap(r => r.resourceless ?? []));
  // One statement per condition key: the key must name a protected resource for the deny to apply.
  const byKey = new Map<string, { actions: string[]; arns: string[] }>();
  for (const resource of resources) {
    for (const { action, conditionKey } of resource.referencedBy ?? []) {
      const entry = byKey.get(conditionKey) ?? { actions: [], arns: [] };
      byKey.set(conditionKey, { actions: unique([...entry.actions, action]), arns: unique([...entry.arns, ...(resource.arns ?? [])]) });
    }
  }
  const references = [...byKey.entries()].map(([conditionKey, { actions, arns }]) => new iam.PolicyStatement({
    sid: `Referencing${conditionKey.split(':')[1]}OnlyForDeployers`,
    effect: iam.Effect.DENY,
    actions,
    resources: ['*'],
    conditions: { 'ForAnyValue:ArnLike': { [conditionKey]: arns }, ...except(changers.deployers) },
  }));
  return [
    ...statements,
    ...references,
    ...(resourceless.length > 0 ? [new iam.PolicyStatement({
      sid: RESOURCELESS_SID,
      effect: iam.Effect.DENY,
      actions: resourceless,
      resources: ['*'],
      conditions: except(changers.deployers),
    })] : []),
  ];
}

function missing(service: string): never {
  throw new Error(`READ_ACTIONS has no entry for ${service}`);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
