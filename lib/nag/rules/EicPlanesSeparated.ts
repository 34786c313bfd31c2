import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { AppIndex } from './private/app-index';
import {
  allowsOf,
  CONTROL_PLANE_ACTIONS,
  DATA_PLANE_ACTIONS,
  deniesEverywhere,
  isPolicyHolder,
  isPrincipal,
  Statement,
  statementsOf,
} from './private/policy-statements';

/**
 * No policy, and no principal through every way it gets policies (inline, attached policy resources, AWS-managed
 * policies by ARN, and a user's groups), allows both managing endpoints (control plane) and opening tunnels or
 * pushing keys (data plane). Only a deny that holds for every request and resource takes an action away.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  if (!isPolicyHolder(node)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const statements: Statement[] = isPrincipal(node) ? AppIndex.of(node).principalStatements(node) : statementsOf(node);
  const grants = (actions: string[]) => actions.some(action => allowsOf(statements, action).length > 0 && !deniesEverywhere(statements, action));
  const control = grants(CONTROL_PLANE_ACTIONS);
  const data = grants(DATA_PLANE_ACTIONS);
  if (!control && !data) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return control && data ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });
