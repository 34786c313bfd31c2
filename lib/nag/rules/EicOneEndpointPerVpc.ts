import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { AppIndex } from '../../private/semantics/app-index';

/**
 * A VPC has at most one EC2 Instance Connect Endpoint in the app (AWS allows one; a second fails to deploy).
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  if (!(node instanceof ec2.CfnInstanceConnectEndpoint)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const index = AppIndex.of(node);
  const vpc = index.vpcOfSubnet(node, node.subnetId);
  const sameVpc = index.endpoints.filter(e => index.vpcOfSubnet(e, e.subnetId) === vpc);
  return sameVpc.length > 1 ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });
