import { Stack, Token } from 'aws-cdk-lib';
import { AccessRow, ANY } from './model';
import { constructsNamed, subnetsWithin } from './row-constructs';
import { compare, Subject } from './subjects';
import { taggedConstructs } from './tagged-targets';
import { allowsProbe, coversAction, Grants, Probe, probeScope, RESOURCE_TYPE } from '../../private/semantics/access-core';
import { AppIndex } from '../../private/semantics/app-index';
import { arnMatches, ProbeScope, UNKNOWN } from '../../private/semantics/arn-match';
import { ContextValue } from '../../private/semantics/condition-match';
import { asArray, Statement } from '../../private/semantics/policy-statements';
import { contextOf, INTERNET_ADDRESSES, numericCandidates, outside, PRIVATE_ADDRESSES, Tagging, value, writtenValues } from '../../private/semantics/probes';
import { renderString } from '../../private/semantics/template-values';
import { addressRange, isIpAddressOrCidr } from '../../private/validation';
import {
  CURRENT_TIME_KEY, DATA_PLANE_ACTIONS, EC2_RESOURCE_TAG_PREFIX, MAX_TUNNEL_DURATION_KEY, MAX_TUNNEL_DURATION_SECONDS,
  MFA_PRESENT_KEY, OPEN_TUNNEL, OS_USER_KEY, PRIVATE_IP_ADDRESS_KEY, REMOTE_PORT_KEY, RESOURCE_TAG_PREFIX, SOURCE_IP_KEY,
} from '../../private/vocabulary';

/** An OS user nobody names in a template. */
const UNNAMED_USER = 'eic-probe-user';
const FAR_PAST = '1970-01-02T00:00:00Z';
const FAR_FUTURE = '2999-01-01T00:00:00Z';
const NOUN: Record<string, string> = { 'instance': 'instance', 'instance-connect-endpoint': 'endpoint' };

/** One target to probe: how the report names it, and the requests (ARN, tagging) that stand for it. */
interface Target {
  readonly label: string;
  readonly probes: Array<{ readonly resource: string; readonly tags: Tagging }>;
  /** For a tag-scoped target: the label of its untagged twin, which makes it redundant when reached. */
  readonly unless?: string;
}

/**
 * The rows of one subject: for each data-plane action, each target it reaches, and for each target what IAM admits
 * along every dimension a reviewer asks about. Every answer is a probe request put to the semantic core, with the
 * keys the question does not fix left to the caller; nothing is read from the constructs that made the policy.
 */
export function rowsOf(subject: Subject): AccessRow[] {
  const grants = Grants.of(subject.node);
  const scope = probeScope(subject.node);
  const display = displayScope(subject);
  const allowed = (probe: Probe) => allowsProbe(subject.statements, probe, scope) &&
    (subject.boundary === undefined || allowsProbe(subject.boundary, probe, scope));
  const rows: AccessRow[] = [];
  for (const action of DATA_PLANE_ACTIONS) {
    const relevant = subject.statements.filter(s => s.Effect === 'Allow' && coversAction(s, action, scope));
    if (relevant.length === 0) {
      continue;
    }
    const reached = new Set<string>();
    for (const target of targetsOf(grants, relevant, action, scope, display)) {
      const probe = target.probes.find(p => allowed({ action, resource: p.resource, context: contextOf({}, p.tags) }));
      if (probe === undefined || (target.unless !== undefined && reached.has(target.unless))) {
        continue;
      }
      reached.add(target.label);
      const admits = (fixed: Record<string, ContextValue>) =>
        allowed({ action, resource: probe.resource, context: contextOf(fixed, probe.tags) });
      const reaching = relevant.filter(s => resourcesOf(s, scope).some(p => arnMatches(p, probe.resource)));
      const row = rowOf(action, target, reaching, [...subject.statements, ...(subject.boundary ?? [])], admits, grants);
      const tagged = target.unless === undefined ? []
        : taggedConstructs(AppIndex.of(subject.node), RESOURCE_TYPE[action.toLowerCase()],
          fixed => allowed({ action, resource: probe.resource, context: contextOf(fixed, 'absent') }));
      const constructs = [...new Set([...constructsNamed(subject, row.unknownAtSynth), ...subnetsWithin(subject, row.privateAddresses ?? []),
        ...tagged])].sort(compare);
      rows.push(constructs.length > 0 ? { ...row, constructs } : row);
    }
  }
  return rows.sort((a, b) => compare(a.action, b.action) || compare(a.target, b.target));
}

/** `all`: every statement in effect, boundary included, whose written values are worth probing. */
function rowOf(action: string, target: Target, reaching: Statement[], all: Statement[],
  admits: (fixed: Record<string, ContextValue>) => boolean, grants: Grants): AccessRow {
  const tunnel = action === OPEN_TUNNEL;
  const written = (key: string) => writtenValues(all, key, grants);
  const mfaRequired = !admits({ [MFA_PRESENT_KEY]: 'absent' }) && !admits({ [MFA_PRESENT_KEY]: value('false') });
  return {
    action,
    target: target.label,
    ...(tunnel ? { ports: portsAdmitted(written(REMOTE_PORT_KEY), admits) } : { osUsers: osUsersAdmitted(written(OS_USER_KEY), admits) }),
    sourceRanges: rangesAdmitted(SOURCE_IP_KEY, written(SOURCE_IP_KEY), INTERNET_ADDRESSES, admits, { 'aws:ViaAWSService': value('false') }),
    ...(tunnel ? {
      privateAddresses: rangesAdmitted(PRIVATE_IP_ADDRESS_KEY, written(PRIVATE_IP_ADDRESS_KEY), PRIVATE_ADDRESSES, admits),
      maxTunnelDuration: longestTunnel(written(MAX_TUNNEL_DURATION_KEY), admits),
    } : {}),
    mfaRequired,
    ...timeWindow(written(CURRENT_TIME_KEY), admits),
    unknownAtSynth: unknownsOf(reaching, grants.scope),
  };
}

/** The targets worth asking about: every ARN the statements name, and one of each kind nobody named. */
function targetsOf(grants: Grants, statements: Statement[], action: string, scope: ProbeScope, display: ProbeScope): Target[] {
  const type = RESOURCE_TYPE[action.toLowerCase()];
  const noun = NOUN[type];
  const everywhere = grants.unnamedTargets('*', type);
  const untagged: Target[] = [];
  const tagged: Target[] = [];
  for (const statement of statements) {
    const raw = statement.NotResource !== undefined ? ['*'] : asArray(statement.Resource);
    for (const r of raw) {
      const pattern = renderString(r, scope);
      if (!/[*?]/.test(pattern.replace(UNKNOWN, ''))) {
        const label = renderString(r, display);
        untagged.push({ label, probes: [{ resource: pattern.replace(UNKNOWN, '\u0000'), tags: 'free' }] });
        continue;
      }
      const unnamed = grants.unnamedTargets(pattern, type);
      const whole = everywhere.every(arn => arnMatches(pattern, arn));
      const within = whole ? '' : ` matching ${renderString(r, display)}`;
      const anyLabel = `any ${noun}${within}`;
      untagged.push({ label: anyLabel, probes: unnamed.flatMap(resource => [{ resource, tags: 'absent' as Tagging }, { resource, tags: 'unnamed' as Tagging }]) });
      tagged.push({ label: `${noun}s tagged ${tagsWritten(statement, scope)}${within}`, probes: unnamed.map(resource => ({ resource, tags: 'free' as Tagging })), unless: anyLabel });
    }
  }
  // Untagged targets first, so that a tag-scoped target reached untagged too is reported once, as untagged.
  return [...dedupe(untagged), ...dedupe(tagged)];
}

function dedupe(targets: Target[]): Target[] {
  const byLabel = new Map<string, Target>();
  for (const t of targets) {
    const seen = byLabel.get(t.label);
    byLabel.set(t.label, seen ? { ...seen, probes: [...seen.probes, ...t.probes] } : t);
  }
  return [...byLabel.values()];
}

/** `Team=web|api` for each resource-tag key the statement's conditions read. */
function tagsWritten(statement: Statement, scope: ProbeScope): string {
  const prefixes = [RESOURCE_TAG_PREFIX, EC2_RESOURCE_TAG_PREFIX].map(p => p.toLowerCase());
  const tags: string[] = [];
  for (const keys of Object.values((statement.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const [key, values] of Object.entries(keys ?? {})) {
      const prefix = prefixes.find(p => key.toLowerCase().startsWith(p));
      if (prefix) tags.push(`${key.slice(prefix.length)}=${asArray(values).map(v => renderString(v, scope)).sort(compare).join('|')}`);
    }
  }
  return tags.length === 0 ? '(a tag condition)' : [...new Set(tags)].sort(compare).join(', ');
}

function portsAdmitted(written: string[], admits: (fixed: Record<string, ContextValue>) => boolean): string[] {
  if (admits({ [REMOTE_PORT_KEY]: 'absent' })) {
    return [ANY];
  }
  const candidates = numericCandidates([...written, '22', '3389'], 1, 65535);
  const admitted = candidates.filter(c => admits({ [REMOTE_PORT_KEY]: value(String(c.value)) }));
  if (admitted.length === candidates.length) {
    return [ANY];
  }
  const named = new Set([...written, '22', '3389']);
  const labels = admitted.map(c => (c.count === 1 && named.has(String(c.value)) ? String(c.value) : 'other'));
  return sortPorts([...new Set([...labels, ...unknowns(written)])]);
}

function sortPorts(ports: string[]): string[] {
  const rank = (p: string) => (/^\d+$/.test(p) ? Number(p) : Infinity);
  return ports.sort((a, b) => rank(a) - rank(b) || compare(a, b));
}

function osUsersAdmitted(written: string[], admits: (fixed: Record<string, ContextValue>) => boolean): string[] {
  if (admits({ [OS_USER_KEY]: 'absent' }) || admits({ [OS_USER_KEY]: value(UNNAMED_USER) })) {
    return admits({ [OS_USER_KEY]: value('root') }) ? [ANY, 'root'] : [ANY];
  }
  const users = new Set<string>();
  for (const user of [...written, 'root']) {
    if (admits({ [OS_USER_KEY]: value(user.replace(UNKNOWN, '\u0000')) })) users.add(user);
  }
  return [...users].sort(compare);
}

/** The written ranges whose addresses are admitted, or `any` when an address outside all of them (or none) is. */
function rangesAdmitted(key: string, written: string[], probes: readonly string[],
  admits: (fixed: Record<string, ContextValue>) => boolean, fixed: Record<string, ContextValue> = {}): string[] {
  const ranges = written.filter(isIpAddressOrCidr);
  if (admits({ ...fixed, [key]: 'absent' }) || outside(probes, ranges).some(a => admits({ ...fixed, [key]: value(a) }))) {
    return [ANY];
  }
  const admitted = ranges.filter(r => admits({ ...fixed, [key]: value(r.split('/')[0]) }));
  if (coversAFamily(admitted)) {
    return [ANY];
  }
  return [...new Set([...admitted, ...unknowns(written)])].sort(compare);
}

/** Whether the ranges together hold every address of IPv4 or of IPv6 (`0.0.0.0/0`, or `0.0.0.0/1` and `128.0.0.0/1`). */
function coversAFamily(ranges: string[]): boolean {
  const known = ranges.map(addressRange);
  return ([4, 6] as const).some(family => {
    let next = 0n;
    for (const r of known.filter(k => k.family === family).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0))) {
      if (r.first > next) break;
      if (r.last + 1n > next) next = r.last + 1n;
    }
    return next === 2n ** BigInt(family === 4 ? 32 : 128);
  });
}

function longestTunnel(written: string[], admits: (fixed: Record<string, ContextValue>) => boolean): string {
  const over = String(MAX_TUNNEL_DURATION_SECONDS + 1);
  if (admits({ [MAX_TUNNEL_DURATION_KEY]: 'absent' }) || admits({ [MAX_TUNNEL_DURATION_KEY]: value(over) })) {
    return 'unbounded';
  }
  const admitted = numericCandidates([...written, String(MAX_TUNNEL_DURATION_SECONDS)], 1, MAX_TUNNEL_DURATION_SECONDS)
    .filter(c => admits({ [MAX_TUNNEL_DURATION_KEY]: value(String(c.value)) }));
  return String(Math.max(0, ...admitted.map(c => c.value + c.count - 1)));
}

/** The `aws:CurrentTime` bounds that bind: a far past or far future refused means a bound is written. */
function timeWindow(written: string[], admits: (fixed: Record<string, ContextValue>) => boolean): { validFrom?: string; validUntil?: string } {
  const at = (ms: number) => admits({ [CURRENT_TIME_KEY]: value(new Date(ms).toISOString()) });
  const times = written.map(w => Date.parse(w)).filter(t => !isNaN(t));
  const candidates = [...new Set(times.flatMap(t => [t - 1000, t, t + 1000]))].sort((a, b) => a - b).filter(at);
  const window: { validFrom?: string; validUntil?: string } = {};
  if (!admits({ [CURRENT_TIME_KEY]: value(FAR_PAST) })) {
    window.validFrom = candidates.length > 0 ? iso(candidates[0]) : 'never';
  }
  if (!admits({ [CURRENT_TIME_KEY]: value(FAR_FUTURE) })) {
    window.validUntil = candidates.length > 0 ? iso(candidates[candidates.length - 1]) : 'never';
  }
  return window;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function resourcesOf(statement: Statement, scope: ProbeScope): string[] {
  return statement.NotResource !== undefined ? ['*'] : asArray(statement.Resource).map(r => renderString(r, scope));
}

/** Every `<…>` value in the statements' resources and conditions: what only deployment decides. */
function unknownsOf(statements: Statement[], scope: ProbeScope): string[] {
  const values = statements.flatMap(s => [...resourcesOf(s, scope),
    ...Object.values((s.Condition ?? {}) as Record<string, Record<string, unknown>>)
      .flatMap(keys => Object.values(keys ?? {}).flatMap(v => asArray(v).map(x => renderString(x, scope))))]);
  return [...new Set(unknowns(values))].sort(compare);
}

function unknowns(values: string[]): string[] {
  return values.flatMap(v => v.match(UNKNOWN) ?? []);
}

/** The stack's own partition, Region and account as `${AWS::…}` when the template leaves them to deployment. */
function displayScope(subject: Subject): ProbeScope {
  const stack = Stack.of(subject.node);
  return {
    partition: '${AWS::Partition}',
    region: Token.isUnresolved(stack.region) ? '${AWS::Region}' : stack.region,
    account: Token.isUnresolved(stack.account) ? '${AWS::AccountId}' : stack.account,
    otherRegion: '',
  };
}
