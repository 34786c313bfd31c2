import { Annotations, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { show, validationError } from './errors';

/**
 * The roles IAM Identity Center makes in each account for a permission set:
 * `arn:<partition>:iam::<account>:role/aws-reserved/sso.amazonaws.com/[<region>/]AWSReservedSSO_<name>_<hex>`.
 */
const IDENTITY_CENTER_ROLE = /:role\/aws-reserved\/sso\.amazonaws\.com\/|:role\/(.*\/)?AWSReservedSSO_/;

/**
 * The roles Identity Center makes for a permission set in each account, as one ARN pattern:
 * `AWSReservedSSO_<name>_<suffix>` right after a slash under the aws-reserved path, which only AWS creates roles in,
 * with or without a Region segment (`sso.amazonaws.com/[<region>/]`). The suffix has 16 characters in every role AWS
 * documents, and exactly 16 are matched, so that a permission set named `<name>_<anything>` does not match; should
 * AWS make longer suffixes, its people would be denied, not others let in.
 */
export function permissionSetRolePattern(partition: string, name: string): string {
  return `arn:${partition}:iam::*:role/aws-reserved/*/AWSReservedSSO_${name}_${'?'.repeat(16)}`;
}

/** Whether `arn` is (literally) the ARN of a role IAM Identity Center provisions. */
export function isIdentityCenterRoleArn(arn: string): boolean {
  return IDENTITY_CENTER_ROLE.test(arn);
}

/**
 * Refuses a grant to a role that IAM Identity Center provisions: AWS lets only the service change those roles
 * (`UnmodifiableEntity`), so a policy attached to one cannot deploy. Access for those users is given in the
 * permission set itself. Only a literal ARN can be recognised; an imported role whose ARN is known only at deploy
 * time gets a warning.
 */
export function assertNotIdentityCenterRole(scope: IConstruct, grantee: iam.IGrantable): void {
  const principal = grantee.grantPrincipal as unknown as Partial<iam.IRole>;
  const arn = principal.roleArn;
  if (typeof arn !== 'string') {
    return;
  }
  const definedHere = (principal as Partial<IConstruct>).node?.defaultChild instanceof iam.CfnRole;
  if (Token.isUnresolved(arn)) {
    if (!definedHere) {
      Annotations.of(scope).addWarningV2('cdk-instance-connect-access:roleArnUnknown',
        'grantConnect grantee is an imported role whose ARN is known only at deploy time: if it is an IAM Identity Center role ' +
        '(AWSReservedSSO_*), AWS refuses the policy attachment; give those users access in their permission set (InstanceConnectPermissionSet)');
    }
    return;
  }
  if (isIdentityCenterRoleArn(arn)) {
    throw validationError(scope,
      `grantConnect grantee is an IAM Identity Center role, which only the service may change (UnmodifiableEntity), got ${show(arn)}; ` +
      'give those users access in their permission set instead (InstanceConnectPermissionSet, or the policy of your AWS::SSO::PermissionSet)');
  }
}
