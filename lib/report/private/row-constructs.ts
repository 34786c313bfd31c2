import { Stack } from 'aws-cdk-lib';
import { compare, constructName, Subject } from './subjects';
import { AppIndex } from '../../private/semantics/app-index';
import { addressRange, isIpAddressOrCidr } from '../../private/validation';

/**
 * The constructs of the app that deploy-time values name: `<LogicalId>` and `<LogicalId.Attribute>` in the subject's
 * stack, and `<export>` of another stack's output.
 */
export function constructsNamed(subject: Subject, unknownValues: string[]): string[] {
  const index = AppIndex.of(subject.node);
  const named = new Set<string>();
  for (const unknown of unknownValues) {
    const name = unknown.slice(1, -1);
    const resource = index.resolveReference(subject.node, { 'Fn::ImportValue': name }) ??
      index.resolveReference(subject.node, { Ref: name.split('.')[0] });
    if (resource) named.add(constructName(resource));
  }
  return [...named].sort(compare);
}

/** The app's subnets whose literal range lies within one of the private address ranges a tunnel grant admits. */
export function subnetsWithin(subject: Subject, ranges: string[]): string[] {
  const within = ranges.filter(r => isIpAddressOrCidr(r)).map(addressRange);
  if (within.length === 0) {
    return [];
  }
  const found = new Set<string>();
  for (const subnet of AppIndex.of(subject.node).subnets) {
    const cidr = Stack.of(subnet).resolve(subnet.cidrBlock) as unknown;
    if (typeof cidr !== 'string' || !isIpAddressOrCidr(cidr)) continue;
    const s = addressRange(cidr);
    if (within.some(r => r.family === s.family && r.first <= s.first && s.last <= r.last)) {
      found.add(constructName(subnet));
    }
  }
  return [...found].sort(compare);
}
