import { parse } from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { AppIndex } from '../../private/semantics/app-index';
import { conditionNames, worlds } from '../../private/semantics/condition-worlds';
import { NetworkIndex } from '../../private/semantics/network-index';
import { blamed, portToInternet, Rule } from '../../private/semantics/security-group-rules';
import { RDP_PORT, SSH_PORT } from '../../private/vocabulary';

/**
 * Security groups do not admit SSH (TCP 22) or RDP (TCP or UDP 3389) from the internet, judged over every rule the
 * group holds (inline and standalone): `0.0.0.0/0`, `::/0`, a prefix wider than any one network, or ranges adding up
 * to every address, through port ranges and protocol `-1`, and through the entries of prefix lists the app defines,
 * in every way the template's conditions can deploy them.
 * Each resource whose rules open the port, alone or as a necessary piece, is flagged.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const network = NetworkIndex.of(AppIndex.of(node));
  let group: CfnResource | undefined;
  if (node instanceof ec2.CfnSecurityGroup) {
    group = node;
  } else if (node instanceof ec2.CfnSecurityGroupIngress) {
    group = AppIndex.of(node).resolveReference(node, node.groupId);
  } else {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  // Every way the template's conditions can deploy the group's rules; a rule on a group outside the app stands alone.
  const ways: Rule[][] = group
    ? network.worldsOf(group, 'ingress').map(world => network.rulesOf(group!, 'ingress', world))
    : standaloneWorlds(node as ec2.CfnSecurityGroupIngress).map(world => [network.standaloneRule(node as ec2.CfnSecurityGroupIngress, world)]);
  const open = ways.some(rules => [SSH_PORT, RDP_PORT].some(port =>
    blamed(rules, r => portToInternet(r, port, port === RDP_PORT)).has(node)));
  return open ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });

function standaloneWorlds(node: ec2.CfnSecurityGroupIngress) {
  return worlds(conditionNames(Stack.of(node).resolve([node.cidrIp, node.cidrIpv6, node.ipProtocol, node.fromPort, node.toPort])));
}
