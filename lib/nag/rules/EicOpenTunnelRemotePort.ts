import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { allowsOf, boundValues, statementsOf } from './private/policy-statements';
import { OPEN_TUNNEL, REMOTE_PORT_KEY } from '../../private/vocabulary';

/**
 * `ec2-instance-connect:OpenTunnel` is allowed only for named ports: a plain `NumericEquals` on
 * `ec2-instance-connect:remotePort`. `…IfExists` lets a request without the key through, and a range
 * (`NumericLessThanEquals 65535`) names no port.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const allows = allowsOf(statementsOf(node), OPEN_TUNNEL);
  if (allows.length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const bounded = (s: typeof allows[number]) => (boundValues(s, REMOTE_PORT_KEY, ['NumericEquals'])?.length ?? 0) > 0;
  return allows.every(bounded) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}, 'name', { value: parse(__filename).name });
