import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { coversPort, inlineRules, isAnywhere, Rule, standaloneRule } from './private/security-group-rules';

/**
 * Security groups do not allow SSH (22) or RDP (3389) from 0.0.0.0/0 or ::/0.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  let rules: Rule[];
  if (node instanceof ec2.CfnSecurityGroup) {
    rules = inlineRules(node, 'ingress');
  } else if (node instanceof ec2.CfnSecurityGroupIngress) {
    rules = [standaloneRule(node)];
  } else {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return rules.some(r => isAnywhere(r) && (coversPort(r, 22) || coversPort(r, 3389)))
    ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });
