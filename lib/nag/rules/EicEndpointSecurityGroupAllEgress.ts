import { parse } from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { AppIndex } from './private/app-index';
import { NetworkIndex } from './private/network-index';
import { blamed, everyTcpPortToInternet } from './private/security-group-rules';

/**
 * The security groups of EC2 Instance Connect Endpoints do not let every TCP port reach the internet, judged over
 * every rule the group holds once EC2 has applied it: inline and standalone rules, EC2's allow-all egress rule on a
 * group created without egress rules (`SecurityGroupEgress: []` included), port ranges and protocol `-1`, IPv4 and
 * IPv6, and the entries of prefix lists the app defines. An endpoint with no security group, or with its VPC's
 * default group, allows all outbound traffic.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const index = AppIndex.of(node);
  const network = NetworkIndex.of(index);
  if (node instanceof ec2.CfnInstanceConnectEndpoint) {
    const groups = Stack.of(node).resolve(node.securityGroupIds) as unknown;
    if (groups === undefined || (Array.isArray(groups) && groups.length === 0)) {
      return NagRuleCompliance.NON_COMPLIANT;
    }
    // The default group's allow-all egress rule stays: CloudFormation cannot remove a rule it did not create.
    const defaultGroup = Array.isArray(groups) && groups.some(g => network.defaultGroupOf(node, g) !== undefined);
    return defaultGroup ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  }
  let group: CfnResource | undefined;
  if (node instanceof ec2.CfnSecurityGroup) {
    group = node;
  } else if (node instanceof ec2.CfnSecurityGroupEgress) {
    group = index.resolveReference(node, node.groupId);
  } else {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  if (!group || !index.endpointSecurityGroups().has(group)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return blamed(network.rulesOf(group, 'egress'), everyTcpPortToInternet).has(node)
    ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });
