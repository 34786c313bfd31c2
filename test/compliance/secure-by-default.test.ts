import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { InstanceConnectAccess, InstanceConnectCentralAlerts, InstanceConnectChecks, InstanceConnectStackSet } from '../../lib';
import { STRICT_VALIDATION, testInstance, testVpc } from '../util';

const PACKS: Array<new (scope?: any) => NagPack> = [
  AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, InstanceConnectChecks,
];

/** Every README scenario's use of the library, in one stack (concrete environment) or an env-agnostic one. */
function scenarios(stack: Stack): void {
  const vpc = testVpc(stack);
  const web = testInstance(stack, vpc, 'Web');
  const access = new InstanceConnectAccess(stack, 'Access', { vpc });
  access.allowConnectionsTo(web);
  access.allowConnectionsTo(web, ec2.Port.tcp(3389));
  access.addOperatorRole('OnCall', { instances: [web], osUsers: ['ec2-user'], sourceIpRanges: ['203.0.113.0/24'], maxTunnelDuration: Duration.minutes(30) });
  access.addOperatorRole('Tagged', { instanceTags: { team: 'web' }, osUsers: ['ec2-user'], sourceIpRanges: ['203.0.113.0/24'] });
  access.addOperatorRole('Corporate', { instances: [web], osUsers: ['ec2-user'], sourceIpRanges: ['198.51.100.0/24'], viaEndpoint: false });
  access.allowConnectionsFromNetwork(web, ['10.20.0.0/16']);
  access.grantConnect(iam.Role.fromRoleArn(stack, 'Sso', 'arn:aws:iam::111122223333:role/Ops'), {
    instanceIds: ['i-0123456789abcdef0'], osUsers: ['ec2-user'], sourceIpRanges: ['203.0.113.0/24'],
  });
}

/** Findings on the library's constructs; the test's own VPC and instances are not the library's to fix. */
function libraryFindings(pack: NagPack, app: App): string[] {
  return pack.validateScope(app).violations.flatMap(v => v.violatingResources
    .filter(r => /\/Access\//.test(r.constructPath ?? ''))
    .map(r => `${v.ruleName} on ${r.constructPath}`));
}

describe('the library\'s output has no open finding in AwsSolutions, HIPAA, NIST 800-53 rev 5, PCI DSS 3.2.1 and InstanceConnectChecks', () => {
  test.each([
    ['a concrete environment', { account: '111122223333', region: 'us-east-1' }],
    ['an environment-agnostic stack', undefined],
  ])('%s, through validateScope()', (_name, env) => {
    const app = new App({ context: STRICT_VALIDATION });
    scenarios(new Stack(app, 'Test', { env }));

    for (const Pack of PACKS) {
      expect(libraryFindings(new Pack(app), app)).toEqual([]);
    }
  });

  test('through app.synth() with the packs as validation plugins', () => {
    const app = new App({ context: STRICT_VALIDATION });
    const stack = new Stack(app, 'Test', { env: { account: '111122223333', region: 'us-east-1' } });
    scenarios(stack);
    // The test's own VPC and instances are not the library's: acknowledge their findings where they are.
    for (const Pack of PACKS) {
      for (const v of new Pack(app).validateScope(app).violations) {
        for (const r of v.violatingResources) {
          if (!/\/Access\//.test(r.constructPath ?? '')) {
            const construct = app.node.findAll().find(c => c.node.path === r.constructPath)!;
            construct.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [v.ruleName]: 'test fixture, not the library' });
          }
        }
      }
    }
    Validations.of(app).addPlugins(...PACKS.map(Pack => new Pack(app)));

    expect(() => app.synth()).not.toThrow();
  });

  test('a finding the library does not acknowledge still fails synthesis (the plugins are live)', () => {
    const app = new App({ context: STRICT_VALIDATION });
    const stack = new Stack(app, 'Test', { env: { account: '111122223333', region: 'us-east-1' } });
    new iam.ManagedPolicy(stack, 'Loose', { statements: [new iam.PolicyStatement({ actions: ['ec2:*'], resources: ['*'] })] });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5/);
  });
});

describe('the organisation\'s constructs have no open finding either', () => {
  test('the baseline (with a trail and forwarding), the StackSet and the central alerts, in every pack', () => {
    const app = new App({ context: STRICT_VALIDATION });
    const management = new Stack(app, 'Management', { env: { account: '999988887777', region: 'eu-west-1' } });
    const stackSet = new InstanceConnectStackSet(management, 'InstanceConnect', {
      organizationalUnitIds: ['ou-ab12-cdef3456'],
      regions: ['eu-west-1', 'us-east-1'],
      baseline: { createTrail: true, trailHomeRegion: 'eu-west-1', centralEventBusArn: 'arn:aws:events:eu-west-1:222222222222:event-bus/instance-connect' },
    });
    const security = new Stack(app, 'Security', { env: { account: '222222222222', region: 'eu-west-1' } });
    new InstanceConnectCentralAlerts(security, 'Central', { organizationId: 'o-a1b2c3d4e5' });
    Validations.of(stackSet.baseline).addPlugins(...PACKS.map(Pack => new Pack(stackSet.baseline)));
    Validations.of(app).addPlugins(...PACKS.map(Pack => new Pack(app)));

    expect(() => app.synth()).not.toThrow();
  });
});
