import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { allowsOf, hasStrongTagCondition, isAnyOfType, resourcesOf, statementsOf } from './private/policy-statements';
import { OPEN_TUNNEL } from '../../private/vocabulary';

/**
 * `ec2-instance-connect:OpenTunnel` is allowed on named endpoints, or on every endpoint (`*`, `instance-connect-endpoint/*`,
 * wildcards in the ID) only when narrowed by the endpoint's tags, the pattern AWS documents.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const allows = allowsOf(statementsOf(node), OPEN_TUNNEL);
  if (allows.length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const anyEndpoint = (s: typeof allows[number]) =>
    s.NotResource !== undefined || resourcesOf(s).some(r => isAnyOfType(r, 'instance-connect-endpoint'));
  return allows.some(s => anyEndpoint(s) && !hasStrongTagCondition(s)) ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });
