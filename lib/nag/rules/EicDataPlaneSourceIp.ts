import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { allowsOf, DATA_PLANE_ACTIONS, hasConditionKey, statementsOf } from './private/policy-statements';

/**
 * Statements that allow opening tunnels or pushing keys name the client networks (`aws:SourceIp`).
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const statements = statementsOf(node);
  const allows = [...new Set(DATA_PLANE_ACTIONS.flatMap(action => allowsOf(statements, action)))];
  if (allows.length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return allows.every(s => hasConditionKey(s, /^aws:sourceip$/)) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}, 'name', { value: parse(__filename).name });
