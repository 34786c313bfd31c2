import { arnMatches, ProbeScope, wildcardRegExp } from './arn-match';
import { renderString } from './template-values';
import { addressRange, isIpAddressOrCidr } from '../validation';

/**
 * What a probe request carries for one condition key:
 * - `values`: the request has the key, with these values;
 * - `absent`: the request does not have the key;
 * - `free`: whatever the caller chooses. An allow's condition on such a key is taken as met, and a deny's as not
 *   met, since the caller picks the value that gets them through.
 */
export type ContextValue = { readonly values: readonly string[] } | 'absent' | 'free';

/** A probe request's context: the value of each condition key (asked in lower case, as IAM compares key names). */
export type Context = (key: string) => ContextValue;

/** The operators that match when their positive twin does not, and so match a request without the key. */
const NEGATED = new Set(['stringnotequals', 'stringnotequalsignorecase', 'stringnotlike', 'numericnotequals', 'datenotequals',
  'notipaddress', 'arnnotequals', 'arnnotlike']);

/**
 * Whether a statement's `Condition` block holds for a request, as IAM evaluates it (IAM User Guide, "IAM JSON policy
 * elements: Condition operators" and "Condition keys with multiple values"): every operator and key must hold; a
 * missing key fails a condition except under `…IfExists`, `ForAllValues:`, `Null` and the negated operators.
 * An operator IAM does not define holds for an allow and not for a deny, so it never hides a grant.
 */
export function conditionHolds(condition: unknown, context: Context, effect: 'Allow' | 'Deny', scope: ProbeScope): boolean {
  if (condition === undefined || condition === null) {
    return true;
  }
  if (typeof condition !== 'object') {
    return effect === 'Allow';
  }
  for (const [operator, keys] of Object.entries(condition as Record<string, unknown>)) {
    if (keys === null || typeof keys !== 'object') {
      return effect === 'Allow';
    }
    for (const [key, policyValues] of Object.entries(keys as Record<string, unknown>)) {
      const values = (Array.isArray(policyValues) ? policyValues : [policyValues]).map(v => renderString(v, scope));
      if (!keyHolds(operator, context(key.toLowerCase()), values, effect)) {
        return false;
      }
    }
  }
  return true;
}

function keyHolds(operator: string, value: ContextValue, policyValues: string[], effect: 'Allow' | 'Deny'): boolean {
  if (value === 'free') {
    return effect === 'Allow';
  }
  const set = /^(ForAllValues|ForAnyValue):/i.exec(operator)?.[1]?.toLowerCase();
  const ifExists = /IfExists$/i.test(operator);
  const base = operator.replace(/^(ForAllValues|ForAnyValue):/i, '').replace(/IfExists$/i, '').toLowerCase();
  if (base === 'null') {
    const present = value !== 'absent' && value.values.length > 0;
    // Several values are alternatives, as for every operator: `["true", "false"]` admits any request.
    return policyValues.some(v => v.toLowerCase() === String(!present));
  }
  const test = operatorTest(base);
  if (!test) {
    return effect === 'Allow';
  }
  const negated = NEGATED.has(base);
  if (value === 'absent' || value.values.length === 0) {
    return ifExists || set === 'forallvalues' || (set === undefined && negated);
  }
  const matchesOne = (requestValue: string) => {
    const any = policyValues.some(p => test(p, requestValue));
    return negated ? !any : any;
  };
  return set === 'forallvalues' ? value.values.every(matchesOne) : value.values.some(matchesOne);
}

/** The positive test of an operator (the negated ones share their twin's), or undefined for one IAM does not define. */
function operatorTest(base: string): ((policyValue: string, requestValue: string) => boolean) | undefined {
  const number = (s: string) => (s.trim() === '' ? NaN : Number(s));
  const date = (s: string) => (/^\d+$/.test(s) ? Number(s) * 1000 : Date.parse(s));
  const compare = (parse: (s: string) => number, ok: (r: number, p: number) => boolean) =>
    (p: string, r: string) => !isNaN(parse(p)) && !isNaN(parse(r)) && ok(parse(r), parse(p));
  switch (base.replace(/^(string|numeric|date|arn)not/, '$1').replace(/^notipaddress$/, 'ipaddress')) {
    case 'stringequals': return (p, r) => p === r;
    case 'stringequalsignorecase': return (p, r) => p.toLowerCase() === r.toLowerCase();
    case 'stringlike': return (p, r) => wildcardRegExp(p).test(r);
    case 'numericequals': return compare(number, (r, p) => r === p);
    case 'numericlessthan': return compare(number, (r, p) => r < p);
    case 'numericlessthanequals': return compare(number, (r, p) => r <= p);
    case 'numericgreaterthan': return compare(number, (r, p) => r > p);
    case 'numericgreaterthanequals': return compare(number, (r, p) => r >= p);
    case 'dateequals': return compare(date, (r, p) => r === p);
    case 'datelessthan': return compare(date, (r, p) => r < p);
    case 'datelessthanequals': return compare(date, (r, p) => r <= p);
    case 'dategreaterthan': return compare(date, (r, p) => r > p);
    case 'dategreaterthanequals': return compare(date, (r, p) => r >= p);
    case 'bool': return (p, r) => p.toLowerCase() === r.toLowerCase();
    case 'binaryequals': return (p, r) => p === r;
    case 'ipaddress': return (p, r) => inRange(r, p);
    case 'arnequals':
    case 'arnlike': return (p, r) => arnMatches(p, r);
    default: return undefined;
  }
}

/** Whether `address` lies in `cidr` (same family). */
export function inRange(address: string, cidr: string): boolean {
  if (!isIpAddressOrCidr(address) || !isIpAddressOrCidr(cidr)) {
    return false;
  }
  const a = addressRange(address);
  const r = addressRange(cidr);
  return a.family === r.family && a.first >= r.first && a.last <= r.last;
}
