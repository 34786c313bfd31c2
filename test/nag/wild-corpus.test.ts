import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { InstanceConnectChecks } from '../../lib';

/**
 * The checks on templates and policies nobody here wrote: the wild corpus in the repository's parent directory
 * (`../shared/wild-corpus`, each file's source and licence in its MANIFEST.md). Its files are read where they are and
 * never copied into the repository; without the directory (a fresh clone) the suite is skipped.
 *
 * Each file has an expectation derived from the MANIFEST's judgement and reason: the rules that must fire (what
 * the reason names), and the warnings a file may also get (real, but not what the MANIFEST judges). Any other
 * finding is a false positive; a rule that must fire and does not is a false negative. What the checks get wrong
 * today is listed in KNOWN_MISSES: the test fails on a problem not listed there, and on a listed one that is gone,
 * so the list shrinks as the checks learn.
 */
const WILD = path.resolve(__dirname, '../../../shared/wild-corpus');
const PRESENT = fs.existsSync(path.join(WILD, 'MANIFEST.md'));

/** The pack's error-level rules (docs/checks.md); the others are warnings. */
const ERRORS = new Set(['EIC1', 'EIC3', 'EIC4', 'EIC6', 'EIC7', 'EIC8', 'EIC9', 'EIC13']);

interface Expectation {
  /** The MANIFEST's judgement. */
  readonly judgement: 'FLAG' | 'fine';
  /** The rules the MANIFEST's reason names. */
  readonly must: string[];
  /** Findings the file may also get, each true of it though the MANIFEST does not name it. */
  readonly may: string[];
  /** Resources to include without parsing them into CDK types, because CDK rejects them as written (with why). */
  readonly dehydrated?: string[];
}

// Warnings a file may get:
// - EIC10: a data-plane grant without aws:SourceIp (the MANIFEST does not judge client networks);
// - EIC12: an endpoint template without a trail (the MANIFEST assumes an account-level trail).
const grant = (...must: string[]): Expectation => ({ judgement: must.length ? 'FLAG' : 'fine', must, may: ['EIC10'] });
const endpointTemplate = (...must: string[]): Expectation => ({ judgement: must.length ? 'FLAG' : 'fine', must, may: ['EIC12'] });

const EXPECTED: Record<string, Expectation> = {
  // The MANIFEST judges the endpoint's group to keep EC2's allow-all egress beside its standalone TCP 22 rule. It does
  // not: CloudFormation removes the allow-all rule when it adds a standalone egress rule (aws/aws-cdk#987, on which
  // aws-cdk-lib's own security groups rely), so the finding would be a false positive (test/nag/wild-verdicts.md).
  '01-open-constructs-integ-eice-stack.json': endpointTemplate(),
  // OpenTunnel on every endpoint in every Region (02, 28) or in one (03), no remotePort, privateIpAddress or duration.
  '02-ec2rdp-opentunnel-policy-all-regions.yaml': grant('EIC3', 'EIC4', 'EIC5', 'EIC14'),
  '03-ec2rdp-opentunnel-policy-single-region.yaml': grant('EIC3', 'EIC4', 'EIC5', 'EIC14'),
  // SendSSHPublicKey on "*" without ec2:osuser.
  '04-aws-managed-EC2InstanceConnect-policy.json': grant('EIC6', 'EIC7'),
  // The endpoint's service-linked-role policy: ENI actions only.
  '05-aws-managed-Ec2InstanceConnectEndpoint-slr-policy.json': { judgement: 'fine', must: [], may: [] },
  // Tight endpoint group (tcp/22 to the VPC); SSH otherwise from the endpoint group and a /32.
  '06-craa-webapp-vpc-eice-rds.yaml': endpointTemplate(),
  // The endpoint reuses the instances' group (SSH from AllowedCidrBlock, default 0.0.0.0/0; all egress), a public
  // instance beside the endpoint, SendSSHPublicKey on "*". It has its own trail.
  // Its trail has no IsLogging, which CloudFormation requires (CfnInclude rejects it, so it is read unparsed), and
  // exists only when a parameter says so: EIC12 is true of it.
  '07-recipe-ec2-instance-connect-ssh-eice.yaml': {
    judgement: 'FLAG',
    must: ['EIC1', 'EIC2', 'EIC7', 'EIC9', 'EIC11'],
    may: ['EIC10', 'EIC12'],
    dehydrated: ['EC2InstanceConnectCloudTrail'],
  },
  // No ec2:osuser. The Name tag scopes instance/*; the document grants no ec2:CreateTags, so whether EIC7 fires
  // depends on who else may retag (issue 21, family 7): tolerated either way.
  '08-proxy-ssm-sendsshpublickey-tag-scoped.json': { judgement: 'FLAG', must: ['EIC6'], may: ['EIC7', 'EIC10'] },
  // One instance (a Terraform interpolation), one OS user.
  '09-leapbeyond-sendsshpublickey-single-instance.json': grant(),
  // SendSSHPublicKey on "*" (any instance).
  '10-ec2ic-sendsshpublickey-any-instance.json': grant('EIC7'),
  // All-egress endpoint group, public-IP instance beside the endpoint. 11's instance role also allows "*" on "*"
  // (an AWS::IAM::Policy the MANIFEST does not mention): every IAM rule's finding on that role and policy is true.
  '11-cdk-code-server-integ-eice-public-subnet.json': {
    judgement: 'FLAG',
    must: ['EIC1', 'EIC11'],
    may: ['EIC12', 'EIC3', 'EIC4', 'EIC5', 'EIC6', 'EIC7', 'EIC8', 'EIC10', 'EIC14'],
  },
  '12-cdk-node-ec2-instance-integ-eice.json': endpointTemplate('EIC1', 'EIC11'),
  '13-cdk-preinstalled-al2023-integ-eice.json': endpointTemplate('EIC1', 'EIC11'),
  // The endpoint reuses the web group (inbound rules, all egress); the web instance is in the same public subnet.
  '14-synth-nonprofit-webapp-eice-public-subnet.json': endpointTemplate('EIC1', 'EIC2', 'EIC11'),
  // Upstream of 06: same tight endpoint group.
  '15-aosnote-dynamic-webapp-vpc-eice-rds.yaml': endpointTemplate(),
  // SendSSHPublicKey on "*" (16, 24 and 17 without ec2:osuser) or instance/* (18, 26).
  '16-jumphost-sendsshpublickey-any-instance.json': grant('EIC7'),
  '17-nulconaux-sendsshpublickey-all.json': grant('EIC6', 'EIC7'),
  '18-nulconaux-sendsshpublickey-wildcard-osuser.json': grant('EIC7'),
  // AWS documentation examples: one instance (19), every instance but one (20), ABAC on a tag (21), named instances
  // and OS user (22), tag-scoped without ec2:osuser (23).
  '19-awsdocs-serial-console-single-instance.json': grant(),
  '20-awsdocs-serial-console-all-but-one.json': grant('EIC7'),
  '21-awsdocs-serial-console-abac-tag.json': grant(),
  '22-awsdocs-eic-sendsshpublickey-instances-osuser.json': grant(),
  '23-awsdocs-eic-sendsshpublickey-tag-no-osuser.json': grant('EIC6'),
  '24-sshkit-sendsshpublickey-star.json': grant('EIC6', 'EIC7'),
  '25-sshkit-opentunnel-star.json': grant('EIC3', 'EIC4', 'EIC5', 'EIC14'),
  '26-aws-instance-connect-tool-sendsshpublickey-all-instances.json': grant('EIC6', 'EIC7'),
  '28-ec2rdp-rendered-opentunnel-policy.json': grant('EIC3', 'EIC4', 'EIC5', 'EIC14'),
  // FLAG for a reason no rule covers (AuthorizeSecurityGroupIngress on every group); nothing EIC to find.
  '29-sam-update-sg-eic-ip-ranges.yaml': { judgement: 'FLAG', must: [], may: [] },
  // Serial-console account settings only.
  '30-awsdocs-serial-console-account-management.json': { judgement: 'fine', must: [], may: [] },
};

/**
 * What the checks get wrong today, as `<file>: <rule> missed` (a false negative) or `<file>: <rule> unexpected`
 * (a false positive). Remove an entry when the checks get it right: the test fails while a listed entry is gone.
 */
const KNOWN_MISSES: string[] = [
  // SSH from the parameter AllowedCidrBlock, whose Default is 0.0.0.0/0: the rules do not read parameter defaults.
  '07-recipe-ec2-instance-connect-ssh-eice.yaml: EIC9 missed',
  // PublicInstance's subnet is the parameter PublicSubnetId (and the endpoint's VPC the parameter VpcId): whether it
  // is beside the endpoint with a public address is known only at deploy time, though its outputs read PublicIp.
  '07-recipe-ec2-instance-connect-ssh-eice.yaml: EIC11 missed',
];

/** A template for a wild file: templates as they are, policy documents in an AWS::IAM::ManagedPolicy. */
function templateFile(file: string, scratch: string): string {
  const full = path.join(WILD, file);
  if (!file.endsWith('.json')) {
    return full;
  }
  const content = JSON.parse(fs.readFileSync(full, 'utf8'));
  if (content.Resources) {
    return full;
  }
  // 04 and 05 are GetPolicyVersion answers: the document is under PolicyVersion.Document.
  const document = content.PolicyVersion?.Document ?? content;
  const wrapped = path.join(scratch, file);
  fs.writeFileSync(wrapped, JSON.stringify({ Resources: { Policy: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: document } } } }));
  return wrapped;
}

/** The findings of the checks on a wild file, as `<rule> <logical ID>`. */
function findings(file: string, scratch: string): string[] {
  const app = new App();
  const stack = new Stack(app, 'Wild', { env: { account: '111122223333', region: 'us-east-1' } });
  new CfnInclude(stack, 'T', { templateFile: templateFile(file, scratch), dehydratedResources: EXPECTED[file].dehydrated });
  const report = new InstanceConnectChecks(app).validateScope(app);
  return [...new Set(report.violations.flatMap(v => v.violatingResources.map(r =>
    `${v.ruleName.replace(/^InstanceConnect-/, '')} ${(r.constructPath ?? '').replace(/^Wild\/T\//, '')}`)))].sort();
}

/** The problems of a file's findings against its expectation. */
function problems(file: string, found: string[]): string[] {
  const expected = EXPECTED[file];
  const rules = new Set(found.map(f => f.split(' ')[0]));
  return [
    ...expected.must.filter(rule => !rules.has(rule)).map(rule => `${file}: ${rule} missed`),
    ...[...rules].filter(rule => !expected.must.includes(rule) && !expected.may.includes(rule)).map(rule => `${file}: ${rule} unexpected`),
  ].sort();
}

if (!PRESENT) {
  // eslint-disable-next-line no-console
  console.log(`wild corpus not found at ${WILD}: skipping the checks on it`);
}

(PRESENT ? describe : describe.skip)('the checks on the wild corpus', () => {
  const FILES = PRESENT ? fs.readdirSync(WILD).filter(f => f !== 'MANIFEST.md').sort() : [];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'wild-corpus-'));
  const seen = new Map<string, string[]>();

  afterAll(() => {
    fs.rmSync(scratch, { recursive: true, force: true });
    if (process.env.WILD_CORPUS_REPORT) {
      // The before/after numbers: every finding by file, then the false negatives and false positives.
      const all = [...seen].flatMap(([file, found]) => problems(file, found));
      // eslint-disable-next-line no-console
      console.log([
        ...[...seen].map(([file, found]) => `${file}\n${found.map(f => `  ${f}`).join('\n') || '  (none)'}`),
        `false negatives (a rule the MANIFEST's reason names, missed): ${all.filter(p => p.endsWith(' missed')).length}`,
        `false positives (a finding neither named nor true of the file): ${all.filter(p => p.endsWith(' unexpected')).length}`,
      ].join('\n'));
    }
  });

  test('every file has an expectation, every expectation a file, and every known miss a file', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(FILES);
    for (const miss of KNOWN_MISSES) {
      expect(FILES).toContain(miss.split(':')[0]);
    }
  });

  test('a file judged fine may get warnings only', () => {
    for (const [file, expected] of Object.entries(EXPECTED).filter(([, e]) => e.judgement === 'fine')) {
      expect({ file, must: expected.must, errors: expected.may.filter(rule => ERRORS.has(rule)) }).toEqual({ file, must: [], errors: [] });
    }
  });

  // (jest rejects an empty table, even in a skipped suite)
  test.each(FILES.length > 0 ? FILES : ['(none)'])('%s', file => {
    const found = findings(file, scratch);
    seen.set(file, found);
    const actual = problems(file, found);
    const known = KNOWN_MISSES.filter(m => m.startsWith(`${file}:`)).sort();
    // New problems fail the test, and so do known misses the checks no longer make.
    expect({ file, found, problems: actual }).toEqual({ file, found, problems: known });
  });
});
