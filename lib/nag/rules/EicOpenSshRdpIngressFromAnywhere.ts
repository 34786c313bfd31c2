import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { AppIndex } from './private/app-index';
import { coversPort, inlineRules, Rule, sourceRanges, standaloneRule } from './private/security-group-rules';
import { validateNetworkRanges } from '../../private/validation';
import { RDP_PORT, SSH_PORT } from '../../private/vocabulary';

/**
 * Security groups do not allow SSH (22) or RDP (3389, TCP or UDP) from the internet: `0.0.0.0/0`, `::/0`, a prefix
 * larger than any one network, or rules whose ranges add up to every address (judged over all the group's rules,
 * inline and standalone).
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  let group: CfnResource | undefined;
  if (node instanceof ec2.CfnSecurityGroup) {
    group = node;
  } else if (node instanceof ec2.CfnSecurityGroupIngress) {
    group = AppIndex.of(node).resolveReference(node, node.groupId);
  } else {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const own: Rule[] = node instanceof ec2.CfnSecurityGroupIngress ? [standaloneRule(node)] : inlineRules(node as ec2.CfnSecurityGroup, 'ingress');
  // The group's other rules count too: 0.0.0.0/1 here and 128.0.0.0/1 there are the internet together.
  const all: Rule[] = group instanceof ec2.CfnSecurityGroup
    ? [...inlineRules(group, 'ingress'), ...AppIndex.of(node).ingressesOf(group).map(standaloneRule)]
    : own;
  for (const port of [SSH_PORT, RDP_PORT]) {
    const onPort = (r: Rule) => coversPort(r, port) || (port === RDP_PORT && coversPort(r, port, 'udp'));
    const mine = own.filter(onPort);
    if (mine.length > 0 && validateNetworkRanges(all.filter(onPort).flatMap(sourceRanges)) !== undefined) {
      return NagRuleCompliance.NON_COMPLIANT;
    }
  }
  return NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });
