import { CfnResource, Stack, TagManager } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { compare, constructName } from './subjects';
import { AppIndex } from '../../private/semantics/app-index';
import { ContextValue } from '../../private/semantics/condition-match';
import { field, NetworkIndex } from '../../private/semantics/network-index';
import { value } from '../../private/semantics/probes';
import { EC2_RESOURCE_TAG_PREFIX, RESOURCE_TAG_PREFIX } from '../../private/vocabulary';

/** Whether a request on the target, with these context keys fixed and every other tag absent, is allowed. */
export type TagProbe = (fixed: Record<string, ContextValue>) => boolean;

/**
 * The constructs of the app whose tags a tag-scoped grant admits: instances (their own tags, their launch template's
 * instance tags, their Auto Scaling group's propagated tags) or endpoints. Each is a probe with the resource's
 * literal tags and no other; a resource whose tags synth cannot read is not listed.
 */
export function taggedConstructs(index: AppIndex, type: string, admits: TagProbe): string[] {
  const found = new Set<string>();
  for (const [node, tags] of taggedResources(index, type)) {
    const fixed: Record<string, ContextValue> = {};
    for (const [key, v] of Object.entries(tags)) {
      fixed[`${RESOURCE_TAG_PREFIX}${key}`] = value(v);
      fixed[`${EC2_RESOURCE_TAG_PREFIX}${key}`] = value(v);
    }
    if (Object.keys(tags).length > 0 && admits(fixed)) {
      found.add(constructName(node));
    }
  }
  return [...found].sort(compare);
}

function taggedResources(index: AppIndex, type: string): Array<[CfnResource, Record<string, string>]> {
  if (type === 'instance-connect-endpoint') {
    return index.endpoints.map(e => [e, tagsOf(e, TagManager.of(e)?.renderTags())]);
  }
  if (type !== 'instance') {
    return [];
  }
  const instances: Array<[CfnResource, Record<string, string>]> = index.instances.map(i => [i, {
    ...launchTemplateTags(index, i, i.launchTemplate),
    ...tagsOf(i, TagManager.of(i)?.renderTags()),
  }]);
  const groups: Array<[CfnResource, Record<string, string>]> = index.autoScalingGroups.map(g => [g, {
    ...launchTemplateTags(index, g, g.launchTemplate),
    ...tagsOf(g, (Stack.of(g).resolve(TagManager.of(g)?.renderTags()) as unknown[] | undefined ?? [])
      .filter(t => String(field(t as Record<string, unknown>, 'propagateAtLaunch')) === 'true')),
  }]);
  return [...instances, ...groups];
}

/** The instance tags of a launch template the app defines (its `TagSpecifications` for `instance`). */
function launchTemplateTags(index: AppIndex, node: CfnResource, spec: unknown): Record<string, string> {
  const resolved = Stack.of(node).resolve(spec) as Record<string, unknown> | undefined;
  // By ID, or by a literal name, as the network side finds a launch template.
  const template = resolved ? NetworkIndex.of(index).launchTemplateOf(node, resolved) : undefined;
  if (!(template instanceof ec2.CfnLaunchTemplate)) {
    return {};
  }
  const data = Stack.of(template).resolve(template.launchTemplateData) as Record<string, unknown> | undefined;
  const specs = field(data, 'tagSpecifications');
  return Object.assign({}, ...(Array.isArray(specs) ? specs : [])
    .filter(s => field(s as Record<string, unknown>, 'resourceType') === 'instance')
    .map(s => tagsOf(template, field(s as Record<string, unknown>, 'tags'))));
}

/** Literal `{ Key, Value }` tags as a record; a tag with a value synth cannot read is left out. */
function tagsOf(node: CfnResource, tags: unknown): Record<string, string> {
  const resolved = Stack.of(node).resolve(tags) as unknown;
  const out: Record<string, string> = {};
  for (const tag of Array.isArray(resolved) ? resolved as Array<Record<string, unknown>> : []) {
    const key = field(tag, 'key');
    const v = field(tag, 'value');
    if (typeof key === 'string' && typeof v === 'string') out[key] = v;
  }
  return out;
}
