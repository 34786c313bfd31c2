import { ArnFormat, Aws, Fn, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { WriteToLogGroup } from './rule-targets';
import { CONNECT_EVENT_PATTERN, CloudTrailEventPattern } from '../event-patterns';

/** The log group of the captured events and the rule that fills it. */
export interface AuditEventLog {
  readonly logGroup: logs.LogGroup;
  readonly rule: events.Rule;
  /** Writes the events `eventPattern` matches to the log too, under the same resource policy. */
  readonly addRule: (id: string, description: string, eventPattern: CloudTrailEventPattern) => events.Rule;
}

/** The names of an event log and of its resource policy. */
export interface EventLogNames {
  readonly logGroupName: string;
  readonly policyName: string;
}

/**
 * Names for the event log of `scope`: the construct path, and the stack's own ID, so that a stack created again
 * (an account leaving and rejoining a StackSet's OU, a `cdk destroy` and deploy) does not collide with the log group
 * its predecessor retained. The resource policy is deleted with the stack, so its name needs no such suffix.
 */
export function eventLogNames(scope: Construct, prefix: string): EventLogNames {
  const unique = Names.uniqueResourceName(scope, { maxLength: 160, separator: '-' });
  const stackUuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
  return { logGroupName: `${prefix}${unique}-${stackUuid}`, policyName: `${`${prefix}${unique}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(-200)}-events` };
}

/**
 * The account's own record of EC2 Instance Connect: every tunnel and key push (successful or refused) as CloudTrail
 * records it, copied by an EventBridge rule into a KMS-encrypted, retained log group. Only these events are
 * ingested (a few kilobytes a day), whatever the rest of the account does; a trail is not sent to CloudWatch Logs.
 *
 * EventBridge writes to the group under a CloudWatch Logs resource policy (`AWS::Logs::ResourcePolicy`, a native
 * resource: no Lambda-backed custom resource, so the template also deploys through StackSets). An account has at
 * most 10 such policies per Region.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-cloudwatchlogs-permissions
 */
export function auditEventLog(scope: Construct, key: kms.IKey, names: EventLogNames, retention: logs.RetentionDays,
  eventBus?: events.IEventBus, eventPattern: CloudTrailEventPattern = CONNECT_EVENT_PATTERN): AuditEventLog {
  const logGroupName = names.logGroupName;
  const stack = Stack.of(scope);
  const logGroup = new logs.LogGroup(scope, 'EventLog', {
    logGroupName,
    retention,
    encryptionKey: key,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const streams = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: `${logGroupName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  // Documented without conditions: the statement names this group only.
  const policy = new iam.PolicyDocument({
    statements: [new iam.PolicyStatement({
      sid: 'EventBridgeWritesConnectEvents',
      principals: [new iam.ServicePrincipal('events.amazonaws.com'), new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [streams],
    })],
  });
  const resourcePolicy = new logs.CfnResourcePolicy(scope, 'EventLogPolicy', {
    policyName: names.policyName,
    policyDocument: stack.toJsonString(policy.toJSON()),
  });
  const target = new WriteToLogGroup(stack.formatArn({
    service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  }));
  const addRule = (id: string, description: string, pattern: CloudTrailEventPattern): events.Rule => {
    const added = new events.Rule(scope, id, { description, eventBus, eventPattern: pattern, targets: [target] });
    added.node.addDependency(resourcePolicy);
    return added;
  };
  const rule = addRule('ConnectEventsRule', eventBus
    ? 'Every EC2 Instance Connect event forwarded by the organisation\'s accounts, to the central log'
    : 'Every EC2 Instance Connect tunnel and one-time key push (SSH and serial console), as CloudTrail records them, to the audit log',
  eventPattern);
  return { logGroup, rule, addRule };
}
