import { parse } from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { AppIndex } from '../../private/semantics/app-index';
import { field, flag, NetworkIndex } from '../../private/semantics/network-index';

/**
 * No instance beside an EC2 Instance Connect Endpoint (in its VPC) gets a public IPv4 address, by any path: its own
 * network interface or its subnet's `MapPublicIpOnLaunch` (the instance is flagged), an Elastic IP given to it or to
 * its network interface (the `AWS::EC2::EIP` or `AWS::EC2::EIPAssociation` is flagged), a launch template or launch
 * configuration asking for one (the template or configuration is flagged), or an Auto Scaling group launching into
 * subnets that map public IPs (the group is flagged). The resource flagged is always the one to change.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const index = AppIndex.of(node);
  if (index.endpoints.length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const network = NetworkIndex.of(index);
  const endpointVpcs = index.endpointVpcs();
  const beside = (vpcs: string[]) => vpcs.some(v => endpointVpcs.has(v));
  const verdict = (finding: boolean) => (finding ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT);
  if (node instanceof ec2.CfnEIP || node instanceof ec2.CfnEIPAssociation) {
    const vpcs = network.vpcsGivenAddress(node);
    return vpcs.length === 0 ? NagRuleCompliance.NOT_APPLICABLE : verdict(beside(vpcs));
  }
  if (node instanceof ec2.CfnLaunchTemplate || node instanceof autoscaling.CfnLaunchConfiguration) {
    return verdict(network.asksForPublicIp(node) === true && launchesBeside(network, index, node, beside));
  }
  if (node instanceof autoscaling.CfnAutoScalingGroup) {
    const subnets = network.subnetsOfGroup(node) ?? [];
    const publicBeside = subnets.some(s => beside([index.vpcOfSubnet(node, s)]) && network.mapsPublicIp(node, s));
    // A launch source that says yes is flagged itself; one that says no overrides the subnet.
    const sources = network.launchSourcesOf(node).map(s => network.asksForPublicIp(s));
    return verdict(publicBeside && !sources.some(v => v !== undefined));
  }
  if (node instanceof ec2.CfnInstance) {
    if (!beside(network.vpcsOfInstance(node))) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const interfaces = (Stack.of(node).resolve(node.networkInterfaces) as Array<Record<string, unknown>> | undefined) ?? [];
    const explicit = interfaces.map(i => flag(field(i, 'associatePublicIpAddress'))).find(v => v !== undefined);
    if (explicit !== undefined) {
      return verdict(explicit);
    }
    const subnets = [node.subnetId, ...interfaces.map(i => field(i, 'subnetId'))].filter(s => s !== undefined);
    return verdict(subnets.some(s => network.mapsPublicIp(node, s)));
  }
  return NagRuleCompliance.NOT_APPLICABLE;
}, 'name', { value: parse(__filename).name });

/**
 * Whether a launch template or configuration that asks for a public IP launches beside an endpoint: into a subnet
 * in the endpoint's VPC, by its own network interface or by an Auto Scaling group using it. When synth cannot tell
 * the subnets (no subnet on the interface, no group in the app, a group without `VPCZoneIdentifier`), it may launch
 * anywhere, so an app with an endpoint counts as beside it.
 */
function launchesBeside(network: NetworkIndex, index: AppIndex, node: ec2.CfnLaunchTemplate | autoscaling.CfnLaunchConfiguration,
  beside: (vpcs: string[]) => boolean): boolean {
  if (node instanceof ec2.CfnLaunchTemplate) {
    const data = Stack.of(node).resolve(node.launchTemplateData) as Record<string, unknown> | undefined;
    const interfaces = field(data, 'networkInterfaces');
    const named = (Array.isArray(interfaces) ? interfaces as Array<Record<string, unknown>> : [])
      .filter(i => flag(field(i, 'associatePublicIpAddress')) === true)
      .map(i => field(i, 'subnetId'));
    if (named.length > 0 && named.every(s => s !== undefined)) {
      return beside(named.map(s => index.vpcOfSubnet(node, s)));
    }
  }
  const groups = network.groupsLaunching(node).map(group => ({ group, subnets: network.subnetsOfGroup(group) }));
  if (groups.length === 0 || groups.some(g => g.subnets === undefined)) {
    return true;
  }
  return groups.some(g => beside(g.subnets!.map(id => index.vpcOfSubnet(g.group, id))));
}
