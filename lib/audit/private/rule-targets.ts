import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';

/*
 * The audit's EventBridge rule targets that aws-cdk-lib's `aws-events-targets` cannot provide within the security
 * model, each with its reason. Targets it can provide (a topic you bring: `targets.SnsTopic`; the central bus:
 * `targets.EventBus`) are aws-cdk-lib's own.
 */

/**
 * The library's own alert topic. `targets.SnsTopic` would call `topic.grantPublish(events.amazonaws.com)`, which adds
 * an unnamed topic-policy statement and a key-policy statement repeating the named ones `alertTopic` writes (the
 * statements the guardrails and the tests name); the topic already lets EventBridge publish.
 */
export class PublishToOwnTopic implements events.IRuleTarget {
  constructor(private readonly topic: sns.ITopic) {}

  public bind(): events.RuleTargetConfig {
    return { arn: this.topic.topicArn };
  }
}

/**
 * The event log group, by its ARN without `:*`. `targets.CloudWatchLogGroup` writes EventBridge's permission with a
 * Lambda-backed custom resource (`Custom::CloudwatchLogResourcePolicy`, whose function may call
 * `logs:PutResourcePolicy` on every resource): an asset a StackSet's inline template cannot carry, and one more
 * principal that could rewrite any log resource policy of the account. The audit writes the permission as a native
 * `AWS::Logs::ResourcePolicy` instead (see `auditEventLog`).
 */
export class WriteToLogGroup implements events.IRuleTarget {
  constructor(private readonly logGroupArn: string) {}

  public bind(): events.RuleTargetConfig {
    return { arn: this.logGroupArn };
  }
}
