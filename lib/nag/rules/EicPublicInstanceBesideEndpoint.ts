import { parse } from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { AppIndex } from './private/app-index';

/**
 * Instances in a VPC with an EC2 Instance Connect Endpoint have no public IP address (the endpoint makes it
 * needless), and neither do the instances launch templates start in an app with an endpoint.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  if (node instanceof ec2.CfnLaunchTemplate) {
    return launchTemplate(node);
  }
  if (!(node instanceof ec2.CfnInstance)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const index = AppIndex.of(node);
  const stack = Stack.of(node);
  const interfaces = (stack.resolve(node.networkInterfaces) as Array<Record<string, unknown>> | undefined) ?? [];
  const subnetIds = [node.subnetId, ...interfaces.map(i => i.subnetId ?? i.SubnetId)].filter(s => s !== undefined);
  const endpointVpcs = index.endpointVpcs();
  if (!subnetIds.some(s => endpointVpcs.has(index.vpcOfSubnet(node, s)))) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const explicit = interfaces.map(i => i.associatePublicIpAddress ?? i.AssociatePublicIpAddress).find(v => v !== undefined);
  if (explicit !== undefined) {
    return explicit === true || explicit === 'true' ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  }
  const subnet = subnetIds.map(s => index.subnet(node, s)).find(s => s !== undefined);
  const mapsPublicIp = subnet ? Stack.of(subnet).resolve(subnet.mapPublicIpOnLaunch) === true : false;
  return mapsPublicIp ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });

/**
 * A launch template that asks for a public IP, in an app with an endpoint: in the endpoint's VPC when its network
 * interface names a subnet, else wherever its instances may land (an Auto Scaling group picks the subnets).
 */
function launchTemplate(node: ec2.CfnLaunchTemplate): NagRuleResult {
  const index = AppIndex.of(node);
  if (index.endpoints.length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const data = Stack.of(node).resolve(node.launchTemplateData) as Record<string, unknown> | undefined;
  const interfaces = ((data?.networkInterfaces ?? data?.NetworkInterfaces) as Array<Record<string, unknown>> | undefined) ?? [];
  const publicInterfaces = interfaces.filter(i => {
    const value = i.associatePublicIpAddress ?? i.AssociatePublicIpAddress;
    return value === true || value === 'true';
  });
  if (publicInterfaces.length === 0) {
    return NagRuleCompliance.COMPLIANT;
  }
  const endpointVpcs = index.endpointVpcs();
  const besideEndpoint = publicInterfaces.some(i => {
    const subnetId = i.subnetId ?? i.SubnetId;
    return subnetId === undefined || endpointVpcs.has(index.vpcOfSubnet(node, subnetId));
  });
  return besideEndpoint ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}
