import { Names } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlarmKind, alarmRules, alertTopic, matchedEventsMetric, tamperingRules } from './audit-alerts';
import { auditEventLog, eventLogNames } from './audit-event-log';
import { auditKey } from './audit-key';
import { DASHBOARD_WIDGETS, INVESTIGATION_QUERIES, queryText } from './investigations';
import { changeEventPattern, CloudTrailEventPattern } from '../event-patterns';

/** What differs between an account's own audit and the organisation's central one. */
export interface EventAuditProps {
  /** The prefix of the event log group's name. */
  readonly logGroupPrefix: string;
  /** The trail the key encrypts log files for, when the audit defines one. */
  readonly trailArn?: string;
  readonly logRetention: logs.RetentionDays;
  /** @default - a new topic encrypted with the audit's key */
  readonly alarmTopic?: sns.ITopic;
  /** The bus the rules watch. @default - the account's default bus */
  readonly eventBus?: events.IEventBus;
  /** What the event log captures. */
  readonly capturePattern: CloudTrailEventPattern;
  /**
   * Whether the capture leaves out endpoint changes and tampering, which then only reach the topic: when the dashboard
   * or the saved queries are on, a second rule writes them to the log too, since they read it.
   */
  readonly captureOmitsChanges: boolean;
  /** Whether a tampering rule watches the audit's own key (an account's audit does; the central one watches accounts). */
  readonly watchOwnKey: boolean;
  readonly dashboard: boolean;
  readonly investigationQueries: boolean;
}

/**
 * The part `InstanceConnectAuditTrail` and `InstanceConnectCentralAlerts` share: the key, the topic, the event log and
 * the rules that fill it, the alarms on tunnels, key pushes and refusals, the tampering rules, and the optional
 * dashboard and saved queries over the log.
 *
 * Its ID is `Default`, which aws-cdk-lib leaves out of logical IDs and generated names: the resources keep the IDs
 * and names they had before this part existed, so a deployed audit is updated in place, not replaced (the key and the
 * log group are retained, and a replacement would leave them orphaned).
 */
export class EventAudit extends Construct {
  public static readonly ID = 'Default';

  public readonly encryptionKey: kms.Key;
  public readonly alarmTopic: sns.ITopic;
  public readonly logGroup: logs.LogGroup;
  public readonly connectEventsRule: events.Rule;
  public readonly tunnelsOpenedAlarm: cloudwatch.Alarm;
  public readonly keysPushedAlarm: cloudwatch.Alarm;
  public readonly accessDeniedAlarm: cloudwatch.Alarm;
  public readonly tamperingRules: events.Rule[];
  public readonly dashboard?: cloudwatch.Dashboard;
  public readonly queryDefinitions: logs.QueryDefinition[];
  private readonly alarmRules: Record<AlarmKind, events.Rule>;
  private readonly eventBus?: events.IEventBus;

  constructor(owner: Construct, props: EventAuditProps) {
    super(owner, EventAudit.ID);
    this.eventBus = props.eventBus;
    const names = eventLogNames(owner, props.logGroupPrefix);
    const key = auditKey(this, 'Key', { trailArn: props.trailArn, logGroupName: names.logGroupName, auditPath: owner.node.path });
    this.encryptionKey = key;
    const ownTopic = props.alarmTopic === undefined;
    this.alarmTopic = props.alarmTopic ?? alertTopic(this, key);
    const eventLog = auditEventLog(this, key, names, props.logRetention, props.eventBus, props.capturePattern);
    this.logGroup = eventLog.logGroup;
    this.connectEventsRule = eventLog.rule;
    const alarms = alarmRules(this, this.alarmTopic, ownTopic, props.eventBus);
    this.tunnelsOpenedAlarm = alarms.tunnelsOpened;
    this.keysPushedAlarm = alarms.keysPushed;
    this.accessDeniedAlarm = alarms.accessDenied;
    this.alarmRules = alarms.rules;
    const ownKeyArns = props.watchOwnKey ? [key.keyArn] : [];
    this.tamperingRules = tamperingRules(this, this.alarmTopic, ownTopic, ownKeyArns, props.eventBus);

    const investigations = props.dashboard || props.investigationQueries;
    if (investigations && props.captureOmitsChanges) {
      eventLog.addRule('ChangeEventsRule', 'Endpoint changes and tampering with trails or the audit key, to the audit log as well, for investigations',
        changeEventPattern(ownKeyArns));
    }
    this.queryDefinitions = props.investigationQueries ? this.defineQueries(owner) : [];
    if (props.dashboard) {
      this.dashboard = this.defineDashboard();
    }
  }

  /** EventBridge's free `MatchedEvents` metric of the rule an alarm counts. */
  public metricMatchedEvents(kind: AlarmKind, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return matchedEventsMetric(this.alarmRules[kind], this.eventBus, props);
  }

  private defineQueries(owner: Construct): logs.QueryDefinition[] {
    // A folder per audit in the console's list of saved queries: names are per account and Region, not per stack.
    const folder = `EC2 Instance Connect/${Names.uniqueResourceName(owner, { maxLength: 80, separator: '-' })}`;
    return INVESTIGATION_QUERIES.map(q => new logs.QueryDefinition(this, q.id, {
      queryDefinitionName: `${folder}/${q.name}`,
      queryString: new logs.QueryString(q.query),
      logGroups: [this.logGroup],
    }));
  }

  private defineDashboard(): cloudwatch.Dashboard {
    const widgets = DASHBOARD_WIDGETS.map(w => new cloudwatch.LogQueryWidget({
      title: w.title,
      logGroupNames: [this.logGroup.logGroupName],
      queryString: queryText(w.query),
      view: w.view,
      width: 12,
      height: 8,
    }));
    // No name: CloudFormation generates one, and dashboards are global to the account, so a fixed name would collide
    // between the Regions of a StackSet.
    return new cloudwatch.Dashboard(this, 'Dashboard', { widgets: [widgets.slice(0, 2), widgets.slice(2)] });
  }
}
