import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { fleetApp, scratch } from './fixtures';
import { InstanceConnectAccessReport } from '../../lib';
import { buildAccessReport } from '../../lib/report/private/build';
import { accessReportOfTemplates, templatesUnder } from '../../lib/report/private/from-templates';
import { AccessReport } from '../../lib/report/private/model';
import { renderHtml, renderJson, renderMarkdown } from '../../lib/report/private/render';

const SEND_KEY = 'ec2-instance-connect:SendSSHPublicKey';
const OPEN_TUNNEL = 'ec2-instance-connect:OpenTunnel';

function principal(report: AccessReport, idPrefix: string) {
  const found = report.principals.find(p => p.id.startsWith(idPrefix));
  if (!found) throw new Error(`no principal ${idPrefix} in ${report.principals.map(p => p.id).join(', ')}`);
  return found;
}

describe('the access review', () => {
  const app = fleetApp(undefined, { overBroad: true, networkPorts: [22] });
  app.synth();
  const report = buildAccessReport(app);

  test('a hand-written over-broad key push shows as any instance, any OS user and root, from anywhere', () => {
    const row = principal(report, 'Fleet/HandWritten').rows.find(r => r.action === SEND_KEY)!;
    expect(row.target).toBe('any instance');
    expect(row.osUsers).toEqual(['any', 'root']);
    expect(row.sourceRanges).toEqual(['any']);
    expect(row.mfaRequired).toBe(false);
    expect(principal(report, 'Fleet/HandWritten').name).toBe('hand-written');
  });

  test('the library\'s operator role shows its named instance, user, port, network and the deploy-time unknowns', () => {
    const rows = principal(report, 'Fleet/AccessOnCall').rows;
    const push = rows.find(r => r.action === SEND_KEY)!;
    expect(push.target).toMatch(/:instance\/<Web[0-9A-F]+>$/);
    expect(push.osUsers).toEqual(['ec2-user']);
    expect(push.sourceRanges).toEqual(['203.0.113.0/24']);
    expect(push.unknownAtSynth).toEqual([expect.stringMatching(/^<Web[0-9A-F]+>$/)]);
    const tunnel = rows.find(r => r.action === OPEN_TUNNEL)!;
    expect(tunnel.target).toMatch(/:instance-connect-endpoint\/<AccessEndpoint[0-9A-F]+>$/);
    expect(tunnel.ports).toEqual(['22']);
    expect(tunnel.maxTunnelDuration).toBe('3600');
    expect(tunnel.privateAddresses).toEqual([expect.stringMatching(/^<Web[0-9A-F]+\.PrivateIp>$/)]);
    expect(principal(report, 'Fleet/AccessOnCall').construct).toBe('Fleet/Access/OnCall');
    // The deploy-time values name constructs of the app.
    expect(push.constructs).toEqual(['Fleet/Web']);
    expect(tunnel.constructs).toEqual(['Fleet/Access/Endpoint', 'Fleet/Web']);
    // The operator role carries an explicit deny of the control plane, never a data-plane action it should not have.
    expect(rows.map(r => r.action).sort()).toEqual([OPEN_TUNNEL, SEND_KEY]);
  });

  test('conditions written by hand are read by what they admit: MFA, a time window, tags, RDP and a wider port range', () => {
    const hand = new App();
    const stack = new Stack(hand, 'Hand', { env: { account: '111122223333', region: 'us-east-1' } });
    const policy = new iam.ManagedPolicy(stack, 'Loose', {
      statements: [
        new iam.PolicyStatement({
          actions: [SEND_KEY],
          resources: ['arn:aws:ec2:*:*:instance/*'],
          conditions: {
            StringEquals: { 'aws:ResourceTag/team': 'web', 'ec2:osuser': ['ubuntu', 'ec2-user'] },
            Bool: { 'aws:MultiFactorAuthPresent': 'true' },
            DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' },
          },
        }),
        new iam.PolicyStatement({
          actions: [OPEN_TUNNEL],
          resources: ['*'],
          conditions: { NumericLessThanEquals: { 'ec2-instance-connect:remotePort': '3389' } },
        }),
      ],
    });
    const loose = buildAccessReport(hand);
    const p = principal(loose, 'Hand/Loose');
    expect(p.unattached).toBe(true);
    const push = p.rows.find(r => r.action === SEND_KEY)!;
    expect(push.target).toBe('instances tagged team=web');
    expect(push.osUsers).toEqual(['ec2-user', 'ubuntu']);
    expect(push.mfaRequired).toBe(true);
    expect(push.validUntil).toBe('2026-12-31T23:59:59Z');
    expect(push.validFrom).toBeUndefined();
    const tunnel = p.rows.find(r => r.action === OPEN_TUNNEL)!;
    expect(tunnel.target).toBe('any endpoint');
    expect(tunnel.ports).toEqual(['22', '3389', 'other']);
    expect(tunnel.maxTunnelDuration).toBe('unbounded');
    expect(tunnel.privateAddresses).toEqual(['any']);
    // Attached to a role, the policy's row moves to the role.
    new iam.Role(stack, 'Holder', { assumedBy: new iam.AccountRootPrincipal(), managedPolicies: [policy] });
    const held = buildAccessReport(hand);
    expect(held.principals.map(x => x.id)).toEqual([expect.stringMatching(/^Hand\/Holder/)]);
    expect(held.principals[0].rows).toEqual(p.rows);
  });

  test('a deny, a group and a permissions boundary are weighed as IAM weighs them', () => {
    const hand = new App();
    const stack = new Stack(hand, 'Paths', { env: { account: '111122223333', region: 'us-east-1' } });
    const group = new iam.Group(stack, 'Ops');
    group.addToPolicy(new iam.PolicyStatement({ actions: [SEND_KEY], resources: ['*'] }));
    group.addToPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: [SEND_KEY], resources: ['*'], conditions: { StringEquals: { 'ec2:osuser': 'root' } } }));
    new iam.User(stack, 'Alice', { groups: [group] });
    const bounded = new iam.User(stack, 'Bob', {
      groups: [group],
      permissionsBoundary: new iam.ManagedPolicy(stack, 'Boundary', {
        statements: [new iam.PolicyStatement({ actions: [SEND_KEY], resources: ['*'], conditions: { StringEquals: { 'ec2:osuser': 'ubuntu' } } })],
      }),
    });
    const loose = buildAccessReport(hand);
    const users = (prefix: string) => principal(loose, prefix).rows.find(r => r.action === SEND_KEY)?.osUsers;
    expect(users('Paths/Ops')).toEqual(['any']);
    expect(users('Paths/Alice')).toEqual(['any']);
    expect(users(`Paths/${Stack.of(bounded).resolve((bounded.node.defaultChild as iam.CfnUser).logicalId)}`)).toEqual(['ubuntu']);
  });

  test('the templates give the same report as the construct tree', () => {
    const dir = scratch('same');
    const again = fleetApp(dir, { overBroad: true, networkPorts: [22] });
    const assembly = again.synth();
    expect(report.networkPaths).toHaveLength(1);
    expect(renderJson(accessReportOfTemplates(templatesUnder(assembly.directory)))).toBe(renderJson(report));
  });

  test('under the CDK CLI the report\'s own app never synthesizes itself into the user\'s assembly', () => {
    const dir = scratch('cli-env');
    const templates = templatesUnder(fleetApp(dir).synth().directory);
    const previous = process.env.CDK_OUTDIR;
    process.env.CDK_OUTDIR = dir;
    const before = process.listenerCount('beforeExit');
    try {
      accessReportOfTemplates(templates);
    } finally {
      if (previous === undefined) delete process.env.CDK_OUTDIR;
      else process.env.CDK_OUTDIR = previous;
    }
    expect(process.listenerCount('beforeExit')).toBe(before);
  });

  test('a template whose file name is no valid stack name is read, its rows named after the file', () => {
    const dir = scratch('odd-name');
    const source = templatesUnder(fleetApp(scratch('odd-source'), { overBroad: true }).synth().directory)[0];
    const odd = path.join(dir, '01-wild_one.template.json');
    fs.copyFileSync(source, odd);
    const ids = accessReportOfTemplates([odd]).principals.map(p => p.id.split('/')[0]);
    expect([...new Set(ids)]).toEqual(['01-wild_one']);
  });

  test('every format is byte-identical across two runs', () => {
    const second = buildAccessReport(Object.assign(fleetApp(undefined, { overBroad: true, networkPorts: [22] }), {}));
    for (const render of [renderJson, renderMarkdown, renderHtml]) {
      expect(render(second)).toBe(render(report));
    }
  });

  test('the HTML matrix and the JSON agree cell by cell', () => {
    const page = renderHtml(report);
    // The principal matrix; the network table has a test of its own.
    const html = page.split('<h2>Network paths</h2>')[0];
    const unescape = (s: string) => s.replace(/<wbr>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, '\'').replace(/&amp;/g, '&');
    const targets = [...html.match(/<thead>(.*?)<\/thead>/s)![1].matchAll(/<th scope="col">(.*?)<\/th>/g)].map(m => unescape(m[1])).slice(1);
    const cells = new Map<string, Map<string, string[]>>();
    for (const row of html.matchAll(/<tr><th scope="row">(.*?)<\/th>(.*?)<\/tr>/g)) {
      const id = unescape(row[1]).split(' ')[0];
      const tds = [...row[2].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map(m => m[1]);
      expect(tds).toHaveLength(targets.length);
      tds.forEach((td, i) => {
        const grants = [...td.matchAll(/<b>(.*?)<\/b><ul>(.*?)<\/ul>/g)];
        for (const g of grants) {
          const lines = [...g[2].matchAll(/<li>(.*?)<\/li>/g)].map(m => unescape(m[1]));
          cells.set(`${id} ${targets[i]} ${g[1]}`, new Map(lines.map(l => [l.split(': ')[0], l.slice(l.indexOf(': ') + 2).split(', ')])));
        }
      });
    }
    const json = JSON.parse(renderJson(report)) as AccessReport;
    const expected = json.principals.flatMap(p => p.rows.map(r => `${p.id} ${r.target} ${r.action.split(':')[1]}`));
    expect([...cells.keys()].sort()).toEqual(expected.sort());
    for (const p of json.principals) {
      for (const r of p.rows) {
        const cell = cells.get(`${p.id} ${r.target} ${r.action.split(':')[1]}`)!;
        expect(cell.get('source')).toEqual(r.sourceRanges);
        expect(cell.get('MFA')).toEqual([r.mfaRequired ? 'required' : 'not required']);
        if (r.ports) expect(cell.get('ports')).toEqual(r.ports);
        if (r.osUsers) expect(cell.get('OS users')).toEqual(r.osUsers);
        if (r.privateAddresses) expect(cell.get('private addresses')).toEqual(r.privateAddresses);
        if (r.unknownAtSynth.length > 0) expect(cell.get('unknown at synth')).toEqual(r.unknownAtSynth);
        if (r.constructs) expect(cell.get('constructs')).toEqual(r.constructs);
      }
    }
    expect(page).not.toMatch(/<script|<link|src=|href=/i);
    // The over-broad grant's cell is shaded; the named one's is not.
    expect(html).toMatch(/<td class="wide"><p class="why">shaded: any instance, any OS user, root, any source<\/p><div class="grant"><b>SendSSHPublicKey<\/b><ul><li>OS users: any, root/);
    expect(html).toMatch(/<td><div class="grant"><b>SendSSHPublicKey<\/b><ul><li>OS users: ec2-user/);
  });
});

describe('the validation plugin', () => {
  test('cdk synth writes the report next to the templates, and aws-cdk-lib accepts a plugin that writes new files', () => {
    const dir = scratch('plugin');
    const app = fleetApp(dir, { overBroad: true });
    Validations.of(app).addPlugins(new InstanceConnectAccessReport());
    const assembly = app.synth();
    for (const ext of ['json', 'md', 'html']) {
      expect(fs.existsSync(path.join(assembly.directory, `instance-connect-access-report.${ext}`))).toBe(true);
    }
    const written = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'instance-connect-access-report.json'), 'utf8')) as AccessReport;
    expect(principal(written, 'Fleet/HandWritten').rows[0].target).toBe('any instance');
  });

  test('its options choose the formats and the file name, and bad ones fail naming the value', () => {
    const dir = scratch('plugin-options');
    const app = fleetApp(dir);
    Validations.of(app).addPlugins(new InstanceConnectAccessReport({ formats: ['md'], fileName: 'review' }));
    const assembly = app.synth();
    expect(fs.readdirSync(assembly.directory).filter(f => f.startsWith('review') || f.startsWith('instance-connect'))).toEqual(['review.md']);
    expect(() => new InstanceConnectAccessReport({ formats: ['pdf'] })).toThrow(/formats.*"pdf"/);
    expect(() => new InstanceConnectAccessReport({ fileName: '../x' })).toThrow(/fileName.*"\.\.\/x"/);
  });
});
