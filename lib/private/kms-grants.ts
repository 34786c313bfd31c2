import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';

/**
 * Denies `kms:CreateGrant` on `key` unless the grant is for an AWS resource or the caller is an AWS service (the AWS
 * Control Tower control CT.KMS.PR.3). The audit keys are used through their key policies only, so this takes nothing
 * away from CloudTrail, CloudWatch Logs, SNS or S3; it stops a principal with `kms:*` from handing the key to others.
 */
export function denyGrantsExceptForAwsServices(key: kms.IKey): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyGrantsExceptForAwsServices',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
}
