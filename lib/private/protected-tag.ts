import { Tags } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * How `InstanceConnectGuardrails` finds the library's resources in every member account: a tag on those whose
 * services select by tag, an IAM path on roles and managed policies (CloudFormation cannot tag an
 * `AWS::IAM::ManagedPolicy`), a name prefix on buckets (S3 selects buckets by tag only once ABAC is turned on for
 * each) and on log groups (whose streams' actions must be denied too). The guardrails deny changing what carries them, and writing the tag key in any letter case anywhere, to all
 * but the deployers. The resources themselves are listed in lib/organization/private/protected-resources.ts.
 */
export const PROTECTED_TAG = { key: 'instance-connect-access:protected', value: 'true' };

/**
 * The protected tag's value on the targets groups, which workloads join: the guardrails leave launching into them
 * open, and nothing else. The endpoint's own group keeps `true`: an instance in it would reach every target.
 */
export const PROTECTED_TARGETS_TAG_VALUE = 'targets';

/** The prefix of the audit's event log groups, by which guardrails protect them and their streams. */
export const PROTECTED_LOG_GROUP_PREFIX = '/aws/events/instance-connect';

/** The IAM path of the library's roles and managed policies that guardrails protect. */
export const PROTECTED_IAM_PATH = '/instance-connect-access/';

/** The prefix of the audit's bucket names. */
export const PROTECTED_BUCKET_PREFIX = 'instance-connect-audit-';

/**
 * The CloudFormation types that carry the protected tag. Only these: the guardrails leave a tagged resource nothing
 * but its service's reads, so a type the guardrails do not model must never carry it.
 */
export const PROTECTED_BY_TAG_TYPES = [
  'AWS::EC2::SecurityGroup',
  'AWS::KMS::Key',
  'AWS::Events::Rule',
  'AWS::CloudWatch::Alarm',
  'AWS::SNS::Topic',
  'AWS::Events::EventBus',
];

/** Puts the protected tag on every resource of `PROTECTED_BY_TAG_TYPES` in `scope`. */
export function protectByTag(scope: IConstruct): void {
  Tags.of(scope).add(PROTECTED_TAG.key, PROTECTED_TAG.value, { includeResourceTypes: PROTECTED_BY_TAG_TYPES });
}

/** Marks a targets group, whatever `protectByTag` its scopes apply. */
export function protectAsTargetsGroup(group: IConstruct): void {
  Tags.of(group).add(PROTECTED_TAG.key, PROTECTED_TARGETS_TAG_VALUE, { includeResourceTypes: ['AWS::EC2::SecurityGroup'], priority: 200 });
}
