import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { allowsOf, conditionValues, statementsOf } from './private/policy-statements';

/**
 * `ec2-instance-connect:OpenTunnel` is allowed only with a `ec2-instance-connect:remotePort` condition.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const allows = allowsOf(statementsOf(node), 'ec2-instance-connect:OpenTunnel');
  if (allows.length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  // IfExists would let a request without the key through; only a plain numeric condition bounds the port.
  const bounded = (s: typeof allows[number]) => conditionValues(s, 'ec2-instance-connect:remotePort', /^Numeric(Equals|LessThan|LessThanEquals)$/) !== undefined;
  return allows.every(bounded) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}, 'name', { value: parse(__filename).name });
