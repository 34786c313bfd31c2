import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { allowsOf, boundValues, statementsOf } from './private/policy-statements';
import { MAX_TUNNEL_DURATION_KEY, MAX_TUNNEL_DURATION_SECONDS, OPEN_TUNNEL } from '../../private/vocabulary';

/**
 * `ec2-instance-connect:OpenTunnel` is allowed only with an upper bound on `ec2-instance-connect:maxTunnelDuration`:
 * a plain `NumericLessThan(Equals)` of at most the service's 3600 seconds (`…IfExists` bounds nothing).
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const allows = allowsOf(statementsOf(node), OPEN_TUNNEL);
  if (allows.length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const bounded = (s: typeof allows[number]) => {
    const values = boundValues(s, MAX_TUNNEL_DURATION_KEY, ['NumericLessThan', 'NumericLessThanEquals']);
    return values !== undefined && values.length > 0 && values.every(v => Number(v) <= MAX_TUNNEL_DURATION_SECONDS);
  };
  return allows.every(bounded) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}, 'name', { value: parse(__filename).name });
