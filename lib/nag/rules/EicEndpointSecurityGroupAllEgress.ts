import { parse } from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { AppIndex } from './private/app-index';
import { inlineRules, isAllTraffic, isAnywhere, standaloneRule } from './private/security-group-rules';

/**
 * The security groups of EC2 Instance Connect Endpoints do not allow all outbound traffic. An endpoint with no
 * security group gets the VPC's default group, which allows all outbound traffic.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const index = AppIndex.of(node);
  if (node instanceof ec2.CfnInstanceConnectEndpoint) {
    const groups = Stack.of(node).resolve(node.securityGroupIds) as unknown[] | undefined;
    return groups === undefined || groups.length === 0 ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  }
  if (node instanceof ec2.CfnSecurityGroup) {
    if (!index.endpointSecurityGroups().has(node)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    // A group defined without egress rules allows all outbound traffic.
    const rules = inlineRules(node, 'egress');
    return node.securityGroupEgress === undefined || rules.some(r => isAnywhere(r) && isAllTraffic(r))
      ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  }
  if (node instanceof ec2.CfnSecurityGroupEgress) {
    const group = index.resolveReference(node, node.groupId);
    if (!group || !index.endpointSecurityGroups().has(group)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const rule = standaloneRule(node);
    return isAnywhere(rule) && isAllTraffic(rule) ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  }
  return NagRuleCompliance.NOT_APPLICABLE;
}, 'name', { value: parse(__filename).name });
