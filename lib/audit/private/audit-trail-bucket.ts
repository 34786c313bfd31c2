import * as crypto from 'crypto';
import { Aws, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../../private/acknowledge';
import { PROTECTED_BUCKET_PREFIX } from '../../private/protected-tag';

/** Log files move to cheaper storage as they age; they are kept, never expired, by the library. */
const INFREQUENT_ACCESS_AFTER = Duration.days(90);
const GLACIER_AFTER = Duration.days(365);

/** What the audit trail's buckets need to know. */
export interface AuditTrailBucketOptions {
  readonly trailArn: string;
  readonly key: kms.IKey;
  readonly objectLockRetention?: Duration;
}

/**
 * The trail's log bucket and the bucket its server access logs go to. Both block public access, refuse plain HTTP,
 * are versioned and are retained when the stack is deleted; only this trail may write log files.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
 */
export function auditTrailBuckets(scope: Construct, options: AuditTrailBucketOptions): { bucket: s3.Bucket; accessLogsBucket: s3.Bucket } {
  const stack = Stack.of(scope);
  const secure = {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    removalPolicy: RemovalPolicy.RETAIN,
    // No ACLs: access-log delivery is granted by bucket policy (see the flag set by the audit trail).
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    // Object Lock can only be turned on at creation; on without a default retention, a retention can come later.
    objectLockEnabled: true,
  };
  const accessLogsBucket = new s3.Bucket(scope, 'AccessLogsBucket', {
    ...secure,
    bucketName: protectedBucketName(scope, 'AccessLogsBucket'),
    // S3 documents default encryption of a server access log destination with S3-managed keys only: "Default
    // server-side encryption with AWS KMS keys (SSE-KMS) is not supported"
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html). A KMS-encrypted
    // destination would also need an unconditioned logging.s3.amazonaws.com statement on the trail's key.
    encryption: s3.BucketEncryption.S3_MANAGED,
    lifecycleRules: [{ transitions: [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: INFREQUENT_ACCESS_AFTER }] }],
  });
  const bucket = new s3.Bucket(scope, 'Bucket', {
    ...secure,
    bucketName: protectedBucketName(scope, 'Bucket'),
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: options.key,
    bucketKeyEnabled: true,
    serverAccessLogsBucket: accessLogsBucket,
    serverAccessLogsPrefix: 'trail-bucket/',
    lifecycleRules: [{
      transitions: [
        { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: INFREQUENT_ACCESS_AFTER },
        { storageClass: s3.StorageClass.GLACIER, transitionAfter: GLACIER_AFTER },
      ],
      noncurrentVersionTransitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: INFREQUENT_ACCESS_AFTER }],
    }],
    objectLockDefaultRetention: options.objectLockRetention !== undefined
      ? s3.ObjectLockRetention.governance(options.objectLockRetention)
      : undefined,
  });

  // Object changes reach EventBridge, for whoever watches tampering with audit data. Set on the L1: the L2's
  // eventBridgeEnabled adds a custom-resource Lambda to do what this property does natively.
  for (const b of [bucket, accessLogsBucket]) {
    (b.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
  }
  restrictToTrail(bucket, accessLogsBucket, options.trailArn, stack.account);
  acknowledgeForced(bucket, accessLogsBucket);
  return { bucket, accessLogsBucket };
}

/** The bucket policies: only this trail writes its log files, and nobody reaches either bucket by an access point. */
function restrictToTrail(bucket: s3.Bucket, accessLogsBucket: s3.Bucket, trailArn: string, account: string): void {
  // Only this trail may check the bucket's ACL and write its log files.
  const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
  const thisTrail = { 'aws:SourceArn': trailArn };
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudTrailAclCheck',
    principals: [cloudTrail],
    actions: ['s3:GetBucketAcl'],
    resources: [bucket.bucketArn],
    conditions: { StringEquals: thisTrail },
  }));
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudTrailWrite',
    principals: [cloudTrail],
    actions: ['s3:PutObject'],
    resources: [bucket.arnForObjects(`AWSLogs/${account}/*`)],
    conditions: { StringEquals: { ...thisTrail, 's3:x-amz-acl': 'bucket-owner-full-control' } },
  }));
  // Requests through an S3 access point carry the access point's ARN, not the bucket's, which guardrails select by
  // name: no access point reaches the log files. This denies nobody the bucket itself.
  for (const b of [bucket, accessLogsBucket]) {
    b.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'NoAccessPoints',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:*'],
      resources: [b.bucketArn, b.arnForObjects('*')],
      conditions: { Null: { 's3:DataAccessPointArn': 'false' } },
    }));
  }
}

/** The other packs' findings AWS forces on audit buckets, each acknowledged with its reason. */
function acknowledgeForced(bucket: s3.Bucket, accessLogsBucket: s3.Bucket): void {
  // Replication needs a destination bucket in another Region or account, which one stack cannot define; organisations
  // replicate to their log-archive account themselves.
  const reason = 'cross-Region replication needs a destination bucket in another Region or account, outside this stack; ' +
    'the logs are versioned, retained on deletion and optionally Object-Locked';
  for (const b of [bucket, accessLogsBucket]) {
    for (const id of ['HIPAA.Security-S3BucketReplicationEnabled', 'NIST.800.53.R5-S3BucketReplicationEnabled', 'PCI.DSS.321-S3BucketReplicationEnabled']) {
      acknowledge(b, id, reason);
    }
  }
  const sseS3Reason = 'S3 server access log delivery supports SSE-S3 default encryption of its destination bucket, not SSE-KMS ' +
    '(S3 User Guide, enabling server access logging); the access logs hold request metadata, the trail\'s own logs are SSE-KMS';
  for (const id of ['HIPAA.Security-S3DefaultEncryptionKMS', 'NIST.800.53.R5-S3DefaultEncryptionKMS', 'PCI.DSS.321-S3DefaultEncryptionKMS',
    'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check']) {
    acknowledge(accessLogsBucket, id, sseS3Reason);
  }
}

/**
 * A bucket name under the prefix guardrails protect (`instance-connect-audit-`): a hash of the construct path, so two
 * audits of one account differ, the first part of the stack's ID, so a stack created again (an account rejoining a
 * StackSet's OU) does not collide with the bucket its predecessor retained, and the account. 53 characters; S3 takes 63.
 */
function protectedBucketName(scope: Construct, id: string): string {
  const path = crypto.createHash('sha256').update(`${scope.node.path}/${id}`).digest('hex').slice(0, 8);
  const stackId = Fn.select(0, Fn.split('-', Fn.select(2, Fn.split('/', Aws.STACK_ID))));
  return `${PROTECTED_BUCKET_PREFIX}${path}-${stackId}-${Aws.ACCOUNT_ID}`;
}
