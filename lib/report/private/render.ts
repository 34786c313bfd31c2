import { AccessReport, AccessRow, NetworkPath, PrincipalAccess } from './model';
import { compare } from './subjects';

/** JSON with a fixed key order (the model's), two-space indented, ending in a newline. */
export function renderJson(report: AccessReport): string {
  const row = (r: AccessRow) => ordered(r, ['action', 'target', 'ports', 'osUsers', 'sourceRanges', 'privateAddresses',
    'maxTunnelDuration', 'mfaRequired', 'validFrom', 'validUntil', 'unknownAtSynth', 'constructs']);
  const principal = (p: PrincipalAccess) => ({ ...ordered(p, ['id', 'type', 'construct', 'name', 'unattached']), rows: p.rows.map(row) });
  const path = (n: NetworkPath) => ordered(n, ['endpoint', 'endpointConstruct', 'target', 'targetType', 'construct', 'ports', 'from', 'preserveClientIp',
    'unknownAtSynth']);
  return `${JSON.stringify({
    formatVersion: report.formatVersion,
    principals: report.principals.map(principal),
    networkPaths: report.networkPaths.map(path),
  }, null, 2)}\n`;
}

function ordered<T extends object>(value: T, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** The conditions of a cell, one `name: value` per line, as both the Markdown and the HTML show them. */
export function conditionLines(row: AccessRow): string[] {
  const lines: string[] = [];
  if (row.ports) lines.push(`ports: ${row.ports.join(', ')}`);
  if (row.osUsers) lines.push(`OS users: ${row.osUsers.join(', ')}`);
  lines.push(`source: ${row.sourceRanges.join(', ')}`);
  if (row.privateAddresses) lines.push(`private addresses: ${row.privateAddresses.join(', ')}`);
  if (row.maxTunnelDuration) lines.push(`max tunnel: ${seconds(row.maxTunnelDuration)}`);
  lines.push(`MFA: ${row.mfaRequired ? 'required' : 'not required'}`);
  if (row.validFrom || row.validUntil) lines.push(`window: ${row.validFrom ?? 'any time'} to ${row.validUntil ?? 'no end'}`);
  if (row.unknownAtSynth.length > 0) lines.push(`unknown at synth: ${row.unknownAtSynth.join(', ')}`);
  if (row.constructs) lines.push(`constructs: ${shortList(row.constructs)}`);
  return lines;
}

/** The constructs a tag reaches can be a fleet: the pages show the first ten, the JSON all of them. */
const SHOWN = 10;

export function shortList(values: string[]): string {
  return values.length <= SHOWN ? values.join(', ') : `${values.slice(0, SHOWN).join(', ')}, and ${values.length - SHOWN} more (all in the JSON)`;
}

/** A tunnel's longest duration as the pages show it: `3600 s`, or `unbounded`. */
function seconds(duration: string | undefined): string {
  return duration === undefined ? '' : duration === 'unbounded' ? duration : `${duration} s`;
}

/** The short name of a data-plane action. */
export function shortAction(action: string): string {
  return action.replace(/^ec2-instance-connect:/, '');
}

function principalTitle(p: PrincipalAccess): string {
  return `${p.id} (${p.type}${p.construct ? `, ${p.construct}` : ''}${p.name ? `, named ${p.name}` : ''}${p.unattached ? ', held by nobody in the app' : ''})`;
}

/** Markdown: one table per principal, a row per action and target. */
export function renderMarkdown(report: AccessReport): string {
  const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const out = ['# EC2 Instance Connect access review', ''];
  if (report.principals.length === 0) {
    out.push('No principal in these templates can use EC2 Instance Connect.', '');
  }
  for (const p of report.principals) {
    out.push(`## ${cell(principalTitle(p))}`, '', '| action | target | ports / OS users | source | private addresses | max tunnel | MFA | window | unknown at synth | constructs |',
      '|---|---|---|---|---|---|---|---|---|---|');
    for (const r of p.rows) {
      out.push(`| ${[shortAction(r.action), r.target, (r.ports ?? r.osUsers ?? []).join(', '), r.sourceRanges.join(', '),
        (r.privateAddresses ?? []).join(', '), seconds(r.maxTunnelDuration), r.mfaRequired ? 'required' : 'not required',
        r.validFrom || r.validUntil ? `${r.validFrom ?? 'any time'} to ${r.validUntil ?? 'no end'}` : '',
        r.unknownAtSynth.join(', '), shortList(r.constructs ?? [])].map(cell).join(' | ')} |`);
    }
    out.push('');
  }
  out.push('## Network paths', '');
  if (report.networkPaths.length === 0) {
    out.push('No target in these templates admits TCP from an EC2 Instance Connect Endpoint.', '');
  } else {
    out.push('| endpoint | target | construct | ports | admitted by | unknown at synth |', '|---|---|---|---|---|---|',
      ...report.networkPaths.map(n => `| ${[`${n.endpoint}${n.endpointConstruct ? ` (${n.endpointConstruct})` : ''}`, `${n.target} (${n.targetType})`, n.construct ?? '', n.ports.join(', '),
        n.from.join(', '), n.unknownAtSynth.join('; ')].map(cell).join(' | ')} |`), '');
  }
  return out.join('\n');
}

/** Whether a network path admits every port. */
export function isWidePath(path: NetworkPath): boolean {
  return path.ports.includes('any');
}

/** What a row admits that a reviewer should look at first: an unnamed target, any or root OS user, any port or source. */
export function wideReasons(row: AccessRow): string[] {
  return [
    ...(row.target.startsWith('any ') ? [row.target.split(' matching ')[0]] : []),
    ...((row.osUsers ?? []).includes('any') ? ['any OS user'] : []),
    ...((row.osUsers ?? []).includes('root') ? ['root'] : []),
    ...((row.ports ?? []).includes('any') ? ['any port'] : []),
    ...(row.sourceRanges.includes('any') ? ['any source'] : []),
  ];
}

export function isWide(row: AccessRow): boolean {
  return wideReasons(row).length > 0;
}

/** Escaped, with line-break opportunities after the separators of ARNs, paths and tags. */
function breakable(s: string): string {
  return escapeHtml(s).replace(/([:/,|=])/g, '$1<wbr>');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * One self-contained page: a principal × target matrix, each cell listing the actions allowed there with their
 * conditions. No scripts, no external assets, every text escaped.
 */
export function renderHtml(report: AccessReport): string {
  const targets = [...new Set(report.principals.flatMap(p => p.rows.map(r => r.target)))].sort(compare);
  const head = targets.map(t => `<th scope="col">${breakable(t)}</th>`).join('');
  const body = report.principals.map(p => {
    const cells = targets.map(t => {
      const rows = p.rows.filter(r => r.target === t);
      if (rows.length === 0) return '<td class="none">-</td>';
      const why = [...new Set(rows.flatMap(wideReasons))];
      return `<td${why.length > 0 ? ' class="wide"' : ''}>${why.length > 0 ? `<p class="why">shaded: ${escapeHtml(why.join(', '))}</p>` : ''}${rows.map(r => `<div class="grant"><b>${escapeHtml(shortAction(r.action))}</b><ul>${conditionLines(r)
        .map(l => `<li>${escapeHtml(l)}</li>`).join('')}</ul></div>`).join('')}</td>`;
    }).join('');
    return `<tr><th scope="row">${breakable(principalTitle(p))}</th>${cells}</tr>`;
  }).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>EC2 Instance Connect access review</title>
<style>
body{font:14px system-ui,sans-serif;margin:1.5em;color:#111}
table{border-collapse:collapse}
th,td{border:1px solid #999;padding:.4em;vertical-align:top;text-align:left}
thead th{background:#eee;max-width:16em;overflow-wrap:anywhere}
tbody th{background:#f6f6f6;max-width:20em;overflow-wrap:anywhere}
p.why{margin:0 0 .3em;font-style:italic}
td.none{color:#999;text-align:center}
td.wide{background:#fde8e8}
h2{margin-top:1.5em}
ul{margin:.2em 0 .4em 1.2em;padding:0}
</style>
</head>
<body>
<h1>EC2 Instance Connect access review</h1>
<p>Who can open tunnels and push keys, decided by evaluating the synthesized IAM policies. &quot;unknown at synth&quot; marks values only deployment decides. A shaded cell admits an unnamed target, any or root OS user, any port, or any source.</p>
${targets.length === 0 ? '<p>No principal in these templates can use EC2 Instance Connect.</p>' : `<table>
<thead><tr><th scope="col">principal</th>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>`}
<h2>Network paths</h2>
<p>Which targets admit which TCP ports from which endpoint: the endpoint's egress and the target's ingress rules, as EC2 applies them.</p>
${networkTable(report.networkPaths)}
</body>
</html>
`;
}

/** The target × endpoint matrix of the network side (a row per target: fleets have many), each cell the ports and what admits them. */
function networkTable(paths: NetworkPath[]): string {
  if (paths.length === 0) {
    return '<p>No target in these templates admits TCP from an EC2 Instance Connect Endpoint.</p>';
  }
  const endpoints = [...new Set(paths.map(n => n.endpoint))].sort(compare);
  const endpointTitles = new Map(paths.map(n => [n.endpoint, `${n.endpoint}${n.endpointConstruct ? ` (${n.endpointConstruct})` : ''}`]));
  const byTarget = new Map<string, NetworkPath[]>();
  for (const n of paths) byTarget.set(n.target, [...byTarget.get(n.target) ?? [], n]);
  const body = [...byTarget.keys()].sort(compare).map(t => {
    const reached = byTarget.get(t)!;
    const title = `${t} (${reached[0].targetType}${reached[0].construct ? `, ${reached[0].construct}` : ''})`;
    return `<tr><th scope="row">${breakable(title)}</th>${endpoints.map(e => {
      const n = reached.find(p => p.endpoint === e);
      if (!n) return '<td class="none">-</td>';
      const lines = [`ports: ${n.ports.join(', ')}`, `admitted by: ${n.from.join(', ')}`,
        ...(n.preserveClientIp ? ['client IP preserved'] : []), ...(n.unknownAtSynth.length > 0 ? [`unknown at synth: ${n.unknownAtSynth.join('; ')}`] : [])];
      return `<td${isWidePath(n) ? ' class="wide"' : ''}><ul>${lines.map(l => `<li>${escapeHtml(l)}</li>`).join('')}</ul></td>`;
    }).join('')}</tr>`;
  }).join('\n');
  return `<table class="network">
<thead><tr><th scope="col">target</th>${endpoints.map(e => `<th scope="col">${breakable(endpointTitles.get(e)!)}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody>
</table>`;
}
