import { parse } from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { AppIndex } from './private/app-index';

/**
 * An app with an EC2 Instance Connect Endpoint has a CloudTrail trail that logs management events, where
 * `OpenTunnel` and `SendSSHPublicKey` are recorded.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  if (!(node instanceof ec2.CfnInstanceConnectEndpoint)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return AppIndex.of(node).trails.some(logsManagementEvents) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}, 'name', { value: parse(__filename).name });

function logsManagementEvents(trail: cloudtrail.CfnTrail): boolean {
  const stack = Stack.of(trail);
  if (stack.resolve(trail.isLogging) === false) {
    return false;
  }
  const advanced = stack.resolve(trail.advancedEventSelectors) as unknown[] | undefined;
  if (advanced && advanced.length > 0) {
    return JSON.stringify(advanced).includes('Management');
  }
  const selectors = stack.resolve(trail.eventSelectors) as Array<Record<string, unknown>> | undefined;
  // Without selectors a trail logs all management events.
  return !selectors || selectors.length === 0 || selectors.some(s => (s.includeManagementEvents ?? s.IncludeManagementEvents) !== false);
}
