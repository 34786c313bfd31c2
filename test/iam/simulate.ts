import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { ACCOUNT } from './template-world';

export type Expected = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** One request as the AWS CLI (or the service on its behalf) sends it. */
export interface Request {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
}

/** Evaluates a request against identity policies with a real IAM policy evaluator. */
export function evaluate(policies: Array<{ name: string; policy: any }>, request: Request): Expected {
  return runUnsafeSimulation({
    request: {
      principal: `arn:aws:iam::${ACCOUNT}:role/operator`,
      action: request.action,
      resource: { resource: request.resource, accountId: ACCOUNT },
      contextVariables: request.context ?? {},
    },
    identityPolicies: policies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }, {}) as Expected;
}
