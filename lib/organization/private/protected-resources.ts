import {
  PROTECTED_BUCKET_PREFIX, PROTECTED_IAM_PATH, PROTECTED_LOG_GROUP_PREFIX, PROTECTED_TAG, PROTECTED_TARGETS_TAG_VALUE,
} from '../../private/protected-tag';

/**
 * The model behind `InstanceConnectGuardrails`: every resource whose change would widen EC2 Instance Connect access or
 * silence its audit, how a guardrail selects it, the actions without a resource type that change it too, and who
 * may change it. The service control policies are generated from this model, and the guardrails' proof
 * (test/organization/guardrails-matrix.test.ts) takes every action of each resource type from AWS's Service
 * Authorization Reference and evaluates it against them: adding a resource here is all it takes to protect it and
 * prove it.
 *
 * A protection denies every action on the resource except its service's reads (`READ_ACTIONS`) and the few writes
 * that change nothing (`ALLOWED_ON_PURPOSE`), as a `NotAction`: an action AWS adds later is denied until it is
 * listed there.
 */
export interface ProtectedResource {
  /** What it is, for people. */
  readonly description: string;

  /** Its resource types in the Service Authorization Reference, as `<service>:<resource type>`. */
  readonly resourceTypes: string[];

  /**
   * The statement that protects it. Resources protected by one statement share its selection (ARN patterns, or the
   * protected tag under the same condition key) and `changedBy`.
   */
  readonly sid: string;

  /** Selected by these ARN patterns (names or paths the library gives it, or every resource of the type). */
  readonly arns?: string[];

  /**
   * Selected by the protected tag (`PROTECTED_TAG`) under this condition-key prefix (`aws:ResourceTag/`), which the
   * constructs put on it (`protectByTag`). The proof checks that the Service Authorization Reference lists the key for each type.
   */
  readonly tagConditionPrefix?: string;

  /** With a tag selection, the tag's value. @default PROTECTED_TAG.value */
  readonly tagValue?: string;

  /** With a tag selection, the CloudFormation types the constructs tag (`PROTECTED_BY_TAG_TYPES`). */
  readonly cloudFormationTypes?: string[];

  /** Actions without a resource type in the Service Authorization Reference that change it too. */
  readonly resourceless?: string[];

  /**
   * Actions on other resources that point them at this one (a rule's target, a log delivery's destination), by the
   * condition key that names it: denied to all but who may change it, where the key names one of `arns`.
   */
  readonly referencedBy?: Reference[];

  /** Who may change it: the deployers, or with `cdk`, the deployers and the CDK deploy role that passes its role. */
  readonly changedBy: 'deployers' | 'cdk';

  /** Actions also left to everyone on this resource, besides reads and `ALLOWED_ON_PURPOSE`, and why. */
  readonly alsoAllowed?: AllowedOnPurpose;
}

/** An action that points another resource at a protected one, and the condition key that carries its ARN. */
export interface Reference {
  readonly action: string;
  readonly conditionKey: string;
}

/** What the model depends on: the guardrails' principals and options. */
export interface ProtectionScope {
  /** The partition, for ARN patterns. */
  readonly partition: string;
  /** The exempt roles' ARN patterns that a member account could create or act as (IAM roles outside aws-reserved). */
  readonly exemptRoles: string[];
  /** The connect principals' ARN patterns that are IAM roles outside aws-reserved. */
  readonly connectRoles: string[];
  /** Whether the CDK's execution role is exempt. */
  readonly cdk: boolean;
  /** The prefixes of the SSM parameters the baselines read and write (`/instance-connect/`). */
  readonly parameterPrefixes: string[];
}

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

/** The protected resources for `scope`. */
export function protectedResources(scope: ProtectionScope): ProtectedResource[] {
  const arn = (service: string, resource: string, regional = true) =>
    `arn:${scope.partition}:${service}:${regional ? '*' : ''}:${service === 's3' ? '' : '*'}:${resource}`;
  const path = PROTECTED_IAM_PATH.replace(/^\//, '');
  const byTag = { sid: 'ProtectedByTagOnlyForDeployers', tagConditionPrefix: RESOURCE_TAG, changedBy: 'deployers' as const };
  const byName = { sid: 'ProtectedByNameOnlyForDeployers', changedBy: 'deployers' as const };
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

/**
 * Each service's reads, as patterns: never denied by a protection, so auditors read logs, trails and keys. The proof
 * checks that they match every Read and List action of the protected types, and no other.
 */
export const READ_ACTIONS: Record<string, string[]> = {
  'ec2': ['ec2:Describe*', 'ec2:ValidateSecurityGroupQuotasForInterface'],
  'ec2-instance-connect': [],
  'cloudtrail': ['cloudtrail:Get*', 'cloudtrail:ListInsightsData', 'cloudtrail:ListTags'],
  's3': ['s3:Get*', 's3:List*', 's3:AllowVendedLogDeliveryForResource'],
  'kms': ['kms:Describe*', 'kms:Get*', 'kms:List*'],
  'logs': ['logs:Describe*', 'logs:Get*', 'logs:List*', 'logs:FilterLogEvents', 'logs:StartLiveTail', 'logs:StartQuery', 'logs:Unmask'],
  'events': ['events:Describe*', 'events:List*'],
  'cloudwatch': ['cloudwatch:Describe*', 'cloudwatch:List*'],
  'sns': ['sns:Get*', 'sns:List*'],
  'iam': ['iam:Get*', 'iam:List*', 'iam:GenerateServiceLastAccessedDetails', 'iam:SimulatePrincipalPolicy'],
  'sts': [],
  'ssm': ['ssm:Get*', 'ssm:ListTagsForResource'],
  'cloudformation': ['cloudformation:Describe*', 'cloudformation:Get*', 'cloudformation:List*', 'cloudformation:Detect*'],
  'rolesanywhere': ['rolesanywhere:Get*', 'rolesanywhere:List*'],
};

/** Actions left to everyone on purpose, and why. */
export interface AllowedOnPurpose {
  readonly actions: string[];
  readonly reason: string;
}

/**
 * Actions the Service Authorization Reference classes as Write that change nothing the security model depends on,
 * left to everyone on every protected resource of their service: denying them would deny the product or its audit.
 * (SCPs do not apply to service principals or service-linked roles either: CloudTrail writing log files and using the
 * key, CloudWatch Logs encrypting the event log, EventBridge writing it, publishing to the topic and assuming the
 * forwarding role.)
 */
export const ALLOWED_ON_PURPOSE: AllowedOnPurpose[] = [
  {
    actions: ['ec2-instance-connect:OpenTunnel'],
    reason: 'the data plane itself; who may use it is the data-plane guardrail\'s to decide',
  },
  {
    actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:GenerateMac', 'kms:Sign', 'kms:Verify*', 'kms:DeriveSharedSecret'],
    reason: 'using the key changes nothing: auditors decrypt the trail\'s SSE-KMS log files, publishers encrypt',
  },
  {
    actions: ['sns:Publish'],
    reason: 'publishing adds an alert and removes none',
  },
  {
    actions: ['events:PutEvents'],
    reason: 'the forwarding path: events reach the central bus, and rules match only events with an aws. source',
  },
  {
    actions: ['cloudtrail:CreateTrail', 'cloudtrail:StartLogging'],
    reason: 'another trail, or turning one on, records more, never less',
  },
];

/** Every action of `ALLOWED_ON_PURPOSE`. */
export const ALLOWED_ON_PURPOSE_ACTIONS = ALLOWED_ON_PURPOSE.flatMap(a => a.actions);

/** The tag whose key a protection by tag compares, under its condition-key prefix. */
export function tagCondition(resource: ProtectedResource): Record<string, string> {
  return { [`${resource.tagConditionPrefix}${PROTECTED_TAG.key}`]: resource.tagValue ?? PROTECTED_TAG.value };
}

/** The service of a `<service>:<resource type>` or `<service>:<action>`. */
export function serviceOf(name: string): string {
  return name.split(':')[0];
}
