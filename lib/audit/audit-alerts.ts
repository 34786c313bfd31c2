import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CONNECT_EVENT_PATTERN, METRIC_FILTER_PATTERNS } from './event-patterns';
import { denyGrantsExceptForAwsServices } from '../private/kms-grants';

/** The alarms on the trail's log group, by what they count. */
export interface AuditAlarms {
  readonly tunnelsOpened: cloudwatch.Alarm;
  readonly keysPushed: cloudwatch.Alarm;
  readonly accessDenied: cloudwatch.Alarm;
}

/**
 * An SNS topic for the alerts, encrypted with its own rotating key that only CloudWatch alarms and EventBridge
 * (of this account) may use besides the account, and refusing plain HTTP.
 */
export function alertTopic(scope: Construct): sns.Topic {
  const stack = Stack.of(scope);
  const key = new kms.Key(scope, 'AlertsKey', {
    description: `Encrypts the EC2 Instance Connect alerts of ${scope.node.path}`,
    enableKeyRotation: true,
  });
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AlarmsAndEventsPublishEncrypted',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com'), new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
  }));
  denyGrantsExceptForAwsServices(key);
  const topic = new sns.Topic(scope, 'AlertsTopic', {
    displayName: 'EC2 Instance Connect alerts',
    masterKey: key,
    enforceSSL: true,
  });
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AlarmsPublish',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
  }));
  return topic;
}

/** Metric filters on the trail's log group and an alarm on each, to `topic`. */
export function auditAlarms(scope: Construct, logGroup: logs.ILogGroup, namespace: string, topic: sns.ITopic): AuditAlarms {
  const alarm = (id: string, pattern: string, description: string): cloudwatch.Alarm => {
    const filter = new logs.MetricFilter(scope, `${id}Filter`, {
      logGroup,
      filterPattern: logs.FilterPattern.literal(pattern),
      metricNamespace: namespace,
      metricName: id,
      metricValue: '1',
    });
    const result = filter.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }).createAlarm(scope, `${id}Alarm`, {
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
    tunnelsOpened: alarm('TunnelsOpened', METRIC_FILTER_PATTERNS.tunnelsOpened,
      'An EC2 Instance Connect Endpoint tunnel was opened (ec2-instance-connect:OpenTunnel)'),
    keysPushed: alarm('KeysPushed', METRIC_FILTER_PATTERNS.keysPushed,
      'A one-time SSH key was pushed to an instance (ec2-instance-connect:SendSSHPublicKey)'),
    accessDenied: alarm('AccessDenied', METRIC_FILTER_PATTERNS.accessDenied,
      'An EC2 Instance Connect tunnel or key push was denied: someone tried to connect without permission'),
  };
}

/** An EventBridge rule on every tunnel and key push, to `topic`. */
export function connectEventRule(scope: Construct, topic: sns.ITopic): events.Rule {
  return new events.Rule(scope, 'ConnectEventsRule', {
    description: 'Every EC2 Instance Connect tunnel and one-time key push, as CloudTrail records them',
    eventPattern: CONNECT_EVENT_PATTERN,
    targets: [new targets.SnsTopic(topic)],
  });
}
