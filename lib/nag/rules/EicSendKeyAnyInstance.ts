import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { allowsOf, hasConditionKey, resourcesOf, statementsOf } from './private/policy-statements';

/**
 * `ec2-instance-connect:SendSSHPublicKey` on every instance (`*` or `instance/*`) is narrowed by a resource-tag condition.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const allows = allowsOf(statementsOf(node), 'ec2-instance-connect:SendSSHPublicKey');
  if (allows.length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const anyInstance = (resource: string) => resource === '*' || /:instance\/\*$/.test(resource);
  const tagged = (s: typeof allows[number]) => hasConditionKey(s, /^(aws|ec2):resourcetag\//);
  return allows.some(s => resourcesOf(s).some(anyInstance) && !tagged(s)) ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });
