import { Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { FORWARDED_EVENT_PATTERN } from '../audit/event-patterns';
import { EventAudit } from '../audit/private/event-audit';
import { show, validationError } from '../private/errors';
import { protectByTag, PROTECTED_LOG_GROUP_PREFIX } from '../private/protected-tag';

/**
 * Properties of `InstanceConnectCentralAlerts`.
 */
export interface InstanceConnectCentralAlertsProps {
  /**
   * The ID of the organisation whose accounts may put events on the bus (`aws:PrincipalOrgID`), such as
   * `o-a1b2c3d4e5`.
   */
  readonly organizationId: string;

  /**
   * The name of the event bus, which each account's baseline names in `centralEventBusArn`.
   *
   * @default 'instance-connect'
   */
  readonly eventBusName?: string;

  /**
   * How long the log group of forwarded events is kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The topic alarms and events go to.
   *
   * @default - a new topic encrypted with this construct's key
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Whether to define a CloudWatch dashboard over the organisation's event log: Logs Insights widgets of tunnels
   * opened by principal, keys pushed by instance and OS user, refusals by principal and source IP, and endpoint
   * changes and trail tampering. Beyond the three dashboards free in each account, a dashboard costs $3 a month, and
   * each refresh of a widget scans the log at $0.005 per GB.
   *
   * @default false
   */
  readonly dashboard?: boolean;

  /**
   * Whether to save the Logs Insights queries of an investigation (`AWS::Logs::QueryDefinition`) over the
   * organisation's event log: who opened tunnels to a private IP and when, everything a principal did, all refusals
   * from a source range, and which endpoint changed and who changed it. Saved queries cost nothing until run; a run
   * scans the log at $0.005 per GB.
   *
   * @default false
   */
  readonly investigationQueries?: boolean;
}

/**
 * The security account's view of EC2 Instance Connect across the organisation: an event bus that accepts events
 * from the organisation's accounts only (`aws:PrincipalOrgID`), which each account's `InstanceConnectBaseline`
 * forwards its tunnels, key pushes, refusals, endpoint changes and trail tampering to; a KMS-encrypted, retained log
 * group of them all; alarms on tunnels, key pushes and refusals (EventBridge's free per-rule metrics); and endpoint
 * changes and trail tampering sent straight to an encrypted topic.
 *
 * @example
 * const central = new InstanceConnectCentralAlerts(this, 'Central', { organizationId: 'o-a1b2c3d4e5' });
 * new sns.Subscription(this, 'SecurityTeam', { topic: central.alarmTopic, protocol: sns.SubscriptionProtocol.EMAIL, endpoint: 'security@example.com' });
 */
export class InstanceConnectCentralAlerts extends Construct {
  /** The bus the accounts forward to. */
  public readonly eventBus: events.EventBus;
  /** The log group of every forwarded event. */
  public readonly logGroup: logs.ILogGroup;
  /** The key that encrypts the log group and the topic. */
  public readonly encryptionKey: kms.IKey;
  /** Where alarms and events go. */
  public readonly alarmTopic: sns.ITopic;
  /** The alarm on tunnels opened anywhere in the organisation. */
  public readonly tunnelsOpenedAlarm: cloudwatch.IAlarm;
  /** The alarm on keys pushed anywhere in the organisation. */
  public readonly keysPushedAlarm: cloudwatch.IAlarm;
  /** The alarm on refused tunnels and key pushes anywhere in the organisation. */
  public readonly accessDeniedAlarm: cloudwatch.IAlarm;
  /** The dashboard over the organisation's event log, when `dashboard` is true. */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** The saved Logs Insights queries over the organisation's event log (none unless `investigationQueries` is true). */
  public readonly queryDefinitions: logs.QueryDefinition[];
  private readonly eventAudit: EventAudit;

  constructor(scope: Construct, id: string, props: InstanceConnectCentralAlertsProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.organizationId) && !/^o-[a-z0-9]{10,32}$/.test(props.organizationId)) {
      throw validationError(this, `organizationId must be an organisation ID such as o-a1b2c3d4e5, got ${show(props.organizationId)}`);
    }
    const eventBusName = props.eventBusName ?? 'instance-connect';
    if (!Token.isUnresolved(eventBusName) && (!/^[A-Za-z0-9._-]{1,256}$/.test(eventBusName) || eventBusName === 'default')) {
      throw validationError(this, `eventBusName must be 1-256 letters, digits, periods, underscores or dashes, and not "default", got ${show(eventBusName)}`);
    }

    // No Description: CloudFormation's schema of AWS::Events::EventBus has none in every partition (cfn-lint, GovCloud
    // and China), and a condition on AWS::Partition would not satisfy it.
    this.eventBus = new events.EventBus(this, 'EventBus', { eventBusName });
    // Any principal of the organisation, which is how a cross-account rule's role arrives; nobody else.
    this.eventBus.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'OrganizationAccountsPutEvents',
      principals: [new iam.AnyPrincipal()],
      actions: ['events:PutEvents'],
      resources: [this.eventBus.eventBusArn],
      conditions: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
    }));

    // Each account's own audit watches its own key; here, endpoint changes and trail tampering from every account,
    // which the capture (FORWARDED_EVENT_PATTERN) also writes to the log.
    const audit = new EventAudit(this, {
      logGroupPrefix: `${PROTECTED_LOG_GROUP_PREFIX}-central/`,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      alarmTopic: props.alarmTopic,
      eventBus: this.eventBus,
      capturePattern: FORWARDED_EVENT_PATTERN,
      captureOmitsChanges: false,
      watchOwnKey: false,
      dashboard: props.dashboard ?? false,
      investigationQueries: props.investigationQueries ?? false,
    });
    this.eventAudit = audit;
    this.encryptionKey = audit.encryptionKey;
    this.alarmTopic = audit.alarmTopic;
    this.logGroup = audit.logGroup;
    this.tunnelsOpenedAlarm = audit.tunnelsOpenedAlarm;
    this.keysPushedAlarm = audit.keysPushedAlarm;
    this.accessDeniedAlarm = audit.accessDeniedAlarm;
    this.dashboard = audit.dashboard;
    this.queryDefinitions = audit.queryDefinitions;
    // So that guardrails protect the bus, key, log group, rules, alarms and topic where this account is guarded too.
    protectByTag(this);
  }

  /**
   * The number of tunnels opened anywhere in the organisation (refused ones included): EventBridge's free
   * `MatchedEvents` metric of the rule `tunnelsOpenedAlarm` counts, summed over 5 minutes unless `props` says otherwise.
   */
  public metricTunnelsOpened(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.eventAudit.metricMatchedEvents('TunnelsOpened', props);
  }

  /**
   * The number of one-time keys pushed anywhere in the organisation: the metric `keysPushedAlarm` counts, summed over
   * 5 minutes unless `props` says otherwise.
   */
  public metricKeysPushed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.eventAudit.metricMatchedEvents('KeysPushed', props);
  }

  /**
   * The number of refused tunnels and key pushes anywhere in the organisation: the metric `accessDeniedAlarm` counts,
   * summed over 5 minutes unless `props` says otherwise.
   */
  public metricAccessDenied(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.eventAudit.metricMatchedEvents('AccessDenied', props);
  }
}
