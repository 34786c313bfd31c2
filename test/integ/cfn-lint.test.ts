/**
 * Deploy-time truth from a tool that encodes CloudFormation: cfn-lint on every kind of template the library makes
 * (the example app, the integration apps, the README's organisation example, and each StackSet's inline baseline
 * written to a file of its own), in a Region of each partition: commercial, AWS GovCloud (US) and China. Every error
 * and warning fails the test unless ALLOWED names it with its reason. Where cfn-lint is not installed, the test says
 * so and checks nothing.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { integAppFiles, synthIntegApp } from './integ-apps';
import {
  IdentityCenterPrincipal,
  InstanceConnectAuditTrail,
  InstanceConnectCentralAlerts,
  InstanceConnectGuardrails,
  InstanceConnectPermissionSet,
  InstanceConnectStackSet,
} from '../../lib';

const REGIONS = ['us-east-1', 'us-gov-west-1', 'cn-north-1'];

/** Findings accepted, by rule ID and template, with why. Keep this list short: fix the template where it can be fixed. */
const ALLOWED: Array<{ rule: string; template: RegExp; reason: string }> = [
  {
    rule: 'W3005',
    template: /DeployAssert/,
    reason: 'integ-tests-alpha\'s waitForAssertions makes its state machine depend on its role explicitly; the assertion stack is aws-cdk\'s',
  },
];

const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const available = cfnLint.status === 0;

/** The README's organisation example: the management account's stack and the security account's. */
function organisation(baseline: ConstructorParameters<typeof InstanceConnectStackSet>[2]['baseline']): Record<string, unknown> {
  const app = new App();
  const security = new Stack(app, 'Security', { env: { account: '222222222222', region: 'eu-west-1' } });
  new InstanceConnectCentralAlerts(security, 'Central', { organizationId: 'o-a1b2c3d4e5' });
  const management = new Stack(app, 'Management', { env: { account: '999988887777', region: 'eu-west-1' } });
  const operators = new InstanceConnectPermissionSet(management, 'Operators', {
    instanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef',
    name: 'InstanceConnect',
    osUsers: ['ec2-user'],
    instanceTagAttributes: { team: 'team' },
    sourceIpRanges: ['203.0.113.0/24'],
  });
  operators.assign(IdentityCenterPrincipal.group('0123456789-a1b2c3d4-0000-0000-0000-000000000000'), ['111122223333']);
  new InstanceConnectGuardrails(management, 'Guardrails', {
    targetIds: ['ou-ab12-cdefgh34'],
    connectPermissionSets: ['InstanceConnect'],
    accessTagKeys: ['team', 'instance-connect-access:endpoint'],
    deploymentRoles: ['arn:aws:iam::*:role/InstanceConnectDeployer'],
  });
  new InstanceConnectStackSet(management, 'InstanceConnect', {
    organizationalUnitIds: ['ou-ab12-cdef3456'],
    regions: ['eu-west-1', 'us-east-1'],
    baseline,
  });
  const managementTemplate = Template.fromStack(management).toJSON();
  const bodies = Object.values<any>(managementTemplate.Resources).filter(r => r.Type === 'AWS::CloudFormation::StackSet')
    .map(r => JSON.parse(r.Properties.TemplateBody));
  return {
    'security.json': Template.fromStack(security).toJSON(),
    'management.json': managementTemplate,
    ...Object.fromEntries(bodies.map((body, i) => [`baseline-${i}.json`, body])),
  };
}

/** The audit and the central alerts with their optional dashboard and saved queries, which no other template has. */
function investigations(): Record<string, unknown> {
  const app = new App();
  const account = new Stack(app, 'Audit');
  new InstanceConnectAuditTrail(account, 'Audit', { dashboard: true, investigationQueries: true });
  const security = new Stack(app, 'Security', { env: { account: '222222222222', region: 'eu-west-1' } });
  new InstanceConnectCentralAlerts(security, 'Central', { organizationId: 'o-a1b2c3d4e5', dashboard: true, investigationQueries: true });
  return { 'investigations-audit.json': Template.fromStack(account).toJSON(), 'investigations-central.json': Template.fromStack(security).toJSON() };
}

/** The example app (bin/app.ts), run in this process as `cdk synth` would. */
function exampleApp(): Record<string, unknown> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-app-'));
  const previous = process.env.CDK_OUTDIR;
  process.env.CDK_OUTDIR = outdir;
  try {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('../../bin/app');
    });
  } finally {
    if (previous === undefined) {
      delete process.env.CDK_OUTDIR;
    } else {
      process.env.CDK_OUTDIR = previous;
    }
  }
  const files = fs.readdirSync(outdir).filter(f => f.endsWith('.template.json'));
  return Object.fromEntries(files.map(f => [`example-${f}`, JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8'))]));
}

(available ? describe : describe.skip)('cfn-lint on every kind of template the library makes, in every partition', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-lint-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('no error or warning that ALLOWED does not name', () => {
    const templates: Record<string, unknown> = {
      ...exampleApp(),
      ...Object.fromEntries(integAppFiles().flatMap(file => Object.entries(synthIntegApp(file).templates).map(([name, t]) => [`${file}-${name}`, t]))),
      ...Object.fromEntries(Object.entries(organisation({ centralEventBusArn: 'arn:aws:events:eu-west-1:222222222222:event-bus/instance-connect' }))
        .map(([name, t]) => [`org-central-${name}`, t])),
      ...Object.fromEntries(Object.entries(organisation({ createTrail: true, trailHomeRegion: 'eu-west-1', targetPorts: [22, 3389] }))
        .map(([name, t]) => [`org-local-${name}`, t])),
      ...investigations(),
    };
    for (const [name, template] of Object.entries(templates)) {
      fs.writeFileSync(path.join(dir, name.replace(/[^A-Za-z0-9._-]/g, '_')), JSON.stringify(template, undefined, 1));
    }
    const files = fs.readdirSync(dir).map(f => path.join(dir, f));
    let output: string;
    try {
      output = execFileSync('cfn-lint', ['--format', 'json', '--regions', ...REGIONS, '--', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    } catch (error: any) {
      // cfn-lint exits non-zero when it finds anything; its findings are on stdout all the same.
      output = error.stdout;
    }
    const findings: any[] = JSON.parse(output || '[]');
    // eslint-disable-next-line no-console
    console.log(`cfn-lint ${cfnLint.stdout.trim()}: ${files.length} templates in ${REGIONS.join(', ')}: ${findings.length} findings`);
    const unexplained = findings
      .filter(f => ['Error', 'Warning'].includes(f.Level) && !ALLOWED.some(a => a.rule === f.Rule.Id && a.template.test(f.Filename)))
      .map(f => `${f.Rule.Id} ${path.basename(f.Filename)} ${f.Location?.Path?.join('/')}: ${f.Message}`);
    expect(unexplained).toEqual([]);
    expect(files.length).toBeGreaterThan(8);
  });
});

if (!available) {
  test('cfn-lint is not installed: its layer is skipped', () => {
    // eslint-disable-next-line no-console
    console.log('cfn-lint is not installed on this machine: the cfn-lint layer (test/integ/cfn-lint.test.ts) checked nothing');
  });
}
