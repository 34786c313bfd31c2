/**
 * What the audit costs a month, counted from the synthesized templates with the prices of the cost model (us-east-1,
 * 2026): the README's cost table comes from these numbers, and this test fails if a default grows a cost-bearing
 * resource or starts paying for the account's unrelated activity.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { InstanceConnectAccess, InstanceConnectAuditTrail, InstanceConnectBaseline, InstanceConnectCentralAlerts } from '../../lib';
import { testStack, testVpc } from '../util';

const PRICE = {
  kmsKeyMonth: 1.0,
  alarmMonth: 0.10,
  customMetricMonth: 0.30,
  logsIngestedPerGb: 0.50,
  extraManagementCopyPer100k: 2.00,
};
/** The size CloudTrail gives a management event in CloudWatch Logs, and an EC2 Instance Connect record as EventBridge delivers it. */
const KB_PER_MANAGEMENT_EVENT = 1.5;
const KB_PER_CONNECT_EVENT = 2;

interface Activity {
  readonly managementEventsPerMonth: number;
  readonly connectEventsPerMonth: number;
  /** Whether an organisation trail already records the account (so a trail of the account's own is a second copy). */
  readonly organisationTrail: boolean;
}

function monthlyCost(stack: Stack, activity: Activity): { fixed: number; perActivity: number; total: number } {
  const t = Template.fromStack(stack).toJSON();
  const resources = Object.values<any>(t.Resources);
  const count = (type: string) => resources.filter(r => r.Type === type).length;
  const trails = resources.filter(r => r.Type === 'AWS::CloudTrail::Trail');
  const fixed = count('AWS::KMS::Key') * PRICE.kmsKeyMonth + count('AWS::CloudWatch::Alarm') * PRICE.alarmMonth +
    count('AWS::Logs::MetricFilter') * PRICE.customMetricMonth;
  // A trail sent to CloudWatch Logs ingests every management event of the account, not only EC2 Instance Connect's.
  const trailIngestion = trails.filter(tr => tr.Properties.CloudWatchLogsLogGroupArn).length *
    activity.managementEventsPerMonth * KB_PER_MANAGEMENT_EVENT / 1e6 * PRICE.logsIngestedPerGb;
  // The first copy of management events is free; a trail beside an organisation trail is a paid second copy.
  const secondCopy = activity.organisationTrail ? trails.length * activity.managementEventsPerMonth / 1e5 * PRICE.extraManagementCopyPer100k : 0;
  const eventLogs = resources.filter(r => r.Type === 'AWS::Events::Rule' && JSON.stringify(r.Properties.Targets ?? []).includes(':logs:')).length;
  const connectIngestion = eventLogs * activity.connectEventsPerMonth * KB_PER_CONNECT_EVENT / 1e6 * PRICE.logsIngestedPerGb;
  const perActivity = trailIngestion + secondCopy + connectIngestion;
  return { fixed: round(fixed), perActivity: round(perActivity), total: round(fixed + perActivity) };
}

const round = (n: number) => Math.round(n * 100) / 100;
const busy = (organisationTrail: boolean): Activity => ({ managementEventsPerMonth: 10_000_000, connectEventsPerMonth: 3_000, organisationTrail });

function access(createTrail: boolean) {
  const stack = testStack();
  new InstanceConnectAccess(stack, 'Access', { vpc: testVpc(stack), auditTrailProps: { createTrail } });
  return stack;
}

describe('the audit\'s monthly cost (the README\'s cost table)', () => {
  test('beside an organisation trail (createTrail: false), at 10 million management events a month: at most $1.50', () => {
    const cost = monthlyCost(access(false), busy(true));
    expect(cost).toEqual({ fixed: 1.30, perActivity: 0, total: 1.30 });
  });

  test('with its own trail and no organisation trail, at 10 million management events a month: at most $2.50', () => {
    const cost = monthlyCost(access(true), busy(false));
    expect(cost).toEqual({ fixed: 1.30, perActivity: 0, total: 1.30 });
  });

  test('what does not change with the account\'s activity: ten times the management events cost the same', () => {
    const stack = access(false);
    expect(monthlyCost(stack, { ...busy(true), managementEventsPerMonth: 100_000_000 })).toEqual(monthlyCost(stack, busy(true)));
  });

  test('its own trail beside an organisation trail is a paid second copy of every management event: the README says to use createTrail: false', () => {
    expect(monthlyCost(access(true), busy(true)).total).toBeCloseTo(201.30, 2);
  });

  test('one key, three alarms, no metric filter, no trail sent to CloudWatch Logs', () => {
    const stack = testStack();
    new InstanceConnectAuditTrail(stack, 'Audit');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    template.resourceCountIs('AWS::Logs::MetricFilter', 0);
    template.allResourcesProperties('AWS::CloudTrail::Trail', { CloudWatchLogsLogGroupArn: Match.absent() });
  });

  test('across an organisation: each account and Region of the StackSet nothing fixed, the security account $1.30, whatever the activity', () => {
    const app = new App();
    const baseline = new InstanceConnectBaseline(app, 'Baseline', { centralEventBusArn: 'arn:aws:events:eu-west-1:222222222222:event-bus/instance-connect' });
    const security = new Stack(app, 'Security', { env: { account: '222222222222', region: 'eu-west-1' } });
    new InstanceConnectCentralAlerts(security, 'Central', { organizationId: 'o-a1b2c3d4e5' });
    const standalone = new InstanceConnectBaseline(app, 'Standalone');
    const compliance = new InstanceConnectBaseline(app, 'Compliance', {
      centralEventBusArn: 'arn:aws:events:eu-west-1:222222222222:event-bus/instance-connect', localAudit: true,
    });
    // Forwarding is charged per event ($1.00 per million cross-account events): 3,000 connections a month, $0.003.
    const member = monthlyCost(baseline, busy(true));
    expect(member).toEqual({ fixed: 0, perActivity: 0, total: 0 });
    expect(member.fixed).toBeLessThanOrEqual(0.10);
    expect(monthlyCost(security, busy(true))).toEqual({ fixed: 1.30, perActivity: 0, total: 1.30 });
    expect(monthlyCost(standalone, busy(true))).toEqual({ fixed: 1.30, perActivity: 0, total: 1.30 });
    expect(monthlyCost(compliance, busy(true))).toEqual({ fixed: 1.30, perActivity: 0, total: 1.30 });
    expect(monthlyCost(baseline, { ...busy(true), managementEventsPerMonth: 100_000_000 })).toEqual(monthlyCost(baseline, busy(true)));
    const regions = 4;
    for (const accounts of [1, 50, 200]) {
      const central = round(accounts * regions * member.total + monthlyCost(security, busy(true)).total);
      const local = round(accounts * regions * monthlyCost(compliance, busy(true)).total + monthlyCost(security, busy(true)).total);
      // eslint-disable-next-line no-console
      console.log(`organisation cost: ${accounts} accounts x ${regions} Regions: $${central.toFixed(2)} a month fixed with central alerts; ` +
        `$${local.toFixed(2)} with localAudit in every account`);
    }
  });
});
