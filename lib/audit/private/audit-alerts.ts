import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { PublishToOwnTopic } from './rule-targets';
import { ALARM_EVENT_PATTERNS, tamperingEventPatterns } from '../event-patterns';

/** The alarms on the capture rules' free `MatchedEvents` metrics, by what they count. */
export interface AuditAlarms {
  readonly tunnelsOpened: cloudwatch.Alarm;
  readonly keysPushed: cloudwatch.Alarm;
  readonly accessDenied: cloudwatch.Alarm;
  /** The rule whose `MatchedEvents` each alarm counts. */
  readonly rules: Record<AlarmKind, events.Rule>;
}

/** What an alarm counts. */
export type AlarmKind = keyof typeof ALARM_EVENT_PATTERNS;

/**
 * EventBridge's `MatchedEvents` metric of `rule` (published at no charge): the number of events the rule matched.
 * A custom bus's rules publish it with the bus's name as a second dimension.
 */
export function matchedEventsMetric(rule: events.IRule, eventBus: events.IEventBus | undefined,
  props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/Events',
    metricName: 'MatchedEvents',
    dimensionsMap: eventBus ? { EventBusName: eventBus.eventBusName, RuleName: rule.ruleName } : { RuleName: rule.ruleName },
    statistic: cloudwatch.Stats.SUM,
    period: Duration.minutes(5),
    ...props,
  });
}

/**
 * An SNS topic for the alerts, encrypted with its own rotating key, refusing plain HTTP, that CloudWatch alarms of
 * this account and Region, and EventBridge, may publish to.
 *
 * Each service-principal statement carries the condition keys AWS documents for that delivery path, and only those:
 * a key the service does not send makes the statement fail, and alerts would be dropped without a trace.
 * - CloudWatch alarms to the topic: `aws:SourceArn` of this account's alarms
 *   (https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger). This is the gate: the key is
 *   used only for what is published to the topic.
 * - CloudWatch alarms to the key: documented without conditions
 *   (https://repost.aws/knowledge-center/cloudwatch-configure-alarm-sns).
 * - EventBridge to the topic: "You can't use Condition blocks in Amazon SNS topic policies for EventBridge"
 *   (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions); to the
 *   key, documented without conditions (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html).
 */
export function alertTopic(scope: Construct, key: kms.IKey): sns.Topic {
  const stack = Stack.of(scope);
  const cloudWatch = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
  const eventBridge = new iam.ServicePrincipal('events.amazonaws.com');
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AlarmsAndEventsPublishEncrypted',
    principals: [cloudWatch, eventBridge],
    actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
    resources: ['*'],
  }));
  const topic = new sns.Topic(scope, 'AlertsTopic', {
    displayName: 'EC2 Instance Connect alerts',
    masterKey: key,
    enforceSSL: true,
  });
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AlarmsPublish',
    principals: [cloudWatch],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: {
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    },
  }));
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'EventsPublish',
    principals: [eventBridge],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
  }));
  return topic;
}

/** The rule target for `topic`: aws-cdk-lib's for a topic you bring, `PublishToOwnTopic` for the library's own. */
function topicTarget(topic: sns.ITopic, ownTopic: boolean): events.IRuleTarget {
  return ownTopic ? new PublishToOwnTopic(topic) : new targets.SnsTopic(topic);
}

/**
 * EventBridge rules on tunnels opened, keys pushed and refused attempts, each to `topic` (a message per event), with
 * an alarm on the rule's own `MatchedEvents` metric (published by EventBridge at no charge): no metric filter, no
 * custom metric, nothing that costs more as the account's activity grows.
 */
export function alarmRules(scope: Construct, topic: sns.ITopic, ownTopic: boolean, eventBus?: events.IEventBus): AuditAlarms {
  const rules: Partial<Record<AlarmKind, events.Rule>> = {};
  const alarm = (id: AlarmKind, description: string): cloudwatch.Alarm => {
    const rule = new events.Rule(scope, `${id}Rule`, {
      description,
      eventBus,
      eventPattern: ALARM_EVENT_PATTERNS[id],
      targets: [topicTarget(topic, ownTopic)],
    });
    rules[id] = rule;
    const result = matchedEventsMetric(rule, eventBus).createAlarm(scope, `${id}Alarm`, {
      alarmDescription: description,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    result.addAlarmAction(new cloudwatchActions.SnsAction(topic));
    return result;
  };
  return {
    tunnelsOpened: alarm('TunnelsOpened', 'An EC2 Instance Connect Endpoint tunnel was opened (ec2-instance-connect:OpenTunnel)'),
    keysPushed: alarm('KeysPushed', 'A one-time SSH or serial-console key was pushed to an instance (SendSSHPublicKey, SendSerialConsoleSSHPublicKey)'),
    accessDenied: alarm('AccessDenied', 'An EC2 Instance Connect tunnel or key push was refused: someone tried to connect without permission'),
    rules: rules as Record<AlarmKind, events.Rule>,
  };
}

/** What the tampering rules watch. */
const TAMPERING_DESCRIPTIONS: Record<string, string> = {
  EndpointChanges: 'An EC2 Instance Connect Endpoint was created, modified or deleted',
  TrailTampering: 'A CloudTrail trail was stopped, deleted, updated or had its event selectors changed',
  AuditKeyTampering: 'A key of the EC2 Instance Connect audit was disabled or scheduled for deletion',
};

/**
 * EventBridge rules on the rare events that attack the access model or its audit, straight to `topic`: no metric
 * or alarm per kind, so they cost nothing per event or per month.
 */
export function tamperingRules(scope: Construct, topic: sns.ITopic, ownTopic: boolean, auditKeyArns: string[],
  eventBus?: events.IEventBus): events.Rule[] {
  return Object.entries(tamperingEventPatterns(auditKeyArns)).map(([id, eventPattern]) => new events.Rule(scope, `${id}Rule`, {
    description: TAMPERING_DESCRIPTIONS[id],
    eventBus,
    eventPattern,
    targets: [topicTarget(topic, ownTopic)],
  }));
}
