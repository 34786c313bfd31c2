import { parse } from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { AppIndex } from '../../private/semantics/app-index';
import { NetworkIndex } from '../../private/semantics/network-index';
import { blamed, everyTcpPortToInternet } from '../../private/semantics/security-group-rules';

/**
 * The security groups of EC2 Instance Connect Endpoints do not let every TCP port reach the internet, judged over
 * every rule the group holds once EC2 has applied it: inline and standalone rules, EC2's allow-all egress rule on a
 * group created without egress rules (`SecurityGroupEgress: []` included), port ranges and protocol `-1`, IPv4 and
 * IPv6, and the entries of prefix lists the app defines, in every way the template's conditions can deploy them.
 * An endpoint with no security group, or with its VPC's default group, allows all outbound traffic.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const index = AppIndex.of(node);
  const network = NetworkIndex.of(index);
  if (node instanceof ec2.CfnInstanceConnectEndpoint) {
    // Without security groups the endpoint gets its VPC's default group.
    const groups = Stack.of(node).resolve(node.securityGroupIds) as unknown;
    const none = groups === undefined || (Array.isArray(groups) && groups.length === 0);
    const defaults: Array<ec2.CfnVPC | undefined> = none ? [network.vpcOf(node, node.subnetId)]
      : (Array.isArray(groups) ? groups : []).map(g => network.defaultGroupOf(node, g)).filter(v => v !== undefined);
    // A default group outside the app allows all outbound traffic; one in it is judged by the rules it holds.
    const open = defaults.some(vpc => vpc === undefined || everyTcpPortToInternet(network.rulesOf(vpc, 'egress')));
    return open ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
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
  // Flagged when the rules are too wide in any way the template's conditions can deploy them.
  const target = group;
  return network.worldsOf(target, 'egress').some(world => blamed(network.rulesOf(target, 'egress', world), everyTcpPortToInternet).has(node))
    ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });
