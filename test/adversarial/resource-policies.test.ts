/**
 * 9. The audit's resource policies (KMS keys, S3 buckets, the SNS topic), evaluated with the validated simulator
 * (`runSimulation`) as AWS services acting for this account and for another. Every service statement carries the
 * condition keys AWS documents for its delivery path; where AWS documents none, the statement is unbound, and the
 * list of those is pinned here and stated in the README.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Template } from 'aws-cdk-lib/assertions';
import { InstanceConnectAccess } from '../../lib';
import { ACCOUNT, REGION, TemplateWorld } from '../iam/template-world';
import { testStack, testVpc } from '../util';

const OTHER_ACCOUNT = '444455556666';

const stack = testStack();
const access = new InstanceConnectAccess(stack, 'Access', { vpc: testVpc(stack) });
const audit = access.auditTrail!;
const world = new TemplateWorld(stack);
const resources = Template.fromStack(stack).toJSON().Resources as Record<string, any>;
const logicalId = (c: any) => stack.getLogicalId((c.node.defaultChild ?? c) as any);
/** The resource policy of a bucket or topic: the policy resource that names it in Bucket or Topics. */
const policyOf = (type: string, owner: string) => {
  const names = (r: any) => [r.Properties.Bucket, ...(r.Properties.Topics ?? [])].some((ref: any) => ref?.Ref === owner);
  return world.resolve(Object.values(resources).find((r: any) => r.Type === type && names(r))!.Properties.PolicyDocument);
};

// One key for the trail, the event log and the topic.
const trailKey = world.resolve(resources[logicalId(audit.encryptionKey)].Properties.KeyPolicy);
const eventLogPolicy = JSON.parse(world.resolve(Object.values<any>(resources).find(r => r.Type === 'AWS::Logs::ResourcePolicy').Properties.PolicyDocument));
const trailBucket = policyOf('AWS::S3::BucketPolicy', logicalId(audit.bucket));
const accessLogsBucket = policyOf('AWS::S3::BucketPolicy', logicalId(audit.accessLogsBucket));
const topic = policyOf('AWS::SNS::TopicPolicy', logicalId(audit.alarmTopic));

const trailArn = world.resolve(stack.resolve(audit.trailArn));
const trailKeyArn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${world.resolve(stack.resolve(audit.encryptionKey!.keyId))}`;
const bucketName = world.resolve(stack.resolve(audit.bucket!.bucketName));
const topicArn = world.resolve(stack.resolve(audit.alarmTopic.topicArn));
const logGroupName = world.resolve(stack.resolve(audit.logGroup!.logGroupName));

async function asService(principal: string, action: string, resource: string, resourcePolicy: any, context: Record<string, string>) {
  const result = await runSimulation({
    request: { principal, action, resource: { resource, accountId: ACCOUNT }, contextVariables: context },
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy,
  }, {});
  if (result.resultType !== 'single') {
    throw new Error(`simulation did not run: ${JSON.stringify(result)}`);
  }
  return result.overallResult;
}

/**
 * The same question for key policies whose conditions use `kms:EncryptionContext:<key>` (`aws:cloudtrail:arn`,
 * `aws:logs:arn`): the validated simulator (0.1.173) drops every such context key as unknown, which would make
 * those statements fail for a reason that has nothing to do with the policy. A condition key's name is opaque to
 * the operators, so the key is renamed to one the simulator keeps (`aws:PrincipalTag/…`), the same way in the
 * policy and in the request: the answer is the one the original key would get.
 */
function asServiceByKeyPolicy(principal: string, action: string, resource: string, keyPolicy: any, context: Record<string, string>) {
  const rename = (key: string) => key.replace(/^kms:EncryptionContext:(.*)$/i, (_m, name: string) => `aws:PrincipalTag/kmscontext${name.replace(/[^A-Za-z0-9]/g, '')}`);
  const renamed = JSON.parse(JSON.stringify(keyPolicy), function (this: unknown, _k, v) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).map(([k, value]) => [rename(k), value]));
    }
    return v;
  });
  return asService(principal, action, resource, renamed, Object.fromEntries(Object.entries(context).map(([k, v]) => [rename(k), v])));
}

const fromTrail = (account: string) => ({
  'aws:SourceArn': trailArn.replace(ACCOUNT, account),
  'aws:SourceAccount': account,
  'kms:EncryptionContext:aws:cloudtrail:arn': trailArn.replace(ACCOUNT, account),
});
const CASES: Array<[string, () => Promise<string>, string]> = [
  ['CloudTrail encrypts this trail\'s logs with the trail key',
    () => asServiceByKeyPolicy('cloudtrail.amazonaws.com', 'kms:GenerateDataKey', trailKeyArn, trailKey, fromTrail(ACCOUNT)), 'Allowed'],
  ['CloudTrail, for another account\'s trail, encrypts with the trail key',
    () => asServiceByKeyPolicy('cloudtrail.amazonaws.com', 'kms:GenerateDataKey', trailKeyArn, trailKey, fromTrail(OTHER_ACCOUNT)), 'ImplicitlyDenied'],
  ['CloudTrail, for another account\'s trail (validated simulator)',
    () => asService('cloudtrail.amazonaws.com', 'kms:GenerateDataKey', trailKeyArn, trailKey, fromTrail(OTHER_ACCOUNT)), 'ImplicitlyDenied'],
  ['CloudTrail, for another trail of this account, encrypts with the trail key',
    () => asServiceByKeyPolicy('cloudtrail.amazonaws.com', 'kms:GenerateDataKey', trailKeyArn, trailKey, { ...fromTrail(ACCOUNT), 'aws:SourceArn': `${trailArn}-other` }), 'ImplicitlyDenied'],
  ['CloudWatch Logs encrypts the trail\'s log group with the trail key',
    () => asServiceByKeyPolicy(`logs.${REGION}.amazonaws.com`, 'kms:Encrypt', trailKeyArn, trailKey,
      { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${logGroupName}` }), 'Allowed'],
  ['CloudWatch Logs encrypts another account\'s log group with the trail key',
    () => asServiceByKeyPolicy(`logs.${REGION}.amazonaws.com`, 'kms:Encrypt', trailKeyArn, trailKey,
      { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${REGION}:${OTHER_ACCOUNT}:log-group:${logGroupName}` }), 'ImplicitlyDenied'],
  ['S3 log delivery (for any account) encrypts with the trail key',
    () => asService('logging.s3.amazonaws.com', 'kms:GenerateDataKey', trailKeyArn, trailKey,
      { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': 'arn:aws:s3:::someone-elses-bucket' }), 'ImplicitlyDenied'],
  ['CloudTrail writes this trail\'s log files',
    () => asService('cloudtrail.amazonaws.com', 's3:PutObject', `arn:aws:s3:::${bucketName}/AWSLogs/${ACCOUNT}/CloudTrail/x.json.gz`, trailBucket,
      { ...fromTrail(ACCOUNT), 's3:x-amz-acl': 'bucket-owner-full-control' }), 'Allowed'],
  ['CloudTrail, for another account\'s trail, writes log files to the bucket',
    () => asService('cloudtrail.amazonaws.com', 's3:PutObject', `arn:aws:s3:::${bucketName}/AWSLogs/${ACCOUNT}/CloudTrail/x.json.gz`, trailBucket,
      { ...fromTrail(OTHER_ACCOUNT), 's3:x-amz-acl': 'bucket-owner-full-control' }), 'ImplicitlyDenied'],
  ['CloudTrail, for another account\'s trail, reads the bucket ACL',
    () => asService('cloudtrail.amazonaws.com', 's3:GetBucketAcl', `arn:aws:s3:::${bucketName}`, trailBucket, fromTrail(OTHER_ACCOUNT)), 'ImplicitlyDenied'],
  ['S3 delivers the trail bucket\'s access logs',
    () => asService('logging.s3.amazonaws.com', 's3:PutObject', `${world.resolve(stack.resolve(audit.accessLogsBucket!.bucketArn))}/trail-bucket/x`,
      accessLogsBucket, { 'aws:SourceArn': `arn:aws:s3:::${bucketName}`, 'aws:SourceAccount': ACCOUNT }), 'Allowed'],
  ['S3, for another account\'s bucket, delivers access logs to the access-log bucket',
    () => asService('logging.s3.amazonaws.com', 's3:PutObject', `${world.resolve(stack.resolve(audit.accessLogsBucket!.bucketArn))}/trail-bucket/x`,
      accessLogsBucket, { 'aws:SourceArn': 'arn:aws:s3:::someone-elses-bucket', 'aws:SourceAccount': OTHER_ACCOUNT }), 'ImplicitlyDenied'],
  ['an alarm of this account publishes to the alerts topic',
    () => asService('cloudwatch.amazonaws.com', 'sns:Publish', topicArn, topic,
      { 'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:TunnelsOpened`, 'aws:SourceAccount': ACCOUNT }), 'Allowed'],
  ['an alarm of another account publishes to the alerts topic',
    () => asService('cloudwatch.amazonaws.com', 'sns:Publish', topicArn, topic,
      { 'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:${OTHER_ACCOUNT}:alarm:Spam`, 'aws:SourceAccount': OTHER_ACCOUNT }), 'ImplicitlyDenied'],
];

describe('9. service principals of another account are refused by the audit\'s resource policies', () => {
  test.each(CASES.map(([name, run, expected]) => [name, run, expected] as const))('%s', async (_name, run, expected) => {
    expect(await run()).toEqual(expected);
  });

  test('the only unbound service statements are those AWS documents without conditions (listed in the README)', () => {
    const unbound = [['audit key', trailKey], ['trail bucket', trailBucket],
      ['access-log bucket', accessLogsBucket], ['alerts topic', topic], ['event log', eventLogPolicy]]
      .flatMap(([name, policy]) => (policy.Statement as any[])
        .filter(st => st.Effect === 'Allow' && st.Principal?.Service && st.Condition === undefined)
        .map(st => `${name}: ${[st.Principal.Service].flat().join(', ')} ${[st.Action].flat().join(', ')}`));
    expect(unbound).toEqual([
      'audit key: cloudwatch.amazonaws.com, events.amazonaws.com kms:GenerateDataKey*, kms:Decrypt',
      'alerts topic: events.amazonaws.com sns:Publish',
      'event log: events.amazonaws.com, delivery.logs.amazonaws.com logs:CreateLogStream, logs:PutLogEvents',
    ]);
  });
});
