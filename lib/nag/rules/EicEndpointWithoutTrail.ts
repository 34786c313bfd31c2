import { parse } from 'path';
import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { AppIndex } from '../../private/semantics/app-index';
import { alwaysExists, branches } from '../../private/semantics/condition-worlds';

/**
 * Each EC2 Instance Connect Endpoint is covered by a logging CloudTrail trail that records write management events,
 * where `OpenTunnel` and the key pushes are recorded (not one that records only read events or excludes management
 * events), in the endpoint's Region and account.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  if (!(node instanceof ec2.CfnInstanceConnectEndpoint)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const endpoint = node;
  // A trail a condition may leave out cannot be counted on.
  return AppIndex.of(node).trails.some(t => alwaysExists(t) && logsWriteManagementEvents(t) && recordsRegionOf(t, endpoint))
    ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}, 'name', { value: parse(__filename).name });

/**
 * Whether a trail records events in the endpoint's Region and account. A trail that is not multi-Region (the
 * default) records only its own Region; a multi-Region trail records every Region of its partition. A trail records
 * its own account only, unless it is an organization trail. Where a stack's Region or account is not known at synth
 * (an environment-agnostic stack), it is taken to be the same.
 */
function recordsRegionOf(trail: cloudtrail.CfnTrail, endpoint: ec2.CfnInstanceConnectEndpoint): boolean {
  const here = Stack.of(trail);
  const there = Stack.of(endpoint);
  const known = (value: string) => !Token.isUnresolved(value);
  const differ = (a: string, b: string) => known(a) && known(b) && a !== b;
  if (differ(here.account, there.account) && here.resolve(trail.isOrganizationTrail) !== true) {
    return false;
  }
  // Multi-Region only when every deployment makes it so.
  if (branches(here.resolve(trail.isMultiRegionTrail)).every(v => v === true || v === 'true')) {
    const partition = (region: string) => (known(region) ? RegionInfo.get(region).partition : undefined);
    const [a, b] = [partition(here.region), partition(there.region)];
    return a === undefined || b === undefined || a === b;
  }
  return !differ(here.region, there.region);
}

function logsWriteManagementEvents(trail: cloudtrail.CfnTrail): boolean {
  const stack = Stack.of(trail);
  if (stack.resolve(trail.isLogging) === false) {
    return false;
  }
  const field = (o: Record<string, unknown>, name: string) => o[name] ?? o[name.charAt(0).toUpperCase() + name.slice(1)];
  const advanced = stack.resolve(trail.advancedEventSelectors) as Array<Record<string, unknown>> | undefined;
  if (advanced && advanced.length > 0) {
    // A selector of management events that does not keep read-only events alone.
    return advanced.some(selector => {
      const fields = (field(selector, 'fieldSelectors') as Array<Record<string, unknown>> | undefined) ?? [];
      const of = (name: string) => fields.find(f => field(f, 'field') === name);
      const category = of('eventCategory');
      const readOnly = of('readOnly');
      const isManagement = category !== undefined && ((field(category, 'equals') as unknown[] | undefined) ?? []).includes('Management');
      const readsOnly = readOnly !== undefined && (((field(readOnly, 'equals') as unknown[] | undefined) ?? []).map(String).includes('true') ||
        ((field(readOnly, 'notEquals') as unknown[] | undefined) ?? []).map(String).includes('false'));
      return isManagement && !readsOnly;
    });
  }
  const selectors = stack.resolve(trail.eventSelectors) as Array<Record<string, unknown>> | undefined;
  // Without selectors a trail logs all management events, read and write.
  return !selectors || selectors.length === 0 || selectors.some(s => field(s, 'includeManagementEvents') !== false &&
    field(s, 'readWriteType') !== 'ReadOnly');
}
