import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { allowsOf, conditionValues, statementsOf, wildcardMatches } from './private/policy-statements';

/**
 * `ec2-instance-connect:SendSSHPublicKey` is allowed only for named OS users (`ec2:osuser`), and never for `root`.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const allows = allowsOf(statementsOf(node), 'ec2-instance-connect:SendSSHPublicKey');
  if (allows.length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  for (const statement of allows) {
    const equals = conditionValues(statement, 'ec2:osuser', /^StringEquals$/);
    const like = conditionValues(statement, 'ec2:osuser', /^StringLike$/);
    if (equals === undefined && like === undefined) {
      return NagRuleCompliance.NON_COMPLIANT;
    }
    if ((equals ?? []).some(u => u === 'root') || (like ?? []).some(u => typeof u === 'string' && wildcardMatches(u, 'root', false))) {
      return NagRuleCompliance.NON_COMPLIANT;
    }
  }
  return NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });
