import { CfnMapping, CfnResource, Stack, Token } from 'aws-cdk-lib';
import { ProbeScope } from './arn-match';

/**
 * CloudFormation values as IAM will see them once deployed: every branch of `Fn::If`, and strings rendered from
 * `Fn::Join` and `Fn::Sub` with the pseudo parameters of the stack. A value the template cannot tell (a parameter,
 * another resource's attribute, an import) is rendered as `<name>`, which `arn-match` treats as one unknown value.
 */

/** The largest number of variants a value's `Fn::If`s are expanded into; past it, the first ones are kept. */
const MAX_VARIANTS = 16;

/** What a value may be once deployed, one entry per combination of `Fn::If` branches; `conditional` when it took a branch. */
export interface Variant<T = unknown> {
  readonly value: T;
  readonly conditional: boolean;
}

const NO_VALUE = Symbol('AWS::NoValue');

/** Every value `value` may take: `Fn::If` gives each branch, and `AWS::NoValue` drops the property or list item. */
export function variantsOf(value: unknown): Variant[] {
  return expand(value).filter(v => v.value !== NO_VALUE);
}

function expand(value: unknown): Variant[] {
  if (Array.isArray(value)) {
    let acc: Variant<unknown[]>[] = [{ value: [], conditional: false }];
    for (const item of value) {
      acc = combine(acc, expand(item), (a, o) => (o === NO_VALUE ? a : [...a, o]));
    }
    return acc;
  }
  if (value === null || typeof value !== 'object') {
    return [{ value, conditional: false }];
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  if (keys.length === 1 && keys[0] === 'Fn::If' && Array.isArray(object['Fn::If'])) {
    const [, whenTrue, whenFalse] = object['Fn::If'] as unknown[];
    return [...expand(whenTrue), ...expand(whenFalse)].map(v => ({ value: v.value, conditional: true }));
  }
  if (keys.length === 1 && keys[0] === 'Ref' && object.Ref === 'AWS::NoValue') {
    return [{ value: NO_VALUE, conditional: false }];
  }
  let acc: Variant<Record<string, unknown>>[] = [{ value: {}, conditional: false }];
  for (const key of keys) {
    acc = combine(acc, expand(object[key]), (a, o) => (o === NO_VALUE ? a : { ...a, [key]: o }));
  }
  return acc;
}

/**
 * Every combination of what came before with the options of one more part; past `MAX_VARIANTS`, each option is
 * still paired with something, so no branch goes unread (though not every combination is).
 */
function combine<T>(acc: Variant<T>[], options: Variant[], join: (a: T, o: unknown) => T): Variant<T>[] {
  const pair = (a: Variant<T>, o: Variant): Variant<T> => ({ value: join(a.value, o.value), conditional: a.conditional || o.conditional });
  if (acc.length * options.length <= MAX_VARIANTS) {
    return acc.flatMap(a => options.map(o => pair(a, o)));
  }
  return Array.from({ length: Math.max(acc.length, options.length) }, (_, i) => pair(acc[i % acc.length], options[i % options.length]));
}

/** A value rendered as one string, with the stack's pseudo parameters filled in and anything else unknown as `<name>`. */
export function renderString(value: unknown, scope: ProbeScope): string {
  if (typeof value === 'string') {
    // A literal `${aws:username}` is an IAM policy variable: one value per caller, unknown here.
    return value.replace(/\$\{([^}]*)\}/g, '<$1>');
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (value === null || typeof value !== 'object') {
    return '<unknown>';
  }
  const node = value as Record<string, unknown>;
  if ('Fn::Join' in node && Array.isArray(node['Fn::Join'])) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown];
    return Array.isArray(items) ? items.map(i => renderString(i, scope)).join(String(delimiter)) : '<unknown>';
  }
  if ('Fn::Sub' in node) {
    const [template, variables] = Array.isArray(node['Fn::Sub']) ? node['Fn::Sub'] as [unknown, Record<string, unknown>?] : [node['Fn::Sub'], {}];
    if (typeof template !== 'string') {
      return '<unknown>';
    }
    return template.replace(/\$\{(!?)([^}]*)\}/g, (_, literal: string, name: string) => {
      if (literal) return `\${${name}}`;
      if (variables && name in variables) return renderString(variables[name], scope);
      return pseudo(name, scope) ?? `<${name}>`;
    });
  }
  if ('Fn::FindInMap' in node && Array.isArray(node['Fn::FindInMap'])) {
    const [map, top, second] = (node['Fn::FindInMap'] as unknown[]).map(k => renderString(k, scope));
    const found = scope.mappings?.[map]?.[top]?.[second];
    return found !== undefined ? renderString(found, scope) : '<unknown>';
  }
  if ('Ref' in node && typeof node.Ref === 'string') {
    return pseudo(node.Ref, scope) ?? `<${node.Ref}>`;
  }
  if ('Fn::GetAtt' in node) {
    const target = node['Fn::GetAtt'];
    return `<${Array.isArray(target) ? target.join('.') : String(target)}>`;
  }
  if (typeof node['Fn::ImportValue'] === 'string') {
    // Another stack's export, named so a reader (and the access review) can follow it.
    return `<${node['Fn::ImportValue']}>`;
  }
  return '<unknown>';
}

function pseudo(name: string, scope: ProbeScope): string | undefined {
  switch (name) {
    case 'AWS::Partition': return scope.partition;
    case 'AWS::Region': return scope.region;
    case 'AWS::AccountId': return scope.account;
    case 'AWS::URLSuffix': return 'amazonaws.com';
    default: return undefined;
  }
}

/** The partition, Region and account probes are built in (the stack's, where the template can tell them), and its mappings. */
export function probeScope(node: CfnResource): ProbeScope {
  const stack = Stack.of(node);
  let scope = SCOPES.get(stack);
  if (!scope) {
    scope = scopeOf(stack);
    SCOPES.set(stack, scope);
  }
  return scope;
}

/** One scope per stack: a stack's environment and mappings are fixed by the time it is validated. */
const SCOPES = new WeakMap<Stack, ProbeScope>();

function scopeOf(stack: Stack): ProbeScope {
  const mappings: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const mapping of stack.node.findAll().filter((c): c is CfnMapping => c instanceof CfnMapping)) {
    // The mapping as the template holds it: what `Fn::FindInMap` looks up.
    const rendered = stack.resolve((mapping as unknown as { _toCloudFormation(): unknown })._toCloudFormation()) as
      { Mappings?: Record<string, Record<string, Record<string, unknown>>> };
    Object.assign(mappings, rendered.Mappings ?? {});
  }
  return {
    partition: 'aws',
    region: Token.isUnresolved(stack.region) ? 'zz-home-1' : stack.region,
    account: Token.isUnresolved(stack.account) ? '000000000000' : stack.account,
    otherRegion: 'zz-other-1',
    mappings,
  };
}
