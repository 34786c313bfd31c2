/**
 * Attacks refused before anything deploys: grants AWS would refuse (Identity Center roles), the internet in pieces,
 * and code installed on instances without verification (an RPM that does not match its digest).
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { InstanceConnectAccess, InstanceConnectOsFamily, InstanceConnectPackage } from '../../lib';
import { testInstance, testStack, testVpc } from '../util';

function setup() {
  const stack = testStack();
  const vpc = testVpc(stack);
  const web = testInstance(stack, vpc, 'Web');
  const access = new InstanceConnectAccess(stack, 'Access', { vpc });
  access.allowConnectionsTo(web);
  return { stack, vpc, web, access };
}

describe('5. IAM Identity Center roles are never modified', () => {
  test.each([
    'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admins_0123456789abcdef',
    'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admins_0123456789abcdef',
    'arn:aws-us-gov:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admins_0123456789abcdef',
  ])('a grant to the Identity Center role %s is refused at synth', arn => {
    const { stack, web, access } = setup();
    expect(() => access.grantConnect(iam.Role.fromRoleArn(stack, 'Sso', arn), { instances: [web], osUsers: ['ec2-user'] }))
      .toThrow(/grantConnect grantee is an IAM Identity Center role, which only the service may change \(UnmodifiableEntity\)/);
    const attachedToSso = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))
      .filter((p: any) => JSON.stringify(p.Properties.Roles ?? []).includes('AWSReservedSSO'));
    expect(attachedToSso).toEqual([]);
  });

  test('a grant to an imported role whose ARN is a token warns that it cannot be checked', () => {
    const { stack, web, access } = setup();
    const role = iam.Role.fromRoleArn(stack, 'Imported', Token.asString({ 'Fn::ImportValue': 'OperatorsRoleArn' }));
    access.grantConnect(role, { instances: [web], osUsers: ['ec2-user'] });
    Annotations.fromStack(stack).hasWarning('/Test/Access', Match.stringLikeRegexp('imported role whose ARN is known only at deploy time'));
  });

  test('a grant to a role of yours, or one defined in the app, goes through', () => {
    const { stack, web, access } = setup();
    access.grantConnect(iam.Role.fromRoleArn(stack, 'Mine', 'arn:aws:iam::111122223333:role/Operators'), { instances: [web], osUsers: ['ec2-user'] });
    access.grantConnect(new iam.Role(stack, 'Defined', { assumedBy: new iam.AccountRootPrincipal() }), { instances: [web], osUsers: ['ec2-user'] });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('known only at deploy time'));
  });
});

describe('7. the whole internet in pieces', () => {
  test.each([
    [['0.0.0.0/1', '128.0.0.0/1']],
    [['0.0.0.0/2', '64.0.0.0/2', '128.0.0.0/2', '192.0.0.0/2']],
    [['10.0.0.0/8', '1.0.0.0/7']],
    [['::/1', '8000::/1']],
    [['2000::/3']],
  ])('network ingress from %j is refused like 0.0.0.0/0', ranges => {
    const { web, access } = setup();
    expect(() => access.allowConnectionsFromNetwork(web, ranges)).toThrow(/would open 22 to the internet/);
  });

  test('network ingress from every /8, one by one, is refused like 0.0.0.0/0', () => {
    const ranges = Array.from({ length: 256 }, (_, i) => `${i}.0.0.0/8`);
    const { web, access } = setup();
    expect(() => access.allowConnectionsFromNetwork(web, ranges)).toThrow(/would open 22 to the internet/);
  });

  test('a real on-premises network (10.0.0.0/8 and a /24) is accepted', () => {
    const { web, access } = setup();
    expect(() => access.allowConnectionsFromNetwork(web, ['10.0.0.0/8', '198.51.100.0/24'])).not.toThrow();
  });

  test('sourceIpRanges that add up to the internet warn as 0.0.0.0/0 does', () => {
    const { stack, web, access } = setup();
    access.addOperatorRole('Roaming', { instances: [web], osUsers: ['ec2-user'], sourceIpRanges: ['0.0.0.0/1', '128.0.0.0/1'] });
    Annotations.fromStack(stack).hasWarning('/Test/Access', Match.stringLikeRegexp('sourceIpRanges admits the internet, not a network'));
  });
});

describe('11. packages installed on instances are verified before they run', () => {
  const run = (rpmContent: string, declaredDigest: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eic-rpm-'));
    const source = path.join(dir, 'download.rpm');
    fs.writeFileSync(source, rpmContent);
    const commands = InstanceConnectPackage.installCommands(InstanceConnectOsFamily.RHEL_9, {
      rpms: [{ url: 'https://artifacts.example.com/ec2-instance-connect/2.0.0-5/ec2-instance-connect-2.0.0-5.rhel9.x86_64.rpm', sha256: declaredDigest }],
    }).map(c => c.split('/tmp/').join(`${dir}/`));
    // The user data as the instance runs it, with the network and the package manager stubbed out.
    const script = [`curl() { cp '${source}' "$5"; }`, 'yum() { echo "INSTALLED $*"; }', ...commands].join('\n');
    try {
      return { status: 0, output: execFileSync('bash', ['-c', script], { encoding: 'utf8', stdio: 'pipe' }) };
    } catch (e: any) {
      return { status: e.status as number, output: `${e.stdout}${e.stderr}` };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  const digest = (content: string) => createHash('sha256').update(content).digest('hex');

  test('an RPM swapped for another is not installed, and the user data stops', () => {
    const result = run('tampered package', digest('the package AWS published'));
    expect(result.status).toBe(1);
    expect(result.output).not.toContain('INSTALLED');
    expect(result.output).toContain('does not match its SHA-256');
  });

  test('the RPM that matches its digest is installed', () => {
    const result = run('the package AWS published', digest('the package AWS published'));
    expect(result.status).toBe(0);
    expect(result.output).toMatch(/INSTALLED install -y .*ec2-instance-connect-0\.rpm/);
  });

  test('a latest/ URL (whose content changes) or no digest at all is refused at synth', () => {
    expect(() => InstanceConnectPackage.installCommands(InstanceConnectOsFamily.RHEL_8)).toThrow(/needs options.rpms/);
    expect(() => InstanceConnectPackage.installCommands(InstanceConnectOsFamily.RHEL_8, {
      rpms: [{ url: 'https://amazon-ec2-instance-connect-us-west-2.s3.us-west-2.amazonaws.com/latest/linux_amd64/x.rpm', sha256: digest('x') }],
    })).toThrow(/not a latest\/ path/);
    expect(() => InstanceConnectPackage.installCommands(InstanceConnectOsFamily.RHEL_8, {
      rpms: [{ url: 'http://artifacts.example.com/x-1.0.rpm', sha256: digest('x') }],
    })).toThrow(/must be an https:\/\/ URL/);
  });
});
