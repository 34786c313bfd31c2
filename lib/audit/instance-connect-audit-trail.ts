import { Annotations, CfnCondition, CfnResource, Duration, Fn, Names, Stack, Token } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CONNECT_EVENT_PATTERN } from './event-patterns';
import { auditTrailBuckets } from './private/audit-trail-bucket';
import { EventAudit } from './private/event-audit';
import { acknowledge } from '../private/acknowledge';
import { show, validationError } from '../private/errors';
import { protectByTag, PROTECTED_LOG_GROUP_PREFIX } from '../private/protected-tag';

/** aws-cdk-lib's feature flag for granting S3 server access log delivery by bucket policy. */
const S3_ACCESS_LOGS_USE_BUCKET_POLICY = '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy';

/**
 * Properties of `InstanceConnectAuditTrail`.
 */
export interface InstanceConnectAuditTrailProps {
  /**
   * Whether to define a CloudTrail trail. Organisations usually have one already (a Region allows five, and a
   * second copy of management events costs $2.00 per 100,000): with `false`, the account still gets its own
   * retained record and alarms of EC2 Instance Connect events, through EventBridge, which receives CloudTrail's
   * management events while some trail (an organisation trail included) logs in the account.
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
   * The Region the multi-Region trail lives in, when the same template is deployed to several Regions (a StackSet):
   * the trail is defined only where the stack's Region is this one (a CloudFormation condition), while the event
   * log and alarms are defined in every Region.
   *
   * @default - the trail is defined wherever the stack is deployed
   */
  readonly trailHomeRegion?: string;

  /**
   * How long the log group of EC2 Instance Connect events is kept. The trail's S3 copy is kept until you delete it.
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
   * @default - a new topic encrypted with the audit's key
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * No longer used: the alarms count EventBridge rule matches, which cost nothing per event, instead of metric
   * filters on a trail's log group. A warning says so when it is given.
   *
   * @default - none
   * @deprecated the audit captures EC2 Instance Connect events itself; remove this property
   */
  readonly existingTrailLogGroup?: logs.ILogGroup;

  /**
   * Whether to define a CloudWatch dashboard over the event log: Logs Insights widgets of tunnels opened by principal,
   * keys pushed by instance and OS user, refusals by principal and source IP, and endpoint changes and tampering
   * (which the event log then records as well as the topic). Beyond the three dashboards free in each account, a
   * dashboard costs $3 a month, and each refresh of a widget scans the log at $0.005 per GB.
   *
   * @default false
   */
  readonly dashboard?: boolean;

  /**
   * Whether to save the Logs Insights queries of an investigation (`AWS::Logs::QueryDefinition`) over the event log:
   * who opened tunnels to a private IP and when, everything a principal did, all refusals from a source range, and
   * which endpoint changed and who changed it (the event log then records endpoint changes and tampering as well as
   * the topic). Saved queries cost nothing until run; a run scans the log at $0.005 per GB.
   *
   * @default false
   */
  readonly investigationQueries?: boolean;
}

/**
 * The audit of EC2 Instance Connect, at a cost that does not grow with the account's unrelated activity:
 *
 * - every tunnel (`OpenTunnel`) and key push (`SendSSHPublicKey`, `SendSerialConsoleSSHPublicKey`), successful or
 *   refused, is captured by an EventBridge rule into a KMS-encrypted, retained log group (only these events are
 *   ingested);
 * - alarms on tunnels, key pushes and refused attempts count EventBridge's own rule metrics (free), and rules send
 *   each of those events, endpoint changes and tampering with trails or the audit key to an encrypted SNS topic;
 * - unless `createTrail` is `false`, a multi-Region CloudTrail trail with log file validation, encrypted with the
 *   same customer-managed key, delivers to a retained S3 bucket (not to CloudWatch Logs).
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
  /** The key that encrypts the trail's log files, the event log and the topic (one key for all). */
  public readonly encryptionKey?: kms.IKey;
  /** The log group of EC2 Instance Connect events (not a trail's: only these events are ingested). */
  public readonly logGroup?: logs.ILogGroup;
  /** Where alarms and connection events go. */
  public readonly alarmTopic: sns.ITopic;
  /** The alarm on tunnels opened. */
  public readonly tunnelsOpenedAlarm?: cloudwatch.IAlarm;
  /** The alarm on keys pushed (SSH and serial console). */
  public readonly keysPushedAlarm?: cloudwatch.IAlarm;
  /** The alarm on refused tunnels and key pushes. */
  public readonly accessDeniedAlarm?: cloudwatch.IAlarm;
  /** The EventBridge rule that captures every tunnel and key push into `logGroup`. */
  public readonly connectEventsRule: events.Rule;
  /**
   * EventBridge rules on endpoint changes, on trails stopped, deleted or narrowed, and on the audit key disabled or
   * scheduled for deletion, straight to `alarmTopic`.
   */
  public readonly tamperingRules: events.Rule[];
  /** The dashboard over the event log, when `dashboard` is true. */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** The saved Logs Insights queries over the event log (none unless `investigationQueries` is true). */
  public readonly queryDefinitions: logs.QueryDefinition[];
  private readonly eventAudit: EventAudit;

  constructor(scope: Construct, id: string, props: InstanceConnectAuditTrailProps = {}) {
    super(scope, id);
    // Server access logs are delivered under a bucket policy rather than an ACL (ACLs stay disabled).
    this.node.setContext(S3_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const stack = Stack.of(this);
    const createTrail = props.createTrail ?? true;
    const trailName = this.validate(props, createTrail);

    // The trail's ARN is known before it exists, so the key and bucket policies can name it.
    const trailArn = createTrail ? stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: trailName }) : undefined;
    const audit = new EventAudit(this, {
      logGroupPrefix: `${PROTECTED_LOG_GROUP_PREFIX}/`,
      trailArn,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      alarmTopic: props.alarmTopic,
      capturePattern: CONNECT_EVENT_PATTERN,
      captureOmitsChanges: true,
      watchOwnKey: true,
      dashboard: props.dashboard ?? false,
      investigationQueries: props.investigationQueries ?? false,
    });
    const key = audit.encryptionKey;
    // So that guardrails (InstanceConnectGuardrails) can protect the key, log group, rules, alarms and topic by tag.
    protectByTag(this);
    this.eventAudit = audit;
    this.encryptionKey = key;
    this.alarmTopic = audit.alarmTopic;
    this.logGroup = audit.logGroup;
    this.connectEventsRule = audit.connectEventsRule;
    this.tunnelsOpenedAlarm = audit.tunnelsOpenedAlarm;
    this.keysPushedAlarm = audit.keysPushedAlarm;
    this.accessDeniedAlarm = audit.accessDeniedAlarm;
    this.tamperingRules = audit.tamperingRules;
    this.dashboard = audit.dashboard;
    this.queryDefinitions = audit.queryDefinitions;

    if (trailArn) {
      const { bucket, accessLogsBucket } = auditTrailBuckets(this, { trailArn, key, objectLockRetention: props.objectLockRetention });
      this.trail = this.defineTrail(trailName, bucket, key);
      this.trailArn = trailArn;
      this.bucket = bucket;
      this.accessLogsBucket = accessLogsBucket;
      acknowledgeAccessLogsBucket(accessLogsBucket);
      if (props.trailHomeRegion) {
        // One template in several Regions: one multi-Region trail, in the home Region only.
        const inHomeRegion = new CfnCondition(this, 'InTrailHomeRegion', { expression: Fn.conditionEquals(stack.region, props.trailHomeRegion) });
        const trailResources = [this.trail, bucket, bucket.policy, accessLogsBucket, accessLogsBucket.policy]
          .map(c => (c instanceof CfnResource ? c : c?.node.defaultChild));
        for (const resource of trailResources) {
          if (resource instanceof CfnResource) {
            resource.cfnOptions.condition = inHomeRegion;
          }
        }
      }
    }
  }

  /** Fails on props that cannot work, warns on one no longer used, and returns the trail's name. */
  private validate(props: InstanceConnectAuditTrailProps, createTrail: boolean): string {
    if (!createTrail && (props.trailName !== undefined || props.objectLockRetention !== undefined || props.trailHomeRegion !== undefined)) {
      throw validationError(this, 'trailName, trailHomeRegion and objectLockRetention configure the trail; they cannot be set with createTrail: false');
    }
    if (props.existingTrailLogGroup) {
      Annotations.of(this).addWarningV2('cdk-instance-connect-access:existingTrailLogGroupUnused',
        'existingTrailLogGroup is no longer used: the audit captures EC2 Instance Connect events itself and its alarms count EventBridge rule ' +
        'matches, so no metric filter is needed on the organisation trail\'s log group; remove the property');
    }
    if (props.objectLockRetention && !props.objectLockRetention.isUnresolved() && props.objectLockRetention.toDays({ integral: false }) < 1) {
      throw validationError(this, `objectLockRetention must be at least 1 day, got ${props.objectLockRetention.toHumanString()}`);
    }
    if (props.trailHomeRegion && !Token.isUnresolved(props.trailHomeRegion) && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(props.trailHomeRegion)) {
      throw validationError(this, `trailHomeRegion must be a Region name such as us-east-1, got ${show(props.trailHomeRegion)}`);
    }
    const trailName = props.trailName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    // CloudTrail's naming rules: no two of ._- in a row, a letter or digit at both ends, not an IP address.
    if (!Token.isUnresolved(trailName) && (!/^[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?=[A-Za-z0-9])){2,127}$/.test(trailName) || /^\d{1,3}(\.\d{1,3}){3}$/.test(trailName))) {
      throw validationError(this, 'trailName must be 3-128 letters, digits, periods, underscores or dashes, starting and ending with a letter or digit, ' +
        `with no two of ._- in a row, and not an IP address, got ${show(trailName)}`);
    }
    return trailName;
  }

  /**
   * The number of tunnels opened (`OpenTunnel`, refused ones included): EventBridge's free `MatchedEvents` metric of the
   * rule `tunnelsOpenedAlarm` counts, summed over 5 minutes unless `props` says otherwise.
   */
  public metricTunnelsOpened(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.eventAudit.metricMatchedEvents('TunnelsOpened', props);
  }

  /**
   * The number of one-time keys pushed (SSH and serial console, refused ones included): the metric `keysPushedAlarm`
   * counts, summed over 5 minutes unless `props` says otherwise.
   */
  public metricKeysPushed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.eventAudit.metricMatchedEvents('KeysPushed', props);
  }

  /**
   * The number of refused tunnels and key pushes: the metric `accessDeniedAlarm` counts, summed over 5 minutes unless
   * `props` says otherwise.
   */
  public metricAccessDenied(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.eventAudit.metricMatchedEvents('AccessDenied', props);
  }

  private defineTrail(trailName: string, bucket: s3.Bucket, key: kms.Key): cloudtrail.CfnTrail {
    // The L1: the L2 Trail writes its own bucket policy without aws:SourceArn, which would let any trail write.
    // No CloudWatch Logs delivery: that would ingest every management event of the account, at $0.50 a GB.
    const trail = new cloudtrail.CfnTrail(this, 'Trail', {
      trailName,
      isLogging: true,
      s3BucketName: bucket.bucketName,
      kmsKeyId: key.keyArn,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      eventSelectors: [{ readWriteType: 'All', includeManagementEvents: true }],
    });
    // The key is a dependency already (KMSKeyId); the bucket policy must let CloudTrail write before the trail starts.
    trail.node.addDependency(bucket.policy!);
    const reason = 'the trail delivers to S3 only: sending it to CloudWatch Logs would ingest every management event of the account ' +
      '(a cost that grows with unrelated activity); EC2 Instance Connect events are captured in CloudWatch Logs by EventBridge instead';
    for (const id of ['HIPAA.Security-CloudTrailCloudWatchLogsEnabled', 'NIST.800.53.R5-CloudTrailCloudWatchLogsEnabled',
      'PCI.DSS.321-CloudTrailCloudWatchLogsEnabled', 'cdk-validator-cfnguard::cloud_trail_cloud_watch_logs_enabled_check']) {
      acknowledge(trail, id, reason);
    }
    return trail;
  }
}

/** The access-log bucket's own access is not logged: logging it to itself would log forever. */
function acknowledgeAccessLogsBucket(accessLogsBucket: s3.Bucket): void {
  const reason = 'this is the server access log bucket of the trail bucket; logging its own access would loop';
  acknowledge(accessLogsBucket, 'AwsSolutions-S1', reason);
  acknowledge(accessLogsBucket, 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check', reason);
}
