/**
 * What a protection never denies: each service's reads, and the writes that change nothing the security model
 * depends on. Kept apart from the model of protected resources (`protected-resources.ts`), which re-exports them.
 */

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
