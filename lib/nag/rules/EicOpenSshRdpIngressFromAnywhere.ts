import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { AppIndex } from './private/app-index';
import { NetworkIndex } from './private/network-index';
import { blamed, portToInternet, Rule } from './private/security-group-rules';
import { RDP_PORT, SSH_PORT } from '../../private/vocabulary';

/**
 * Security groups do not admit SSH (TCP 22) or RDP (TCP or UDP 3389) from the internet, judged over every rule the
 * group holds (inline and standalone): `0.0.0.0/0`, `::/0`, a prefix wider than any one network, or ranges adding up
 * to every address, through port ranges and protocol `-1`, and through the entries of prefix lists the app defines.
 * Each resource whose rules open the port, alone or as a necessary piece, is flagged.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const network = NetworkIndex.of(AppIndex.of(node));
  let rules: Rule[];
  if (node instanceof ec2.CfnSecurityGroup) {
    rules = network.rulesOf(node, 'ingress');
  } else if (node instanceof ec2.CfnSecurityGroupIngress) {
    const group = AppIndex.of(node).resolveReference(node, node.groupId);
    rules = group ? network.rulesOf(group, 'ingress') : [network.standaloneRule(node)];
  } else {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const open = [SSH_PORT, RDP_PORT].some(port =>
    blamed(rules, r => portToInternet(r, port, port === RDP_PORT)).has(node));
  return open ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });
