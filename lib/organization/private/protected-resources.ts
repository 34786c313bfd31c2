import { ProtectedResource, ProtectionScope } from './protected-resource-types';
import {
  PROTECTED_BUCKET_PREFIX, PROTECTED_IAM_PATH, PROTECTED_LOG_GROUP_PREFIX, PROTECTED_TAG, PROTECTED_TARGETS_TAG_VALUE,
} from '../../private/protected-tag';

export type { ProtectedResource, ProtectionScope, Reference } from './protected-resource-types';
export { ALLOWED_ON_PURPOSE, ALLOWED_ON_PURPOSE_ACTIONS, READ_ACTIONS } from './allowed-actions';
export type { AllowedOnPurpose } from './allowed-actions';

/** The CDK bootstrap's role that `cdk deploy` assumes, and which alone passes the execution role to CloudFormation. */
export const CDK_DEPLOY_ROLE = 'cdk-*-deploy-role-*';
/** The CDK bootstrap's CloudFormation execution role. */
export const CDK_EXECUTION_ROLE = 'cdk-*-cfn-exec-role-*';
/** The role service-managed StackSets act as in every member account (created by StackSets' service-linked role). */
export const STACKSETS_EXECUTION_ROLE = 'stacksets-exec-*';

/** The statement of every resource's resource-less actions (a resource with no resource type has only those). */
export const RESOURCELESS_SID = 'ResourcelessChangesOnlyForDeployers';

/** The resource-type condition key prefix of tags, which every tag-selected type here lists. */
const RESOURCE_TAG = 'aws:ResourceTag/';

/** How the model's entries select resources: ARN patterns of the partition, by tag, by name. */
interface Selectors {
  readonly arn: (service: string, resource: string, regional?: boolean) => string;
  readonly byTag: { readonly sid: string; readonly tagConditionPrefix: string; readonly changedBy: 'deployers' };
  readonly byName: { readonly sid: string; readonly changedBy: 'deployers' };
}

/** The protected resources for `scope`: the network path, the audit, and who may deploy or act as a deployer. */
export function protectedResources(scope: ProtectionScope): ProtectedResource[] {
  const selectors: Selectors = {
    arn: (service, resource, regional = true) =>
      `arn:${scope.partition}:${service}:${regional ? '*' : ''}:${service === 's3' ? '' : '*'}:${resource}`,
    byTag: { sid: 'ProtectedByTagOnlyForDeployers', tagConditionPrefix: RESOURCE_TAG, changedBy: 'deployers' },
    byName: { sid: 'ProtectedByNameOnlyForDeployers', changedBy: 'deployers' },
  };
  return [...networkPath(selectors), ...audit(selectors), ...deployers(scope, selectors)];
}

/** The endpoints and the security groups that carry the network path. */
function networkPath({ arn, byTag, byName }: Selectors): ProtectedResource[] {
  return [
    {
      ...byName,
      description: 'EC2 Instance Connect Endpoints: every one, since the control plane is the deployers\' alone',
      resourceTypes: ['ec2:instance-connect-endpoint', 'ec2-instance-connect:instance-connect-endpoint'],
      arns: [arn('ec2', 'instance-connect-endpoint/*')],
    },
    {
      ...byTag,
      description: 'the endpoints\' security groups, which nothing else may join: an instance in one reaches every target',
      resourceTypes: ['ec2:security-group'],
      cloudFormationTypes: ['AWS::EC2::SecurityGroup'],
    },
    {
      ...byTag,
      sid: 'TargetsGroupsOnlyForDeployers',
      tagValue: PROTECTED_TARGETS_TAG_VALUE,
      description: 'the targets groups workloads join',
      resourceTypes: ['ec2:security-group'],
      cloudFormationTypes: ['AWS::EC2::SecurityGroup'],
      alsoAllowed: {
        actions: [
          'ec2:RunInstances', 'ec2:CreateNetworkInterface', 'ec2:ModifyInstanceAttribute', 'ec2:ModifyNetworkInterfaceAttribute',
          'ec2:CreateFleet', 'ec2:RequestSpotFleet', 'ec2:RequestSpotInstances', 'ec2:ImportInstance', 'ec2:AttachClassicLinkVpc',
        ],
        reason: 'workloads join the targets groups: putting an instance or interface in one changes none of its rules',
      },
    },
  ];
}

/** What records, keeps and alerts on access: trails, buckets, key, event log, rules, alarms, topic, buses. */
function audit(selectors: Selectors): ProtectedResource[] {
  return [...auditRecords(selectors), ...auditAlerts(selectors)];
}

function auditRecords({ arn, byTag, byName }: Selectors): ProtectedResource[] {
  return [
    {
      ...byName,
      // EventBridge receives CloudTrail's management events only while some trail with logging enabled exists in the
      // account, so stopping any trail, not only the audit's, silences the capture.
      description: 'CloudTrail trails: every one',
      resourceTypes: ['cloudtrail:trail'],
      arns: [arn('cloudtrail', 'trail/*')],
    },
    {
      ...byName,
      description: 'the trail\'s bucket, its log files, and its access-log bucket',
      resourceTypes: ['s3:bucket', 's3:object'],
      arns: [arn('s3', `${PROTECTED_BUCKET_PREFIX}*`, false)],
    },
    {
      ...byTag,
      description: 'the audit key, which encrypts the trail, the event log and the topic',
      resourceTypes: ['kms:key'],
      cloudFormationTypes: ['AWS::KMS::Key'],
    },
    {
      ...byName,
      description: 'the event log groups and their streams, and the resource policy that lets EventBridge write them',
      resourceTypes: ['logs:log-group', 'logs:log-stream'],
      arns: [arn('logs', `log-group:${PROTECTED_LOG_GROUP_PREFIX}*`)],
      // The log's resource policy lets EventBridge and log delivery write it (as AWS documents for a rule's log-group
      // target), so a rule or a delivery of anyone's aimed at it would forge records.
      referencedBy: [
        { action: 'events:PutTargets', conditionKey: 'events:TargetArn' },
        { action: 'logs:PutDeliveryDestination', conditionKey: 'logs:DeliveryDestinationResourceArn' },
      ],
      resourceless: ['logs:PutResourcePolicy', 'logs:DeleteResourcePolicy', 'logs:PutAccountPolicy', 'logs:DeleteAccountPolicy'],
    },
  ];
}

/** What captures and alerts: rules, alarms, topic, the central bus and the default bus. */
function auditAlerts({ arn, byTag, byName }: Selectors): ProtectedResource[] {
  return [
    {
      ...byTag,
      description: 'the rules that capture, alarm and forward, with their targets',
      resourceTypes: ['events:rule-on-default-event-bus', 'events:rule-on-custom-event-bus'],
      cloudFormationTypes: ['AWS::Events::Rule'],
    },
    {
      ...byTag,
      description: 'the alarms on tunnels, key pushes and refusals',
      resourceTypes: ['cloudwatch:alarm'],
      cloudFormationTypes: ['AWS::CloudWatch::Alarm'],
    },
    {
      ...byTag,
      description: 'the alerts topic and its subscriptions',
      resourceTypes: ['sns:topic'],
      cloudFormationTypes: ['AWS::SNS::Topic'],
    },
    {
      ...byTag,
      description: 'the central event bus and its policy',
      resourceTypes: ['events:event-bus'],
      cloudFormationTypes: ['AWS::Events::EventBus'],
      resourceless: ['events:PutPermission', 'events:RemovePermission'],
    },
    {
      ...byName,
      // Its encryption key and dead-letter queue are the account's to set: a key disabled later stops delivery.
      description: 'the default event bus, which receives the CloudTrail events the capture rules match',
      resourceTypes: ['events:event-bus'],
      arns: [arn('events', 'event-bus/default')],
    },
  ];
}

/**
 * Whoever could become a deployer or act as one: identity providers, Roles Anywhere, StackSets, the library's roles,
 * the baseline's parameters, the exempt and connect roles, the CDK's roles, and the organisation membership.
 */
function deployers(scope: ProtectionScope, selectors: Selectors): ProtectedResource[] {
  return [...identities(scope, selectors), ...exemptions(scope, selectors)];
}

/** Identity providers, Roles Anywhere, StackSets, the library's roles and the baseline's parameters. */
function identities(scope: ProtectionScope, { arn, byName }: Selectors): ProtectedResource[] {
  const path = PROTECTED_IAM_PATH.replace(/^\//, '');
  return [
    {
      ...byName,
      // AssumeRoleWithSAML and AssumeRoleWithWebIdentity are signed by the identity provider, not by a principal of the
      // account: whoever controls a provider's metadata or thumbprints signs in as any role that trusts it, exempt
      // roles included.
      description: 'the account\'s SAML and OIDC identity providers: every one',
      resourceTypes: ['iam:saml-provider', 'iam:oidc-provider'],
      arns: [arn('iam', 'saml-provider/*', false), arn('iam', 'oidc-provider/*', false)],
    },
    {
      ...byName,
      // Roles Anywhere's CreateSession is signed with a certificate, not by a principal of the account: whoever controls
      // a trust anchor's certificate authority signs in as any role that trusts rolesanywhere.amazonaws.com.
      description: 'IAM Roles Anywhere\'s trust anchors, profiles and revocation lists: every one',
      resourceTypes: ['rolesanywhere:trust-anchor', 'rolesanywhere:profile', 'rolesanywhere:crl'],
      arns: [arn('rolesanywhere', 'trust-anchor/*'), arn('rolesanywhere', 'profile/*'), arn('rolesanywhere', 'crl/*')],
    },
    {
      ...byName,
      // A StackSet deploys as the StackSets execution role, a deployer, in every account it targets.
      description: 'CloudFormation StackSets: every one, and the stacks they make in member accounts',
      resourceTypes: ['cloudformation:stackset', 'cloudformation:stackset-target', 'cloudformation:stack'],
      arns: [arn('cloudformation', 'stackset/*'), arn('cloudformation', 'stackset-target/*'), arn('cloudformation', 'stack/StackSet-*')],
      resourceless: ['cloudformation:CreateStackSet'],
    },
    {
      ...byName,
      description: `the library's roles and managed policies under the path ${PROTECTED_IAM_PATH}: the role that forwards events to the central bus`,
      resourceTypes: ['iam:role', 'sts:role', 'iam:policy'],
      arns: [arn('iam', `role/${path}*`, false), arn('iam', `policy/${path}*`, false)],
    },
    {
      ...byName,
      description: 'the baseline\'s SSM parameters: the VPC and subnet the endpoint is built in, and the targets groups\' IDs',
      resourceTypes: ['ssm:parameter'],
      arns: scope.parameterPrefixes.map(prefix => arn('ssm', `parameter/${prefix.replace(/^\//, '')}*`)),
    },
  ];
}

/** The exempt roles, the connect roles, the CDK's roles, and the organisation membership. */
function exemptions(scope: ProtectionScope, { arn, byName }: Selectors): ProtectedResource[] {
  return [
    {
      ...byName,
      description: 'the exempt roles themselves: nobody else creates, changes, passes or assumes them',
      resourceTypes: ['iam:role', 'sts:role'],
      arns: [...scope.exemptRoles, ...(scope.cdk ? [arn('iam', `role/${CDK_DEPLOY_ROLE}`, false)] : [])],
    },
    ...(scope.connectRoles.length > 0 ? [{
      sid: 'ConnectRolesOnlyFromDeployers',
      changedBy: 'deployers' as const,
      description: 'the connect principals\' roles: their trust policy decides who assumes them, and only deployers change it',
      resourceTypes: ['iam:role', 'sts:role'],
      arns: scope.connectRoles,
      alsoAllowed: {
        actions: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'],
        reason: 'a connect principal is assumed by the people its trust policy names; the guardrails keep that policy the deployers\'',
      },
    }] : []),
    ...(scope.cdk ? [{
      // CloudFormation acts as a stack's role for anyone who may operate the stack, without iam:PassRole
      // (CreateChangeSet, RoleARN), so operating stacks is acting as the execution role.
      sid: 'CdkExecutionOnlyThroughDeployers',
      changedBy: 'cdk' as const,
      description: 'the CDK execution role, and every CloudFormation stack, which may act as it',
      resourceTypes: ['iam:role', 'sts:role', 'cloudformation:stack'],
      arns: [arn('iam', `role/${CDK_EXECUTION_ROLE}`, false), arn('cloudformation', 'stack/*')],
    }] : []),
    {
      sid: RESOURCELESS_SID,
      changedBy: 'deployers' as const,
      description: 'the account\'s membership of the organisation, without which no guardrail applies',
      resourceTypes: [],
      resourceless: ['organizations:LeaveOrganization'],
    },

  ];
}

/** The tag whose key a protection by tag compares, under its condition-key prefix. */
export function tagCondition(resource: ProtectedResource): Record<string, string> {
  return { [`${resource.tagConditionPrefix}${PROTECTED_TAG.key}`]: resource.tagValue ?? PROTECTED_TAG.value };
}

/** The service of a `<service>:<resource type>` or `<service>:<action>`. */
export function serviceOf(name: string): string {
  return name.split(':')[0];
}
