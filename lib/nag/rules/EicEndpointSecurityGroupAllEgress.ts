import { parse } from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { AppIndex } from './private/app-index';
import { inlineRules, isAllTraffic, Rule, sourceRanges, standaloneRule } from './private/security-group-rules';
import { validateNetworkRanges } from '../../private/validation';

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
  // All traffic to the internet, judged over every rule of the group: 0.0.0.0/1 and 128.0.0.0/1 are everywhere too.
  const toInternet = (rules: Rule[]) => validateNetworkRanges(rules.filter(isAllTraffic).flatMap(sourceRanges)) !== undefined;
  if (node instanceof ec2.CfnSecurityGroup) {
    if (!index.endpointSecurityGroups().has(node)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    // A group defined without egress rules allows all outbound traffic.
    const all = [...inlineRules(node, 'egress'), ...index.egressesOf(node).map(standaloneRule)];
    return node.securityGroupEgress === undefined || (inlineRules(node, 'egress').some(isAllTraffic) && toInternet(all))
      ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  }
  if (node instanceof ec2.CfnSecurityGroupEgress) {
    const group = index.resolveReference(node, node.groupId);
    if (!group || !index.endpointSecurityGroups().has(group)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const rule = standaloneRule(node);
    const all = [...(group instanceof ec2.CfnSecurityGroup ? inlineRules(group, 'egress') : []), ...index.egressesOf(group).map(standaloneRule)];
    return isAllTraffic(rule) && toInternet(all) ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  }
  return NagRuleCompliance.NOT_APPLICABLE;
}, 'name', { value: parse(__filename).name });
