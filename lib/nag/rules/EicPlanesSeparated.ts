import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { AppIndex } from './private/app-index';
import { allowsOf, CONTROL_PLANE_ACTIONS, DATA_PLANE_ACTIONS, deniesEverywhere, Statement, statementsOf } from './private/policy-statements';

/**
 * No policy, and no role through all its policies in the app, allows both managing endpoints (control plane) and
 * opening tunnels or pushing keys (data plane).
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  let statements: Statement[];
  if (node instanceof iam.CfnPolicy || node instanceof iam.CfnManagedPolicy || node instanceof iam.CfnUser || node instanceof iam.CfnGroup) {
    statements = statementsOf(node);
  } else if (node instanceof iam.CfnRole) {
    statements = [...statementsOf(node), ...AppIndex.of(node).policiesOfRole(node).flatMap(statementsOf)];
  } else {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  // An explicit deny everywhere takes an action away, whatever allows it.
  const grants = (actions: string[]) => actions.some(action => allowsOf(statements, action).length > 0 && !deniesEverywhere(statements, action));
  const control = grants(CONTROL_PLANE_ACTIONS);
  const data = grants(DATA_PLANE_ACTIONS);
  if (!control && !data) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return control && data ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });
