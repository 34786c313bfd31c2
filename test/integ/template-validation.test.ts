import * as fs from 'fs';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { cleanUpIntegApps, INTEG_DIR, integAppFiles, synthIntegApp } from './integ-apps';
import { InstanceConnectAccess, InstanceConnectEndpoint } from '../../lib';
import { STRICT_VALIDATION } from '../util';

/*
 * Layer 3 of the verification (DESIGN.md §6): aws-cdk-lib's built-in CloudFormation validation in strict mode, and
 * the AWS Control Tower proactive controls (cfn-guard, @cdklabs/cdk-validator-cfnguard) on what the library
 * synthesizes and on each integration app. A finding on a library resource is fixed in the library; a finding on a
 * resource the test app or the test framework owns is documented here, with its reason.
 */

const GUARD = 'cdk-validator-cfnguard';

/** Findings on resources the library does not define. Each must still occur, or it is removed from this list. */
const DOCUMENTED_FINDINGS: Array<{ rule: string; template: RegExp; resource: RegExp; reason: string }> = [
  // The integration apps' test instance (integ/integ.*.ts), not the library's.
  {
    rule: 'ec2_instance_detailed_monitoring_enabled_check', // CT.EC2.PR.13
    template: /^InstanceConnect.*\.template\.json$/,
    resource: /^Instance[0-9A-F]{8}$/,
    reason: 'the test instance only has to accept an SSH connection; one-minute metrics cost money and test nothing here',
  },
  {
    rule: 'ec2_launch_template_monitoring_enabled_check', // CT.EC2.PR.10
    template: /^InstanceConnect.*\.template\.json$/,
    resource: /^InstanceLaunchTemplate[0-9A-F]{8}$/,
    reason: 'the launch template aws-cdk-lib adds to the test instance for requireImdsv2; same reason as the instance',
  },
  {
    rule: 'ec2_instance_nitro_encryption_in_transit_check', // CT.EC2.PR.19
    template: /^InstanceConnect.*\.template\.json$/,
    resource: /^Instance[0-9A-F]{8}$/,
    reason: 'a t3.micro keeps the test cheap; the SSH session through the endpoint is encrypted end to end anyway',
  },
  {
    rule: 'ec2_instance_no_public_ip_check', // CT.EC2.PR.8
    template: /^InstanceConnect.*\.template\.json$/,
    resource: /^Instance[0-9A-F]{8}$/,
    reason: 'the test instance is in an isolated subnet of a VPC without an internet gateway: it cannot get a public IP',
  },
  // Acknowledged by the library itself (raw templates carry no acknowledgements, so the file check sees it).
  {
    rule: 's3_bucket_logging_enabled_check', // CT.S3.PR.2
    template: /^InstanceConnectAccessInteg\.template\.json$/,
    resource: /^AccessAuditTrailAccessLogsBucket[0-9A-F]{8}$/,
    reason: 'the audit trail\'s server access log bucket: logging its own access would loop; the library acknowledges it on the bucket',
  },
  {
    rule: 's3_bucket_default_encryption_kms_check', // CT.S3.PR.10
    template: /^InstanceConnectAccessInteg\.template\.json$/,
    resource: /^AccessAuditTrailAccessLogsBucket[0-9A-F]{8}$/,
    reason: 'S3 server access log delivery documents SSE-S3 only for its destination bucket; the library acknowledges it on the bucket',
  },
  {
    rule: 'cloud_trail_cloud_watch_logs_enabled_check', // CT.CLOUDTRAIL.PR.3
    template: /^InstanceConnectAccessInteg\.template\.json$/,
    resource: /^AccessAuditTrail[0-9A-F]{8}$/,
    reason: 'the trail delivers to S3 only; sending every management event to CloudWatch Logs is a cost that grows with unrelated activity, ' +
      'and EC2 Instance Connect events reach CloudWatch Logs through EventBridge; the library acknowledges it on the trail',
  },
  // The assertion stack of @aws-cdk/integ-tests-alpha: its provider functions and its waiter state machine.
  {
    rule: 'lambda_inside_vpc_check', // CT.LAMBDA.PR.3
    template: /DeployAssert[0-9A-F]{8}\.template\.json$/,
    resource: /^SingletonFunction[0-9a-f]{32}Handler[0-9A-F]{8}$/,
    reason: 'integ-tests-alpha\'s assertion provider calls AWS APIs from outside any VPC; it is not configurable',
  },
  {
    rule: 'step_functions_state_machine_logging_enabled_check', // CT.STEPFUNCTIONS.PR.1
    template: /DeployAssert[0-9A-F]{8}\.template\.json$/,
    resource: /WaitFor[0-9A-F]{8}$/,
    reason: 'the waitForAssertions() poller of integ-tests-alpha; its state machine is not configurable',
  },
  {
    rule: 'step_functions_state_machine_tracing_enabled_check', // CT.STEPFUNCTIONS.PR.2
    template: /DeployAssert[0-9A-F]{8}\.template\.json$/,
    resource: /WaitFor[0-9A-F]{8}$/,
    reason: 'the waitForAssertions() poller of integ-tests-alpha; its state machine is not configurable',
  },
];

/** The acknowledgements a test-owned instance needs in an app that runs the guard plugin (see DOCUMENTED_FINDINGS). */
const TEST_INSTANCE_FINDINGS = [
  'ec2_instance_detailed_monitoring_enabled_check',
  'ec2_instance_nitro_encryption_in_transit_check',
  'ec2_instance_no_public_ip_check',
];

interface Finding {
  readonly rule: string;
  readonly template: string;
  readonly resource: string;
}

const findingsByApp = new Map<string, Finding[]>();

/** Runs the Control Tower rules over an integration app's templates (once per app). */
function guardFindings(file: string): Finding[] {
  const cached = findingsByApp.get(file);
  if (cached) {
    return cached;
  }
  const report = new CfnGuardValidator().validate({ templatePaths: synthIntegApp(file).templatePaths } as any);
  const findings = report.violations.flatMap(v => v.violatingResources.map(r => ({
    rule: v.ruleName,
    template: path.basename(r.templatePath),
    resource: r.resourceLogicalId,
  })));
  findingsByApp.set(file, findings);
  return findings;
}

function documented(finding: Finding) {
  return DOCUMENTED_FINDINGS.find(d => d.rule === finding.rule && d.template.test(finding.template) && d.resource.test(finding.resource));
}

/** A strict app that runs the Control Tower rules at synth, with the L3 in an isolated VPC. */
function guardedAccess() {
  const app = new App({ context: STRICT_VALIDATION });
  Validations.of(app).addPlugins(new CfnGuardValidator());
  const stack = new Stack(app, 'Test');
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  return { app, stack, vpc };
}

function testInstance(stack: Stack, vpc: ec2.IVpc): ec2.Instance {
  return new ec2.Instance(stack, 'Instance', {
    vpc,
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
    machineImage: ec2.MachineImage.latestAmazonLinux2023(),
  });
}

afterAll(cleanUpIntegApps);

describe('the library\'s output', () => {
  test('the L3 with its defaults passes strict CloudFormation validation and the Control Tower rules', () => {
    // GIVEN
    const { app, stack, vpc } = guardedAccess();

    // WHEN
    new InstanceConnectAccess(stack, 'Access', { vpc });

    // THEN
    expect(() => app.synth()).not.toThrow();
  });

  test('the L3 with a target and an operator role has findings only on the test\'s own instance', () => {
    // GIVEN
    const { app, stack, vpc } = guardedAccess();
    const instance = testInstance(stack, vpc);
    Validations.of(instance).acknowledge(...TEST_INSTANCE_FINDINGS.map(rule => ({
      id: `${GUARD}::${rule}`,
      reason: 'the test instance, not the library\'s: see DOCUMENTED_FINDINGS',
    })));

    // WHEN
    const access = new InstanceConnectAccess(stack, 'Access', { vpc, preserveClientIp: true });
    access.allowConnectionsTo(instance);
    access.allowConnectionsTo(instance, ec2.Port.tcp(3389));
    access.addOperatorRole('Operator', { instances: [instance], osUsers: ['ec2-user'], sourceIpRanges: ['203.0.113.0/24'] });

    // THEN
    expect(() => app.synth()).not.toThrow();
  });

  test('the L2 on its own passes strict CloudFormation validation and the Control Tower rules', () => {
    // GIVEN
    const { app, stack, vpc } = guardedAccess();

    // WHEN
    new InstanceConnectEndpoint(stack, 'Endpoint', { vpc });

    // THEN
    expect(() => app.synth()).not.toThrow();
  });
});

describe('the checks are live', () => {
  test('strict validation fails synthesis on an invalid endpoint property', () => {
    // GIVEN
    const { app, stack, vpc } = guardedAccess();
    const endpoint = new InstanceConnectEndpoint(stack, 'Endpoint', { vpc });

    // WHEN
    (endpoint.node.defaultChild as ec2.CfnInstanceConnectEndpoint).addPropertyOverride('PreserveClientIp', 'notabool');

    // THEN
    expect(() => app.synth()).toThrow(/PreserveClientIp: 'notabool' is not of type 'boolean'/);
  });

  test('the Control Tower rules fail synthesis on an unacknowledged finding', () => {
    // GIVEN
    const { app, stack, vpc } = guardedAccess();

    // WHEN
    testInstance(stack, vpc);

    // THEN
    expect(() => app.synth()).toThrow(/CT\.EC2\.PR\.13/);
  });
});

describe.each(integAppFiles())('%s', (file) => {
  test('turns on strict CloudFormation validation', () => {
    const source = fs.readFileSync(path.join(INTEG_DIR, file), 'utf-8');

    expect(source).toMatch(/new App\(\{ context: \{ '@aws-cdk\/core:validateAgainstDefaultRules': true \} \}\)/);
    // Synthesis under that context throws on an invalid template.
    expect(() => synthIntegApp(file)).not.toThrow();
  });

  test('has no Control Tower findings except the documented ones', () => {
    const undocumented = guardFindings(file).filter(f => !documented(f));

    expect(undocumented).toEqual([]);
  });
});

test('every documented finding still occurs', () => {
  const findings = integAppFiles().flatMap(guardFindings);

  const stale = DOCUMENTED_FINDINGS.filter(d => !findings.some(f => documented(f) === d)).map(d => d.rule);
  expect(stale).toEqual([]);
});
