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
  /** A dashboard beyond the three each account has free. */
  dashboardMonth: 3.00,
  logsInsightsPerGbScanned: 0.005,
};
const FREE_DASHBOARDS = 3;
/** The size CloudTrail gives a management event in CloudWatch Logs, and an EC2 Instance Connect record as EventBridge delivers it. */
const KB_PER_MANAGEMENT_EVENT = 1.5;
const KB_PER_CONNECT_EVENT = 2;
const HOURS_PER_MONTH = 730;

interface Activity {
  readonly managementEventsPerMonth: number;
  readonly connectEventsPerMonth: number;
  /** Whether an organisation trail already records the account (so a trail of the account's own is a second copy). */
  readonly organisationTrail: boolean;
  /** Dashboards the account has besides the library's (the first three of an account are free). */
  readonly otherDashboards?: number;
  /** How often a month the dashboard's widgets are refreshed, and over how many hours of the log each refresh runs. */
  readonly dashboardRefreshesPerMonth?: number;
  readonly dashboardWindowHours?: number;
}

function monthlyCost(stack: Stack, activity: Activity): { fixed: number; perActivity: number; total: number } {
  const t = Template.fromStack(stack).toJSON();
  const resources = Object.values<any>(t.Resources);
  const count = (type: string) => resources.filter(r => r.Type === type).length;
  const trails = resources.filter(r => r.Type === 'AWS::CloudTrail::Trail');
  const dashboards = resources.filter(r => r.Type === 'AWS::CloudWatch::Dashboard');
  const otherDashboards = activity.otherDashboards ?? 0;
  const paidDashboards = Math.max(0, dashboards.length + otherDashboards - FREE_DASHBOARDS) - Math.max(0, otherDashboards - FREE_DASHBOARDS);
  // Saved queries (AWS::Logs::QueryDefinition) cost nothing until someone runs one.
  const fixed = count('AWS::KMS::Key') * PRICE.kmsKeyMonth + count('AWS::CloudWatch::Alarm') * PRICE.alarmMonth +
    count('AWS::Logs::MetricFilter') * PRICE.customMetricMonth + paidDashboards * PRICE.dashboardMonth;
  // A trail sent to CloudWatch Logs ingests every management event of the account, not only EC2 Instance Connect's.
  const trailIngestion = trails.filter(tr => tr.Properties.CloudWatchLogsLogGroupArn).length *
    activity.managementEventsPerMonth * KB_PER_MANAGEMENT_EVENT / 1e6 * PRICE.logsIngestedPerGb;
  // The first copy of management events is free; a trail beside an organisation trail is a paid second copy.
  const secondCopy = activity.organisationTrail ? trails.length * activity.managementEventsPerMonth / 1e5 * PRICE.extraManagementCopyPer100k : 0;
  // Each event log ingests every tunnel and key push once (endpoint changes and tampering, rare, are left out).
  const eventLogs = new Set(resources.filter(r => r.Type === 'AWS::Events::Rule')
    .flatMap(r => (r.Properties.Targets ?? []).map((target: any) => JSON.stringify(target.Arn))).filter(arn => arn.includes(':logs:'))).size;
  const connectIngestion = eventLogs * activity.connectEventsPerMonth * KB_PER_CONNECT_EVENT / 1e6 * PRICE.logsIngestedPerGb;
  // Each refresh of a Logs Insights widget scans the event log over the dashboard's time window.
  const logWidgets = dashboards.reduce((n, d) => n + (JSON.stringify(d.Properties.DashboardBody).match(/\\"type\\":\\"log\\"/g) ?? []).length, 0);
  const gbPerScan = activity.connectEventsPerMonth * KB_PER_CONNECT_EVENT / 1e6 * (activity.dashboardWindowHours ?? 3) / HOURS_PER_MONTH;
  const scans = logWidgets * (activity.dashboardRefreshesPerMonth ?? 0) * gbPerScan * PRICE.logsInsightsPerGbScanned;
  const perActivity = trailIngestion + secondCopy + connectIngestion + scans;
  return { fixed: round(fixed), perActivity: round(perActivity), total: round(fixed + perActivity) };
}

const round = (n: number) => Math.round(n * 100) / 100;
const busy = (organisationTrail: boolean): Activity => ({ managementEventsPerMonth: 10_000_000, connectEventsPerMonth: 3_000, organisationTrail });

function access(createTrail: boolean, investigations = false) {
  const stack = testStack();
  new InstanceConnectAccess(stack, 'Access', {
    vpc: testVpc(stack),
    auditTrailProps: { createTrail, dashboard: investigations, investigationQueries: investigations },
  });
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

  describe('the optional dashboard and saved queries', () => {
    // Someone watches the dashboard 8 hours a working day, refreshed every 5 minutes: 22 x 8 x 12 refreshes a month.
    const watched = { dashboardRefreshesPerMonth: 22 * 8 * 12 };

    test('the dashboard is free among an account\'s first three, $3 a month beyond; saved queries cost nothing', () => {
      expect(monthlyCost(access(false, true), { ...busy(true), otherDashboards: 0 }).fixed).toBe(1.30);
      expect(monthlyCost(access(false, true), { ...busy(true), otherDashboards: 2 }).fixed).toBe(1.30);
      expect(monthlyCost(access(false, true), { ...busy(true), otherDashboards: 3 }).fixed).toBe(4.30);
      expect(monthlyCost(access(false, true), { ...busy(true), otherDashboards: 10 }).fixed).toBe(4.30);
      expect(monthlyCost(access(false), { ...busy(true), otherDashboards: 10 }).fixed).toBe(1.30);
    });

    test('each widget refresh scans the event log at $0.005 a GB: nothing at ordinary activity, and never the account\'s other events', () => {
      const stack = access(false, true);
      expect(monthlyCost(stack, { ...busy(true), ...watched }).perActivity).toBe(0);
      // A million tunnels and key pushes a month (2 GB of log, $1.00 to ingest), the dashboard set to a week: 4 widgets x
      // 2,112 refreshes x 0.46 GB each, $19.44.
      const heavy = monthlyCost(stack, { ...busy(true), ...watched, connectEventsPerMonth: 1_000_000, dashboardWindowHours: 168 });
      expect(heavy.perActivity).toBeCloseTo(20.44, 2);
      expect(monthlyCost(stack, { ...busy(true), ...watched, managementEventsPerMonth: 100_000_000 }))
        .toEqual(monthlyCost(stack, { ...busy(true), ...watched }));
    });

    test('the central dashboard is priced the same way, in the security account', () => {
      const security = new Stack(new App(), 'Security', { env: { account: '222222222222', region: 'eu-west-1' } });
      new InstanceConnectCentralAlerts(security, 'Central', { organizationId: 'o-a1b2c3d4e5', dashboard: true, investigationQueries: true });
      expect(monthlyCost(security, { ...busy(true), otherDashboards: 3 }).fixed).toBe(4.30);
    });
  });
});
