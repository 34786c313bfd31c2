import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { AppIndex } from './private/app-index';
import {
  allowsOf,
  DATA_PLANE_ACTIONS,
  deniesOutsideNetworks,
  hasSourceIpBound,
  isPrincipal,
  Statement,
  statementsOf,
} from './private/policy-statements';

/**
 * Statements that allow opening tunnels or pushing keys name the client networks: a plain `IpAddress aws:SourceIp`
 * that is not the internet (`0.0.0.0/0`, or pieces adding up to it), or a `Deny … NotIpAddress aws:SourceIp` in
 * the same policy or in every principal that holds it.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const statements = statementsOf(node);
  const unbound = DATA_PLANE_ACTIONS.filter(action => allowsOf(statements, action).some(s => !hasSourceIpBound(s)));
  if (!DATA_PLANE_ACTIONS.some(action => allowsOf(statements, action).length > 0)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const index = AppIndex.of(node);
  const enforcedFor = (action: string): boolean => {
    if (deniesOutsideNetworks(statements, action)) {
      return true;
    }
    const holders: Statement[][] = isPrincipal(node)
      ? [index.principalStatements(node)]
      : index.principalsOf(node as iam.CfnPolicy).map(p => index.principalStatements(p));
    return holders.length > 0 && holders.every(held => deniesOutsideNetworks(held, action));
  };
  return unbound.every(enforcedFor) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}, 'name', { value: parse(__filename).name });
