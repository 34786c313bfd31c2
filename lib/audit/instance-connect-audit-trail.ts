import { ArnFormat, Duration, Names, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { alertTopic, auditAlarms, connectEventRule, tamperingRules } from './audit-alerts';
import { auditTrailBuckets } from './audit-trail-bucket';
import { auditTrailKey } from './audit-trail-key';
import { acknowledge, acknowledgeForcedWildcards } from '../private/acknowledge';
import { show, validationError } from '../private/errors';
import { AUDIT_KEY_TAG } from '../private/vocabulary';

/** aws-cdk-lib's feature flag for granting S3 server access log delivery by bucket policy. */
const S3_ACCESS_LOGS_USE_BUCKET_POLICY = '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy';

/**
 * Properties of `InstanceConnectAuditTrail`.
 */
export interface InstanceConnectAuditTrailProps {
  /**
   * Whether to define a CloudTrail trail. Organisations usually have one already (a Region allows five): with
   * `false`, only the alerting is defined, and the existing trail must log management events (read and write) in
   * the endpoints' Regions.
   *
   * @default true
   */
  readonly createTrail?: boolean;

  /**
   * The name of the trail.
   *
   * @default - a name unique in the app, derived from the construct path
   */
  readonly trailName?: string;

  /**
   * How long the trail's CloudWatch Logs copy is kept. The S3 copy is kept until you delete it.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Retain every log file for this long with S3 Object Lock (governance mode), so that it cannot be overwritten or
   * deleted without the `s3:BypassGovernanceRetention` permission. Object Lock can only be turned on when the bucket
   * is created.
   *
   * @default - no Object Lock
   */
  readonly objectLockRetention?: Duration;

  /**
   * The topic alarms and connection events go to.
   *
   * @default - a new topic encrypted with a new customer-managed key
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * With `createTrail: false`, the CloudWatch Logs group an existing trail delivers to, for the metric filters and
   * alarms.
   *
   * @default - no metric filters or alarms without a trail of this construct; the EventBridge rule still alerts
   */
  readonly existingTrailLogGroup?: logs.ILogGroup;
}

/**
 * A CloudTrail audit trail of EC2 Instance Connect: every tunnel (`OpenTunnel`) and one-time key
 * (`SendSSHPublicKey`) is recorded in a multi-Region trail with log file validation, encrypted with a
 * customer-managed key, kept in a retained S3 bucket and a CloudWatch Logs group; alarms and an EventBridge rule
 * send connections and denied attempts to an encrypted SNS topic.
 *
 * @example
 * const audit = new InstanceConnectAuditTrail(this, 'Audit', { objectLockRetention: Duration.days(365) });
 */
export class InstanceConnectAuditTrail extends Construct {
  /** The trail, when this construct defines one. */
  public readonly trail?: cloudtrail.CfnTrail;
  /** The ARN of the trail, when this construct defines one. */
  public readonly trailArn?: string;
  /** The bucket of the trail's log files. */
  public readonly bucket?: s3.IBucket;
  /** The bucket the log bucket's server access logs go to. */
  public readonly accessLogsBucket?: s3.IBucket;
  /** The key that encrypts the log files and the log group. */
  public readonly encryptionKey?: kms.IKey;
  /** The CloudWatch Logs group the trail delivers to. */
  public readonly logGroup?: logs.ILogGroup;
  /** Where alarms and connection events go. */
  public readonly alarmTopic: sns.ITopic;
  /** The alarm on tunnels opened, when there is a log group. */
  public readonly tunnelsOpenedAlarm?: cloudwatch.IAlarm;
  /** The alarm on keys pushed, when there is a log group. */
  public readonly keysPushedAlarm?: cloudwatch.IAlarm;
  /** The alarm on denied tunnels and key pushes, when there is a log group. */
  public readonly accessDeniedAlarm?: cloudwatch.IAlarm;
  /** The EventBridge rule on every tunnel and key push. */
  public readonly connectEventsRule: events.Rule;
  /**
   * EventBridge rules on endpoint changes, on trails stopped, deleted or narrowed, and on the audit keys disabled or
   * scheduled for deletion, straight to `alarmTopic`.
   */
  public readonly tamperingRules: events.Rule[];

  constructor(scope: Construct, id: string, props: InstanceConnectAuditTrailProps = {}) {
    super(scope, id);
    // Server access logs are delivered under a bucket policy rather than an ACL (ACLs stay disabled).
    this.node.setContext(S3_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const stack = Stack.of(this);
    const createTrail = props.createTrail ?? true;
    if (!createTrail && (props.trailName !== undefined || props.objectLockRetention !== undefined || props.logRetention !== undefined)) {
      throw validationError(this, 'trailName, logRetention and objectLockRetention configure the trail; they cannot be set with createTrail: false');
    }
    if (createTrail && props.existingTrailLogGroup) {
      throw validationError(this, 'existingTrailLogGroup is for createTrail: false; this construct defines its own trail and log group');
    }
    if (props.objectLockRetention && !props.objectLockRetention.isUnresolved() && props.objectLockRetention.toDays({ integral: false }) < 1) {
      throw validationError(this, `objectLockRetention must be at least 1 day, got ${props.objectLockRetention.toHumanString()}`);
    }
    const trailName = props.trailName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    if (!Token.isUnresolved(trailName) && !/^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/.test(trailName)) {
      throw validationError(this, `trailName must be 3-128 letters, digits, periods, underscores or dashes, starting with a letter or digit, got ${show(trailName)}`);
    }

    const ownTopic = props.alarmTopic === undefined;
    this.alarmTopic = props.alarmTopic ?? alertTopic(this);
    this.connectEventsRule = connectEventRule(this, this.alarmTopic, ownTopic);

    let logGroup = props.existingTrailLogGroup;
    if (createTrail) {
      // The trail's ARN is known before it exists, so the key and bucket policies can name it.
      const trailArn = stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: trailName });
      const logGroupName = `/aws/cloudtrail/${trailName}`;
      const key = auditTrailKey(this, 'Key', trailArn, logGroupName);
      const { bucket, accessLogsBucket } = auditTrailBuckets(this, { trailArn, key, objectLockRetention: props.objectLockRetention });
      const trailLogGroup = new logs.LogGroup(this, 'LogGroup', {
        logGroupName,
        retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
        encryptionKey: key,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      logGroup = trailLogGroup;
      const trail = this.defineTrail(trailName, bucket, key, trailLogGroup, logGroupName);
      this.trail = trail;
      this.trailArn = trailArn;
      this.bucket = bucket;
      this.accessLogsBucket = accessLogsBucket;
      this.encryptionKey = key;
      acknowledgeAccessLogsBucket(accessLogsBucket);
    }
    this.logGroup = logGroup;
    const alertsKey = ownTopic ? (this.alarmTopic as sns.Topic).masterKey : undefined;
    const auditKeys = [this.encryptionKey, alertsKey].filter((k): k is kms.IKey => k !== undefined);
    // So that guardrails (InstanceConnectGuardrails) can protect the audit keys in every account by their tag.
    auditKeys.forEach(key => Tags.of(key).add(AUDIT_KEY_TAG.key, AUDIT_KEY_TAG.value));
    this.tamperingRules = tamperingRules(this, this.alarmTopic, ownTopic, auditKeys.map(k => k.keyArn));

    if (logGroup) {
      const alarms = auditAlarms(this, logGroup, 'EC2InstanceConnect', this.alarmTopic);
      this.tunnelsOpenedAlarm = alarms.tunnelsOpened;
      this.keysPushedAlarm = alarms.keysPushed;
      this.accessDeniedAlarm = alarms.accessDenied;
    }
  }

  private defineTrail(trailName: string, bucket: s3.Bucket, key: kms.Key, logGroup: logs.LogGroup, logGroupName: string): cloudtrail.CfnTrail {
    const stack = Stack.of(this);
    // CloudTrail names its streams <account>_CloudTrail_<region>…, one per Region of a multi-Region trail.
    const logsRole = new iam.Role(this, 'LogsRole', { assumedBy: new iam.ServicePrincipal('cloudtrail.amazonaws.com') });
    const statements = [new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [stack.formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: `${logGroupName}:log-stream:${stack.account}_CloudTrail_*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      })],
    })];
    const logsPolicy = new iam.ManagedPolicy(this, 'LogsPolicy', {
      description: 'CloudTrail delivers the EC2 Instance Connect audit trail to its log group',
      roles: [logsRole],
      statements,
    });
    acknowledgeForcedWildcards(logsPolicy, statements, {
      'logs:CreateLogStream': 'CloudTrail names the log streams of a multi-Region trail <account>_CloudTrail_<region>; only that prefix is allowed',
    });

    // The L1: the L2 Trail writes its own bucket policy without aws:SourceArn, which would let any trail write.
    const trail = new cloudtrail.CfnTrail(this, 'Trail', {
      trailName,
      isLogging: true,
      s3BucketName: bucket.bucketName,
      kmsKeyId: key.keyArn,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      cloudWatchLogsLogGroupArn: logGroup.logGroupArn,
      cloudWatchLogsRoleArn: logsRole.roleArn,
      eventSelectors: [{ readWriteType: 'All', includeManagementEvents: true }],
    });
    trail.node.addDependency(bucket.policy!, logsPolicy, key);
    return trail;
  }
}

/** The access-log bucket's own access is not logged: logging it to itself would log forever. */
function acknowledgeAccessLogsBucket(accessLogsBucket: s3.Bucket): void {
  const reason = 'this is the server access log bucket of the trail bucket; logging its own access would loop';
  acknowledge(accessLogsBucket, 'AwsSolutions-S1', reason);
  acknowledge(accessLogsBucket, 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check', reason);
}
