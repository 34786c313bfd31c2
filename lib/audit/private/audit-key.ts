import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { denyGrantsExceptForAwsServices } from '../../private/kms-grants';

/** What the audit's key encrypts. */
export interface AuditKeyOptions {
  /** The trail's ARN, when the audit defines a trail: CloudTrail encrypts its log files for this trail only. */
  readonly trailArn?: string;
  /** The name of the log group of the captured events, which CloudWatch Logs encrypts. */
  readonly logGroupName: string;
  /** The path of the audit construct the key belongs to, named in the key's description. */
  readonly auditPath: string;
}

/**
 * The one customer-managed key of the audit: the trail's log files (CloudTrail, for this trail only), the log group
 * of the captured events (CloudWatch Logs, for that group only) and the alerts topic (statements added by the
 * topic). One key costs $1 a month; a second would protect the same records from the same principals. Retained with
 * the logs it protects.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function auditKey(scope: Construct, id: string, options: AuditKeyOptions): kms.Key {
  const stack = Stack.of(scope);
  const key = new kms.Key(scope, id, {
    description: `Encrypts the EC2 Instance Connect audit of ${options.auditPath}`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  if (options.trailArn) {
    const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    const thisTrail = { 'aws:SourceArn': options.trailArn };
    const anyTrailOfThisAccount = `arn:${stack.partition}:cloudtrail:*:${stack.account}:trail/*`;
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudTrailEncryptsThisTrail',
      principals: [cloudTrail],
      actions: ['kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: thisTrail, StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': anyTrailOfThisAccount } },
    }));
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudTrailDescribesKey',
      principals: [cloudTrail],
      actions: ['kms:DescribeKey'],
      resources: ['*'],
      conditions: { StringEquals: thisTrail },
    }));
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AccountReadsLogFiles',
      principals: [new iam.AccountRootPrincipal()],
      actions: ['kms:Decrypt', 'kms:ReEncryptFrom'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'kms:CallerAccount': stack.account },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': anyTrailOfThisAccount },
      },
    }));
  }
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudWatchLogsEncryptsEventLog',
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnEquals: {
        'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
          service: 'logs', resource: 'log-group', resourceName: options.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    },
  }));
  denyGrantsExceptForAwsServices(key);
  return key;
}
