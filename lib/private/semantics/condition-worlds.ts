import { CfnResource, Stack, Token } from 'aws-cdk-lib';

/**
 * A choice of value for each template condition: one way the template can be deployed. CloudFormation evaluates
 * every condition once per deployment, so `Fn::If` on the same condition picks the same branch everywhere.
 */
export type World = ReadonlyMap<string, boolean>;

/** Past this many conditions, worlds are not enumerated one by one: every condition true, then every one false. */
const MAX_ENUMERATED = 6;

/** The condition names that `Fn::If` tests anywhere in a resolved value. */
export function conditionNames(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach(v => conditionNames(v, into));
  } else if (value !== null && typeof value === 'object') {
    const ifs = (value as Record<string, unknown>)['Fn::If'];
    if (Array.isArray(ifs) && typeof ifs[0] === 'string') {
      into.add(ifs[0]);
    }
    Object.values(value).forEach(v => conditionNames(v, into));
  }
  return into;
}

/** The name of the condition a resource is created under, if any. */
export function resourceCondition(resource: CfnResource): string | undefined {
  const condition = resource.cfnOptions.condition;
  return condition ? Stack.of(resource).resolve(condition.logicalId) as string : undefined;
}

/** Whether a resource exists in `world`. */
export function existsIn(resource: CfnResource, world: World): boolean {
  const name = resourceCondition(resource);
  return name === undefined || world.get(name) !== false;
}

/** Every world over `names` (one empty world when there are none). */
export function worlds(names: Iterable<string>): World[] {
  const list = [...new Set(names)].sort();
  if (list.length > MAX_ENUMERATED) {
    return [true, false].map(v => new Map(list.map(n => [n, v])));
  }
  // Each condition doubles the worlds: once with it true, once false.
  return list.reduce<World[]>((all, name) => all.flatMap(w => [true, false].map(v => new Map([...w, [name, v]]))), [new Map()]);
}

const NO_VALUE = Symbol('AWS::NoValue');

/**
 * A resolved value as deployed in `world`: each `Fn::If` replaced by the branch its condition picks, and
 * `AWS::NoValue` removed from lists and objects (or undefined where it is the whole value).
 */
export function inWorld(value: unknown, world: World): unknown {
  const picked = pick(value, world);
  return picked === NO_VALUE ? undefined : picked;
}

function pick(value: unknown, world: World): unknown {
  if (Array.isArray(value)) {
    return value.map(v => pick(v, world)).filter(v => v !== NO_VALUE);
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const o = value as Record<string, unknown>;
  if (o.Ref === 'AWS::NoValue') {
    return NO_VALUE;
  }
  const ifs = o['Fn::If'];
  if (Array.isArray(ifs) && ifs.length === 3 && typeof ifs[0] === 'string' && world.has(ifs[0])) {
    return pick(world.get(ifs[0]) ? ifs[1] : ifs[2], world);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    const p = pick(v, world);
    if (p !== NO_VALUE) out[k] = p;
  }
  return out;
}

/** Every value a resolved value can take across `Fn::If` branches (`AWS::NoValue` as undefined). */
export function branches(value: unknown): unknown[] {
  const o = value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  const ifs = o?.['Fn::If'];
  if (Array.isArray(ifs) && ifs.length === 3) {
    return [...branches(ifs[1]), ...branches(ifs[2])];
  }
  return [o?.Ref === 'AWS::NoValue' ? undefined : value];
}

/**
 * Whether a resource exists in every deployment: it has no condition, or its condition is true whatever the
 * parameters (anything a parameter decides may be false). A condition on the Region or account of a stack that
 * does not know them (a StackSet's template, say, with its trail in one home Region) is taken as met: the
 * template is deployed where it names.
 */
export function alwaysExists(resource: CfnResource): boolean {
  const condition = resource.cfnOptions.condition;
  return condition === undefined || decide(Stack.of(resource), Stack.of(resource).resolve(condition.expression)) === true;
}

/** A condition function's value, when the template alone decides it. */
function decide(stack: Stack, expression: unknown): boolean | undefined {
  if (typeof expression === 'boolean') return expression;
  if (expression === null || typeof expression !== 'object') return undefined;
  const e = expression as Record<string, unknown[]>;
  const all = (items: unknown[]) => items.map(i => decide(stack, i));
  if (Array.isArray(e['Fn::Not'])) {
    const v = decide(stack, e['Fn::Not'][0]);
    return v === undefined ? undefined : !v;
  }
  if (Array.isArray(e['Fn::And'])) {
    const v = all(e['Fn::And']);
    return v.includes(false) ? false : v.every(x => x === true) ? true : undefined;
  }
  if (Array.isArray(e['Fn::Or'])) {
    const v = all(e['Fn::Or']);
    return v.includes(true) ? true : v.every(x => x === false) ? false : undefined;
  }
  if (Array.isArray(e['Fn::Equals'])) {
    const [a, b] = e['Fn::Equals'].map(x => known(stack, x));
    if (a === ANYWHERE || b === ANYWHERE) return true;
    return a === undefined || b === undefined ? undefined : a === b;
  }
  return undefined;
}

/** A Region or account the stack does not know: it is wherever the template names. */
const ANYWHERE = Symbol('unknown pseudo parameter');

/** A literal, or a pseudo parameter of the stack (`AWS::Region`, `AWS::AccountId`). */
function known(stack: Stack, value: unknown): string | typeof ANYWHERE | undefined {
  if (typeof value === 'string') return value;
  const ref = (value as { Ref?: unknown } | null)?.Ref;
  const pseudo = ref === 'AWS::Region' ? stack.region : ref === 'AWS::AccountId' ? stack.account : undefined;
  if (pseudo === undefined) return undefined;
  return Token.isUnresolved(pseudo) ? ANYWHERE : pseudo;
}
