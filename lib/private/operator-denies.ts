import * as iam from 'aws-cdk-lib/aws-iam';
import { conditionValue } from './condition-values';
import { CONTROL_PLANE_ACTIONS, OS_USER_KEY, SEND_SSH_PUBLIC_KEY, TAG_KEYS_KEY, TAG_WRITE_ACTIONS } from './vocabulary';

/**
 * The denies every operator policy carries, whether an IAM policy (`grantConnect`, operator roles) or a permission
 * set's inline policy: one definition, so that the two cannot drift apart.
 */

/** No key push for `root`. IgnoreCase: OS user names are case-sensitive on Linux, but a policy should not bet on how a service compares. */
export function denyRootLogin(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'DenyRootLogin',
    effect: iam.Effect.DENY,
    actions: [SEND_SSH_PUBLIC_KEY],
    resources: ['*'],
    conditions: { StringEqualsIgnoreCase: { [OS_USER_KEY]: 'root' } },
  });
}

/**
 * Access follows the tags, so whoever holds the grant must not be able to move them. IAM matches the key of
 * `aws:ResourceTag/<key>` without regard to case while EC2 tag keys are case-sensitive: a tag `TEAM=web` satisfies a
 * grant on `team=web`, so every letter case of the keys is denied; and `ec2:DeleteTags` without a tag list deletes
 * every tag of the resource while carrying no `aws:TagKeys`.
 *
 * @param tagKeys the access tag keys (a token list passes through)
 */
export function denyAccessTagChanges(tagKeys: string[]): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'DenyAccessTagChanges',
      effect: iam.Effect.DENY,
      actions: TAG_WRITE_ACTIONS,
      resources: ['*'],
      conditions: { 'ForAnyValue:StringEqualsIgnoreCase': { [TAG_KEYS_KEY]: conditionValue(tagKeys) } },
    }),
    new iam.PolicyStatement({
      sid: 'DenyDeletingEveryTag',
      effect: iam.Effect.DENY,
      actions: ['ec2:DeleteTags'],
      resources: ['*'],
      conditions: { Null: { [TAG_KEYS_KEY]: 'true' } },
    }),
  ];
}

/** Operators connect; they do not create, change or delete endpoints. */
export function denyControlPlane(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'DenyControlPlane',
    effect: iam.Effect.DENY,
    actions: CONTROL_PLANE_ACTIONS,
    resources: ['*'],
  });
}
