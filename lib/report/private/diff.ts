import { AccessReport, AccessRow, ANY, NetworkPath } from './model';
import { parsePortLabels, portLabels } from './port-set';
import { shortAction } from './render';
import { compare } from './subjects';

/** One change between two reports, for one principal, action and target. */
export interface AccessChange {
  readonly principal: string;
  readonly action: string;
  readonly target: string;
  /** `gained` widens access; `lost` narrows it. */
  readonly kind: 'gained' | 'lost';
  readonly what: string;
}

/**
 * What changed between two reports. A row gains when a principal reaches a new target, a new port, OS user, source
 * range or private address, a longer tunnel, a longer window, or no longer needs MFA; it loses the reverse.
 */
export function diffReports(before: AccessReport, after: AccessReport): AccessChange[] {
  const index = (report: AccessReport) => new Map(report.principals.flatMap(p => p.rows.map(r => [`${p.id}\u0000${r.action}\u0000${r.target}`, { principal: p.id, row: r }] as const)));
  const old = index(before);
  const now = index(after);
  const changes: AccessChange[] = [];
  for (const key of [...new Set([...old.keys(), ...now.keys()])].sort(compare)) {
    const a = old.get(key);
    const b = now.get(key);
    const at = (b ?? a)!;
    const change = (kind: 'gained' | 'lost', what: string) =>
      changes.push({ principal: at.principal, action: at.row.action, target: at.row.target, kind, what });
    if (!a) {
      change('gained', 'new access');
    } else if (!b) {
      change('lost', 'access removed');
    } else {
      compareRows(a.row, b.row, change);
    }
  }
  changes.push(...diffNetworkPaths(before.networkPaths ?? [], after.networkPaths ?? []));
  return changes;
}

/** The action a network change is filed under: the endpoint stands where a principal would. */
export const NETWORK_PATH = 'network path';

/** Network paths gained or lost, and ports a path gained or lost. */
function diffNetworkPaths(before: NetworkPath[], after: NetworkPath[]): AccessChange[] {
  const key = (n: NetworkPath) => `${n.endpoint}\u0000${n.target}`;
  const old = new Map(before.map(n => [key(n), n]));
  const now = new Map(after.map(n => [key(n), n]));
  const changes: AccessChange[] = [];
  for (const k of [...new Set([...old.keys(), ...now.keys()])].sort(compare)) {
    const a = old.get(k);
    const b = now.get(k);
    const at = (b ?? a)!;
    const change = (kind: 'gained' | 'lost', what: string) =>
      changes.push({ principal: at.endpoint, action: NETWORK_PATH, target: at.target, kind, what });
    const aPorts = parsePortLabels(a?.ports ?? []);
    const bPorts = parsePortLabels(b?.ports ?? []);
    if (!a) {
      change('gained', `new path: ports ${b!.ports.join(', ')}`);
    } else if (!b) {
      change('lost', `path removed: ports ${a.ports.join(', ')}`);
    } else {
      const added = bPorts.minus(aPorts);
      const removed = aPorts.minus(bPorts);
      if (!added.isEmpty()) change('gained', `ports: + ${portLabels(added).join(', ')}`);
      if (!removed.isEmpty()) change('lost', `ports: - ${portLabels(removed).join(', ')}`);
    }
  }
  return changes;
}

function compareRows(a: AccessRow, b: AccessRow, change: (kind: 'gained' | 'lost', what: string) => void): void {
  for (const [name, x, y] of [['ports', a.ports, b.ports], ['OS users', a.osUsers, b.osUsers], ['source ranges', a.sourceRanges, b.sourceRanges],
    ['private addresses', a.privateAddresses, b.privateAddresses]] as Array<[string, string[] | undefined, string[] | undefined]>) {
    const before = x ?? [];
    const after = y ?? [];
    const added = before.includes(ANY) ? [] : after.filter(v => !before.includes(v));
    const removed = after.includes(ANY) ? [] : before.filter(v => !after.includes(v));
    if (added.length > 0) change('gained', `${name}: + ${added.join(', ')}`);
    if (removed.length > 0) change('lost', `${name}: - ${removed.join(', ')}`);
  }
  const seconds = (d: string | undefined) => (d === undefined ? 0 : d === 'unbounded' ? Infinity : Number(d));
  if (seconds(b.maxTunnelDuration) !== seconds(a.maxTunnelDuration)) {
    change(seconds(b.maxTunnelDuration) > seconds(a.maxTunnelDuration) ? 'gained' : 'lost', `max tunnel: ${a.maxTunnelDuration} to ${b.maxTunnelDuration}`);
  }
  if (a.mfaRequired !== b.mfaRequired) {
    change(a.mfaRequired ? 'gained' : 'lost', b.mfaRequired ? 'MFA now required' : 'MFA no longer required');
  }
  const time = (t: string | undefined, open: number) => (t === undefined ? open : t === 'never' ? -open : Date.parse(t));
  if (time(b.validUntil, Infinity) !== time(a.validUntil, Infinity)) {
    change(time(b.validUntil, Infinity) > time(a.validUntil, Infinity) ? 'gained' : 'lost', `valid until: ${a.validUntil ?? 'no end'} to ${b.validUntil ?? 'no end'}`);
  }
  if (time(b.validFrom, -Infinity) !== time(a.validFrom, -Infinity)) {
    change(time(b.validFrom, -Infinity) < time(a.validFrom, -Infinity) ? 'gained' : 'lost', `valid from: ${a.validFrom ?? 'any time'} to ${b.validFrom ?? 'any time'}`);
  }
}

/** The changes as Markdown for a pull request: gains first, since they are what a reviewer must approve. */
export function renderDiffMarkdown(changes: AccessChange[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const out = ['# EC2 Instance Connect access changes', ''];
  if (changes.length === 0) {
    return `${out.join('\n')}No change in who can use EC2 Instance Connect.\n`;
  }
  for (const [kind, title] of [['gained', 'Access gained (widened)'], ['lost', 'Access lost (narrowed)']] as const) {
    const rows = changes.filter(c => c.kind === kind);
    if (rows.length === 0) continue;
    out.push(`## ${title}`, '', '| principal or endpoint | action | target | change |', '|---|---|---|---|',
      ...rows.map(c => `| ${[c.principal, shortAction(c.action), c.target, c.what].map(cell).join(' | ')} |`), '');
  }
  return out.join('\n');
}
