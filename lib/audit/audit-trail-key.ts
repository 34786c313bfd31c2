import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { denyGrantsExceptForAwsServices } from '../private/kms-grants';

/**
 * The customer-managed key of the audit trail: CloudTrail encrypts log files with it for this trail only, the
 * trail's log group is encrypted with it, and it is retained with the logs it protects.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
 */
export function auditTrailKey(scope: Construct, id: string, trailArn: string, logGroupName: string): kms.Key {
  const stack = Stack.of(scope);
  const key = new kms.Key(scope, id, {
    description: `Encrypts the EC2 Instance Connect audit trail ${scope.node.path}`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
  const thisTrail = { 'aws:SourceArn': trailArn };
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudTrailEncryptsThisTrail',
    principals: [cloudTrail],
    actions: ['kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: {
      StringEquals: thisTrail,
      StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${stack.partition}:cloudtrail:*:${stack.account}:trail/*` },
    },
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
      StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${stack.partition}:cloudtrail:*:${stack.account}:trail/*` },
    },
  }));
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudWatchLogsEncryptsTrailLogGroup',
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnEquals: {
        'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      },
    },
  }));
  denyGrantsExceptForAwsServices(key);
  return key;
}
