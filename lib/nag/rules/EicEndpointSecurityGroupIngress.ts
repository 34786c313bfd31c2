import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { AppIndex } from '../../private/semantics/app-index';
import { NetworkIndex } from '../../private/semantics/network-index';

/**
 * The security groups of EC2 Instance Connect Endpoints have no inbound rules (the service ignores them).
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const index = AppIndex.of(node);
  if (node instanceof ec2.CfnSecurityGroup) {
    if (!index.endpointSecurityGroups().has(node)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const network = NetworkIndex.of(index);
    const any = network.worldsOf(node, 'ingress').some(world => (network.inlineRules(node, 'ingress', world) ?? []).length > 0);
    return any ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  }
  if (node instanceof ec2.CfnSecurityGroupIngress) {
    const group = index.resolveReference(node, node.groupId);
    return group && index.endpointSecurityGroups().has(group) ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.NOT_APPLICABLE;
  }
  return NagRuleCompliance.NOT_APPLICABLE;
}, 'name', { value: parse(__filename).name });
