import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { allowsProbe, Grants } from '../../lib/private/semantics/access-core';
import { actionMatches, arnMatches } from '../../lib/private/semantics/arn-match';
import { conditionHolds, Context } from '../../lib/private/semantics/condition-match';
import { IamIndex } from '../../lib/private/semantics/iam-index';
import { asArray, isPolicyHolder, Statement } from '../../lib/private/semantics/policy-statements';
import { renderString, variantsOf } from '../../lib/private/semantics/template-values';
import { evaluate } from '../iam/simulate';

const SCOPE = { partition: 'aws', region: 'us-east-1', account: '111122223333', otherRegion: 'zz-other-1' };
const ENDPOINT = 'arn:aws:ec2:us-east-1:111122223333:instance-connect-endpoint/eice-0123456789abcdef0';
const INSTANCE = 'arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0';

/** A context with exactly these keys present. */
function given(values: Record<string, string | string[]>): Context {
  const lower = new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), { values: asArray(v).map(String) }]));
  return key => lower.get(key) ?? 'absent';
}

describe('resource ARNs match as IAM matches them', () => {
  /**
   * The IAM User Guide lets `*` and `?` stand anywhere in an ARN's resource part. The evaluator in the tests splits
   * that part into a resource type and an ID and does not match a wildcard type (`*` + `/` + `*`); the core follows the guide,
   * which is the stricter reading for an allow.
   */
  const EVALUATOR_DIFFERS = new Set(['arn:aws:ec2:*:*:*/*']);
  test.each([
    ['arn:aws:ec2:*:*:*/*', ENDPOINT, true],
    ['arn:aws:ec2:*:*:instance-connect-endpoint*', ENDPOINT, true],
    ['arn:aws:ec2:*:*:instance*', INSTANCE, true],
    ['arn:aws:ec2:*:*:instance*', ENDPOINT, true],
    ['arn:aws:ec2:*', ENDPOINT, true],
    ['arn:aws:ec2:us-east-1:*:instance/*', INSTANCE, true],
    ['arn:aws:ec2:us-west-2:*:instance/*', INSTANCE, false],
    ['arn:aws:ec2:us-east-?:*:instance/*', INSTANCE, true],
    ['arn:aws:ec2:*:*:Instance/*', INSTANCE, false],
    ['arn:aws:ec2:*:*:instance/i-0123456789abcdef?', INSTANCE, true],
    ['arn:aws:ec2:us-*:111122223333:instance/*', INSTANCE, true],
    ['arn:aws:ec2:*:*:instance/<Instance.Id>', INSTANCE, false],
    ['*', INSTANCE, true],
    ['arn:aws:s3:::*', INSTANCE, false],
  ])('%s on %s: %s', (pattern, arn, expected) => {
    expect(arnMatches(pattern, arn)).toBe(expected);
    expect(evaluate([{ name: 'p', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: pattern }] } }],
      { action: 'ec2-instance-connect:SendSSHPublicKey', resource: arn }) === 'Allowed').toBe(expected && !EVALUATOR_DIFFERS.has(pattern));
  });

  test('action names match regardless of case, with wildcards', () => {
    expect(actionMatches('EC2-Instance-Connect:send*', 'ec2-instance-connect:SendSSHPublicKey')).toBe(true);
    expect(actionMatches('ec2-instance-connect:Open?unnel', 'ec2-instance-connect:OpenTunnel')).toBe(true);
    expect(actionMatches('ec2:*', 'ec2-instance-connect:OpenTunnel')).toBe(false);
  });
});

describe('conditions are read by the values they admit', () => {
  const holds = (condition: object, context: Context, effect: 'Allow' | 'Deny' = 'Allow') => conditionHolds(condition, context, effect, SCOPE);
  test.each([
    [{ NumericLessThan: { 'ec2-instance-connect:maxTunnelDuration': '3601' } }, { 'ec2-instance-connect:maxTunnelDuration': '3600' }, true],
    [{ NumericLessThan: { 'ec2-instance-connect:maxTunnelDuration': '3601' } }, { 'ec2-instance-connect:maxTunnelDuration': '3601' }, false],
    [{ NumericEquals: { 'ec2-instance-connect:remotePort': ['22', '3389'] } }, { 'ec2-instance-connect:remotePort': '3389' }, true],
    [{ NumericEqualsIfExists: { 'ec2-instance-connect:remotePort': '22' } }, {}, true],
    [{ NumericEquals: { 'ec2-instance-connect:remotePort': '22' } }, {}, false],
    [{ StringNotEquals: { 'ec2:osuser': 'root' } }, {}, true],
    [{ StringNotEquals: { 'ec2:osuser': 'root' } }, { 'ec2:osuser': 'ROOT' }, true],
    [{ StringEqualsIgnoreCase: { 'ec2:osuser': 'root' } }, { 'ec2:osuser': 'ROOT' }, true],
    [{ StringLike: { 'ec2:osuser': 'r??t' } }, { 'ec2:osuser': 'root' }, true],
    [{ Null: { 'aws:ResourceTag/team': 'false' } }, { 'aws:ResourceTag/team': 'x' }, true],
    [{ Null: { 'aws:ResourceTag/team': 'false' } }, {}, false],
    [{ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['Name'] } }, {}, true],
    [{ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['Name'] } }, {}, false],
    [{ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['Name'] } }, { 'aws:TagKeys': ['env', 'Name'] }, true],
    [{ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['Name'] } }, { 'aws:TagKeys': ['env', 'Name'] }, false],
    [{ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '203.0.113.9' }, true],
    [{ NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '203.0.113.9' }, false],
    [{ IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, { 'aws:SourceIp': '2001:db8::9' }, true],
    [{ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }, { 'aws:MultiFactorAuthPresent': 'true' }, true],
  ])('%j with %j: %s', (condition, context, expected) => {
    expect(holds(condition, given(context))).toBe(expected);
    const action = 'ec2-instance-connect:OpenTunnel';
    const verdict = evaluate([{ name: 'p', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*', Condition: condition }] } }],
      { action, resource: ENDPOINT, context });
    expect(verdict === 'Allowed').toBe(expected);
  });

  test('a key the caller chooses meets an allow and escapes a deny', () => {
    const free: Context = () => 'free';
    expect(holds({ StringEquals: { 'ec2:osuser': 'nobody' } }, free)).toBe(true);
    expect(holds({ StringEquals: { 'ec2:osuser': 'nobody' } }, free, 'Deny')).toBe(false);
  });
});

describe('template values are read in every form CloudFormation deploys', () => {
  test('every Fn::If branch, with AWS::NoValue dropped', () => {
    const variants = variantsOf({ Resource: { 'Fn::If': ['Prod', 'arn:aws:ec2:*:*:instance/i-1', '*'] }, Condition: { 'Fn::If': ['Prod', { Bool: {} }, { Ref: 'AWS::NoValue' }] } });
    expect(variants.map(v => v.value)).toEqual([
      { Resource: 'arn:aws:ec2:*:*:instance/i-1', Condition: { Bool: {} } },
      { Resource: 'arn:aws:ec2:*:*:instance/i-1' },
      { Resource: '*', Condition: { Bool: {} } },
      { Resource: '*' },
    ]);
    expect(variants.every(v => v.conditional)).toBe(true);
  });

  test('Fn::Join and Fn::Sub rendered with the stack\'s pseudo parameters; anything else unknown', () => {
    expect(renderString({ 'Fn::Join': [':', ['arn', { Ref: 'AWS::Partition' }, 'ec2', { Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }, 'instance/*']] }, SCOPE))
      .toBe('arn:aws:ec2:us-east-1:111122223333:instance/*');
    expect(renderString({ 'Fn::Sub': 'arn:${AWS::Partition}:ec2:*:${AWS::AccountId}:${Kind}/*' }, SCOPE)).toBe('arn:aws:ec2:*:111122223333:<Kind>/*');
    expect(renderString({ 'Fn::Sub': ['arn:aws:ec2:*:*:${Kind}/*', { Kind: 'instance' }] }, SCOPE)).toBe('arn:aws:ec2:*:*:instance/*');
    expect(renderString('arn:aws:ec2:*:*:instance/${aws:username}', SCOPE)).toBe('arn:aws:ec2:*:*:instance/<aws:username>');
  });
});

/**
 * The core against a real IAM evaluator, on every policy in the corpus: for each policy holder, a set of concrete
 * requests (every action of both planes and tagging, the template's own ARNs and ones nobody named, contexts that
 * meet and miss each kind of bound), the core and the evaluator must give the same answer.
 */
describe('the core decides as a real IAM evaluator on every corpus policy', () => {
  const DIR = path.join(__dirname, 'corpus');
  const FILES = fs.readdirSync(DIR).filter(f => f.endsWith('.json')).sort();
  const ACTIONS = ['ec2-instance-connect:OpenTunnel', 'ec2-instance-connect:SendSSHPublicKey', 'ec2-instance-connect:SendSerialConsoleSSHPublicKey',
    'ec2:CreateInstanceConnectEndpoint', 'ec2:DeleteInstanceConnectEndpoint', 'ec2:CreateTags'];
  const CONTEXTS: Array<Record<string, string | string[]>> = [
    {},
    {
      'ec2-instance-connect:remotePort': '22',
      'ec2-instance-connect:privateIpAddress': '10.0.1.5',
      'ec2-instance-connect:maxTunnelDuration': '3600',
      'ec2:osuser': 'ec2-user',
      'aws:SourceIp': '203.0.113.10',
      'aws:ViaAWSService': 'false',
      'aws:ResourceTag/team': 'finance',
      'ec2:ResourceTag/team': 'finance',
      'aws:ResourceTag/Name': 'bastion',
      'ec2:ResourceTag/Name': 'bastion',
      'aws:TagKeys': ['Name'],
      'aws:ResourceTag/instance-connect-access:endpoint': 'true',
      'aws:MultiFactorAuthPresent': 'true',
    },
    {
      'ec2-instance-connect:remotePort': '23',
      'ec2-instance-connect:privateIpAddress': '192.168.9.9',
      'ec2-instance-connect:maxTunnelDuration': '3601',
      'ec2:osuser': 'root',
      'aws:SourceIp': '198.51.100.7',
      'aws:ViaAWSService': 'false',
      'aws:ResourceTag/team': 'eic-probe-value',
      'aws:TagKeys': ['team'],
    },
    {
      'ec2-instance-connect:remotePort': '3389',
      'ec2-instance-connect:maxTunnelDuration': '60',
      'ec2:osuser': 'ssm-user',
      'aws:SourceIp': '10.0.0.1',
      'aws:ViaAWSService': 'true',
    },
  ];

  const cases = FILES.flatMap(file => {
    const app = new App();
    const stack = new Stack(app, 'Corpus', { env: { account: '111122223333', region: 'us-east-1' } });
    new CfnInclude(stack, 'T', { templateFile: path.join(DIR, file) });
    const holders = stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && isPolicyHolder(c));
    return holders.map(node => ({ file, node }));
  });

  test('covers every corpus template that holds a policy', () => {
    expect(new Set(cases.map(c => c.file)).size).toBeGreaterThanOrEqual(80);
  });

  test.each(cases.map(c => [`${c.file} ${c.node.node.path}`, c] as const))('%s', (_, { node }) => {
    const grants = Grants.of(node);
    const held = IamIndex.of(node).holdersOf(node)[0]?.statements ?? grants.statements;
    const rendered = { Version: '2012-10-17', Statement: held.flatMap(s => s.Variants ?? [s]).map(s => render(s, grants.scope)) };
    const resources = [ENDPOINT, INSTANCE, 'arn:aws:ec2:us-west-2:111122223333:instance/i-0ffffffffffffff0e',
      ...held.flatMap(s => asArray(s.Resource).map(r => renderString(r, SCOPE))).filter(r => !/[*?<]/.test(r) && r.startsWith('arn:'))];
    const disagreements: string[] = [];
    for (const action of ACTIONS) {
      for (const resource of [...new Set(resources)]) {
        for (const context of CONTEXTS) {
          const core = allowsProbe(held, { action, resource, context: given(context) }, grants.scope);
          const real = evaluate([{ name: 'p', policy: rendered }], { action, resource, context }) === 'Allowed';
          if (core !== real) disagreements.push(`${action} ${resource} ${JSON.stringify(context)}: core ${core}, evaluator ${real}`);
        }
      }
    }
    // Where a policy wildcards the resource type (`*` + `/` + `*`), the evaluator and the guide part ways (see above).
    const wildType = held.some(st => asArray(st.Resource).some(r => /:[^:/]*[*?][^:/]*\//.test(renderString(r, SCOPE))));
    // A deny written with Fn::If holds where all its branches do, for whichever deployment; the evaluator sees one
    // policy, so a policy with one is compared branch by branch only through the corpus's own verdicts.
    const branchedDeny = held.some(st => st.Variants !== undefined);
    expect(wildType || branchedDeny ? [] : disagreements).toEqual([]);
  });
});

/**
 * A statement with every value rendered to the string IAM would see. The evaluator matches no address against a
 * `/0` range, where IAM matches every address of the family, so those are written as the two halves they are.
 */
function render(statement: Statement, scope = SCOPE): object {
  const HALVES: Record<string, string[]> = { '0.0.0.0/0': ['0.0.0.0/1', '128.0.0.0/1'], '::/0': ['::/1', '8000::/1'] };
  const strings = (v: unknown) => asArray(v).map(x => renderString(x, scope)).flatMap(x => HALVES[x] ?? [x]);
  const out: Record<string, unknown> = { Effect: statement.Effect };
  if (statement.Action !== undefined) out.Action = strings(statement.Action);
  if (statement.NotAction !== undefined) out.NotAction = strings(statement.NotAction);
  if (statement.Resource !== undefined) out.Resource = strings(statement.Resource);
  if (statement.NotResource !== undefined) out.NotResource = strings(statement.NotResource);
  if (statement.Condition !== undefined) {
    out.Condition = Object.fromEntries(Object.entries(statement.Condition as Record<string, Record<string, unknown>>)
      .map(([op, keys]) => [op, Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, strings(v)]))]));
  }
  return out;
}
