import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { Grants, resourcePatterns, RESOURCE_TYPE, allowsProbe } from './access-core';
import { Context, ContextValue, inRange } from './condition-match';
import { asArray, Statement } from './policy-statements';
import { renderString } from './template-values';
import { EC2_RESOURCE_TAG_PREFIX, INSTANCE_TAG_WRITE, RESOURCE_TAG_PREFIX, TAG_KEYS_KEY } from '../vocabulary';

/**
 * The questions the IAM rules ask of the semantic core, as probe requests: each names the keys it fixes, and every
 * other key is the caller's to choose.
 */

const TAG_PREFIXES = [RESOURCE_TAG_PREFIX, EC2_RESOURCE_TAG_PREFIX].map(p => p.toLowerCase());

/** The tag key a condition key reads (`aws:ResourceTag/Team` gives `team`), if it reads one. */
function resourceTagKey(key: string): string | undefined {
  const lower = key.toLowerCase();
  const prefix = TAG_PREFIXES.find(p => lower.startsWith(p));
  return prefix ? lower.slice(prefix.length) : undefined;
}

/** A tag value no template names. */
const UNNAMED_TAG_VALUE = 'eic-probe-value';

/**
 * How a probe's target is tagged: `absent`, nobody tagged it; `unnamed`, every tag key has a value nobody wrote;
 * `free`, whatever the statement asks for.
 */
export type Tagging = 'absent' | 'unnamed' | 'free';

/**
 * A context that fixes `fixed` (keys in any case), reads the target's tags as `tags` says, except the tag keys in
 * `writable`, which the caller can set, and leaves every other key to the caller.
 */
export function contextOf(fixed: Record<string, ContextValue>, tags: Tagging = 'free', writable: ReadonlySet<string> = new Set()): Context {
  const lower = new Map(Object.entries(fixed).map(([k, v]) => [k.toLowerCase(), v]));
  return key => {
    const given = lower.get(key);
    if (given !== undefined) {
      return given;
    }
    const tag = resourceTagKey(key);
    if (tag === undefined || writable.has(tag) || tags === 'free') {
      return 'free';
    }
    return tags === 'absent' ? 'absent' : value(UNNAMED_TAG_VALUE);
  };
}

/** One value for a key. */
export function value(...values: string[]): ContextValue {
  return { values };
}

/**
 * The tag keys a statement's conditions read on the target that someone holding it may also write on a target of
 * that type nobody tagged (`ec2:CreateTags` with `aws:TagKeys` naming the key, not denied): a tag its grantee can
 * set scopes nothing.
 */
export function writableTags(grants: Grants, statement: Statement, type: string): Set<string> {
  // The tag keys the grant's conditions read, and those its holders' denies read (a deny fence on a tag is no fence
  // if the grantee can write the tag).
  const fences = grants.heldStatements().flat().filter(s => s.Effect === 'Deny');
  const keys = new Set([statement, ...fences].flatMap(s => conditionKeys(s)).filter(k => resourceTagKey(k) !== undefined)
    .map(k => k.slice(k.indexOf('/') + 1)));
  const writable = new Set<string>();
  for (const key of keys) {
    // `aws:ResourceTag/<key>` matches a tag key in any letter case, so writing `name` meets a condition on `Name`.
    const spellings = [...new Set([key, key.toLowerCase(), key.toUpperCase()])];
    const writes = (target: string) => spellings.some(spelling => grants.heldStatements().some(held => allowsProbe(held, {
      action: INSTANCE_TAG_WRITE,
      resource: target,
      context: contextOf({ [TAG_KEYS_KEY]: value(spelling), 'ec2:CreateAction': 'absent' }, 'absent'),
    }, grants.scope)));
    if (grants.unnamedTargets('*', type).some(writes)) {
      writable.add(key.toLowerCase());
    }
  }
  return writable;
}

/** Whether the statement reaches some target of `action` it covers with a context from `contexts`. */
export function reachesAny(grants: Grants, statement: Statement, action: string, contexts: Context[], unnamedOnly = false): boolean {
  const type = RESOURCE_TYPE[action.toLowerCase()];
  return resourcePatterns(statement, grants.scope).some(pattern =>
    (unnamedOnly ? grants.unnamedTargets(pattern, type) : grants.targets(pattern, type)).some(resource =>
      contexts.some(context => grants.reaches(statement, { action, resource, context }))));
}

/**
 * The verdict of a rule that asks one question of every allow the resource holds for `actions`: not applicable
 * without such an allow, else non-compliant when any allow answers yes.
 */
export function verdict(node: CfnResource, actions: string[],
  question: (grants: Grants, statement: Statement, action: string) => boolean): NagRuleResult {
  const grants = Grants.of(node);
  const allows = grants.allowsOf(...actions);
  if (allows.length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return allows.some(s => actions.some(a => question(grants, s, a)))
    ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}

/** The values written for `key` (any case, any operator) in the statements. */
export function writtenValues(statements: readonly Statement[], key: string, grants: Grants): string[] {
  return statements.flatMap(s => Object.values((s.Condition ?? {}) as Record<string, Record<string, unknown>>)
    .flatMap(keys => Object.entries(keys ?? {}).filter(([k]) => k.toLowerCase() === key.toLowerCase())
      .flatMap(([, v]) => asArray(v).map(x => renderString(x, grants.scope)))));
}

/** A whole number to try for a numeric key, standing for `count` numbers a condition cannot tell apart. */
export interface Candidate {
  readonly value: number;
  readonly count: number;
}

/**
 * Whole numbers to try for a numeric key: each written bound, its neighbours, the ends of the domain, and one
 * number inside each gap between them, which stands for the whole gap: a numeric condition admits all or none of
 * a gap, so these decide it.
 */
export function numericCandidates(written: readonly string[], low: number, high: number): Candidate[] {
  const bounds = written.map(Number).filter(n => !isNaN(n)).flatMap(n => [Math.floor(n) - 1, Math.floor(n), Math.ceil(n), Math.ceil(n) + 1]);
  const points = [...new Set([low, high, ...bounds].filter(n => n >= low && n <= high))].sort((a, b) => a - b);
  const gaps = points.slice(1).flatMap((p, i) => (p - points[i] > 1 ? [{ value: points[i] + 1, count: p - points[i] - 1 }] : []));
  return [...points.map(n => ({ value: n, count: 1 })), ...gaps].sort((a, b) => a.value - b.value);
}

/** Addresses on the internet, in both families, to try for a source-address key. */
export const INTERNET_ADDRESSES = ['203.0.113.77', '198.51.100.77', '192.0.2.77', '8.8.8.8', '1.1.1.1', '52.94.76.1',
  '100.64.0.1', '172.217.0.1', '2001:db8::77', '2606:4700::1111', '2a00:1450::1'];

/** Private addresses, in both families, to try for the private-address key. */
export const PRIVATE_ADDRESSES = ['10.0.0.1', '10.255.255.254', '172.16.0.1', '172.31.255.254', '192.168.0.1',
  '192.168.255.254', '100.64.0.1', 'fd00::1', 'fdff:ffff::1'];

/** The candidates not inside any of `ranges` (each range that parses as an address or CIDR). */
export function outside(candidates: readonly string[], ranges: readonly string[]): string[] {
  return candidates.filter(c => !ranges.some(r => inRange(c, r)));
}

/** Every condition key a statement (or any branch of a deny written with `Fn::If`) reads. */
function conditionKeys(statement: Statement): string[] {
  if (statement.Variants !== undefined) {
    return statement.Variants.flatMap(conditionKeys);
  }
  return Object.values((statement.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap(k => Object.keys(k ?? {}));
}

/**
 * Whether the statement bounds a numeric or address key with a string pattern (`StringLike "2*"`): IAM then
 * compares the value as text, so the pattern admits values no list of numbers or networks can tell; it names none.
 */
export function boundByPattern(statement: Statement, key: string): boolean {
  return Object.entries((statement.Condition ?? {}) as Record<string, Record<string, unknown>>).some(([operator, keys]) =>
    /^(For(All|Any)Values:)?String(Not)?Like/i.test(operator) && Object.entries(keys ?? {})
      .some(([k, v]) => k.toLowerCase() === key.toLowerCase() && asArray(v).some(x => /[*?]/.test(String(x)))));
}

/** The IPv4 addresses just outside each range: a range's neighbours are the first addresses it leaves out. */
export function edges(ranges: readonly string[]): string[] {
  return ranges.filter(r => /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(r)).flatMap(r => {
    const [address, prefix] = r.split('/');
    const n = address.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
    const size = 2 ** (32 - Number(prefix ?? 32));
    const first = Math.floor(n / size) * size;
    return [first - 1, first + size].filter(x => x >= 0 && x < 2 ** 32)
      .map(x => [24, 16, 8, 0].map(shift => Math.floor(x / 2 ** shift) % 256).join('.'));
  });
}
