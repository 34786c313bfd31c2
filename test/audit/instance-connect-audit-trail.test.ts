import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { eventPatternMatches } from './matchers';
import { InstanceConnectAccess, InstanceConnectAuditTrail } from '../../lib';
import { TemplateWorld } from '../iam/template-world';
import { STRICT_VALIDATION, synthStrict, testStack, testVpc } from '../util';

/** The stack's own ID, as CloudFormation gives it, in the event log's name. */
const STACK_UUID = { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] };

const TRAIL_ARN = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:us-east-1:111122223333:trail/TestAudit-trail']] };

function trail(props = {}) {
  const stack = testStack();
  const audit = new InstanceConnectAuditTrail(stack, 'Audit', { trailName: 'TestAudit-trail', ...props });
  return { stack, audit, template: Template.fromStack(stack) };
}

/** The OpenTunnel record of the EC2 User Guide's example (logging EC2 Instance Connect Endpoint API calls with CloudTrail). */
const OPEN_TUNNEL = {
  eventVersion: '1.08',
  userIdentity: { type: 'IAMUser', accountId: '123456789012', userName: 'IAM-friendly-name' },
  eventTime: '2023-04-11T23:50:40Z',
  eventSource: 'ec2-instance-connect.amazonaws.com',
  eventName: 'OpenTunnel',
  awsRegion: 'us-east-1',
  sourceIPAddress: '1.2.3.4',
  requestParameters: { instanceConnectEndpointId: 'eici-0123456789EXAMPLE', maxTunnelDuration: '3600', remotePort: '22', privateIpAddress: '10.0.1.1' },
  responseElements: null,
  readOnly: false,
  eventType: 'AwsApiCall',
  managementEvent: true,
  eventCategory: 'Management',
};
/** A SendSSHPublicKey record, as CloudTrail logs EC2 Instance Connect's key pushes. */
const SEND_KEY = {
  ...OPEN_TUNNEL,
  eventName: 'SendSSHPublicKey',
  requestParameters: { instanceId: 'i-0123456789abcdef0', instanceOSUser: 'ec2-user', sSHPublicKey: 'ssh-ed25519 AAAA' },
  responseElements: { requestId: 'r-1', success: true },
};
const DENIED_TUNNEL = { ...OPEN_TUNNEL, errorCode: 'AccessDenied', errorMessage: 'User is not authorized to perform: ec2-instance-connect:OpenTunnel' };
const DENIED_KEY = { ...SEND_KEY, errorCode: 'AccessDeniedException', responseElements: null };
/** A serial-console key push: data plane too, a shell without the network. */
const SERIAL_KEY = { ...SEND_KEY, eventName: 'SendSerialConsoleSSHPublicKey' };
const UNRELATED = [
  { ...OPEN_TUNNEL, eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances' },
  { ...OPEN_TUNNEL, eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstanceConnectEndpoints' },
  { ...OPEN_TUNNEL, eventSource: 'ssm.amazonaws.com' }, // same name, another source
  { ...OPEN_TUNNEL, eventSource: 'ssm.amazonaws.com', eventName: 'SendSerialConsoleSSHPublicKey' },
];
const DENIED_UNRELATED = { ...UNRELATED[0], errorCode: 'Client.UnauthorizedOperation' };

/** As EventBridge delivers a CloudTrail record. */
function envelope(record: Record<string, unknown>): Record<string, unknown> {
  return {
    'version': '0',
    'id': '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'AWS API Call via CloudTrail',
    'source': `aws.${String(record.eventSource).split('.')[0]}`,
    'account': '123456789012',
    'time': record.eventTime,
    'region': 'us-east-1',
    'resources': [],
    'detail': record,
  };
}

describe('InstanceConnectAuditTrail', () => {
  describe('the trail', () => {
    test('multi-Region, global events, file validation, KMS, all management events, to S3 only', () => {
      const { stack, audit, template } = trail();

      template.resourceCountIs('AWS::CloudTrail::Trail', 1);
      template.hasResourceProperties('AWS::CloudTrail::Trail', {
        TrailName: 'TestAudit-trail',
        IsLogging: true,
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
        EnableLogFileValidation: true,
        KMSKeyId: stack.resolve(audit.encryptionKey!.keyArn),
        S3BucketName: stack.resolve(audit.bucket!.bucketName),
        EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
      });
      // Not to CloudWatch Logs: that would ingest every management event of the account.
      template.allResourcesProperties('AWS::CloudTrail::Trail', { CloudWatchLogsLogGroupArn: Match.absent(), CloudWatchLogsRoleArn: Match.absent() });
      expect(stack.resolve(audit.trailArn)).toEqual(TRAIL_ARN);
    });

    test('the trail waits for its bucket policy, and for its key through KMSKeyId (no redundant DependsOn, cfn-lint W3005)', () => {
      const { template } = trail();

      template.hasResource('AWS::CloudTrail::Trail', {
        DependsOn: [Match.stringLikeRegexp('AuditBucketPolicy')],
        Properties: Match.objectLike({ KMSKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('AuditKey'), 'Arn'] } }),
      });
    });

    test('trailHomeRegion: in a StackSet, the trail and its buckets exist only in the home Region; the event log everywhere', () => {
      const { template } = trail({ trailHomeRegion: 'eu-west-1' });

      expect(Object.values(template.findConditions('*'))).toEqual([{ 'Fn::Equals': ['us-east-1', 'eu-west-1'] }]);
      const conditioned = Object.entries<any>(template.toJSON().Resources).filter(([, r]) => r.Condition).map(([, r]) => r.Type).sort();
      expect(conditioned).toEqual(['AWS::CloudTrail::Trail', 'AWS::S3::Bucket', 'AWS::S3::Bucket', 'AWS::S3::BucketPolicy', 'AWS::S3::BucketPolicy']);
    });

    test('the default name is unique in the app and valid for CloudTrail', () => {
      const stack = testStack();
      const audit = new InstanceConnectAuditTrail(stack, 'Audit');

      const name = Template.fromStack(stack).findResources('AWS::CloudTrail::Trail')[stack.getLogicalId(audit.trail!)].Properties.TrailName;
      expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/);
      expect(name).toContain('Audit');
    });

    test('no role or policy of its own: the trail needs none without CloudWatch Logs', () => {
      const { template } = trail();

      template.resourceCountIs('AWS::IAM::Role', 0);
      template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
      template.resourceCountIs('AWS::IAM::Policy', 0);
    });

    test('fails on an invalid trail name', () => {
      expect(() => trail({ trailName: '-bad name' })).toThrow(
        'Test/Audit: trailName must be 3-128 letters, digits, periods, underscores or dashes, starting and ending with a letter or digit, with no two of ._- in a row, and not an IP address, got "-bad name"');
    });
  });

  describe('the key', () => {
    test('one key, tagged for the guardrails; it rotates, is retained, and lets CloudTrail use it for this trail only', () => {
      const { template } = trail();

      template.hasResource('AWS::KMS::Key', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({
          EnableKeyRotation: true,
          KeyPolicy: {
            Statement: Match.arrayWith([
              {
                Sid: 'CloudTrailEncryptsThisTrail',
                Effect: 'Allow',
                Principal: { Service: 'cloudtrail.amazonaws.com' },
                Action: 'kms:GenerateDataKey*',
                Resource: '*',
                Condition: {
                  StringEquals: { 'aws:SourceArn': TRAIL_ARN },
                  StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:*:111122223333:trail/*']] } },
                },
              },
              {
                Sid: 'CloudTrailDescribesKey',
                Effect: 'Allow',
                Principal: { Service: 'cloudtrail.amazonaws.com' },
                Action: 'kms:DescribeKey',
                Resource: '*',
                Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN } },
              },
              Match.objectLike({
                Sid: 'CloudWatchLogsEncryptsEventLog',
                Principal: { Service: 'logs.us-east-1.amazonaws.com' },
                Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:111122223333:log-group:/aws/events/instance-connect/Test-Audit-AEBFCB0B-', STACK_UUID]] } } },
              }),
            ]),
          },
          Tags: [{ Key: 'instance-connect-access:protected', Value: 'true' }],
        }),
      });
      template.resourceCountIs('AWS::KMS::Key', 1);
    });
  });

  describe('the buckets', () => {
    test('the log bucket: no public access, TLS only, versioned, KMS, access logs, lifecycle, retained', () => {
      const { stack, audit, template } = trail();
      const logicalId = stack.getLogicalId(audit.bucket!.node.defaultChild as any);

      const bucket = template.toJSON().Resources[logicalId];
      expect(bucket.DeletionPolicy).toBe('Retain');
      expect(bucket.UpdateReplacePolicy).toBe('Retain');
      expect(bucket.Properties).toMatchObject({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
        LoggingConfiguration: { DestinationBucketName: stack.resolve(audit.accessLogsBucket!.bucketName), LogFilePrefix: 'trail-bucket/' },
        LifecycleConfiguration: {
          Rules: [{
            Status: 'Enabled',
            Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 90 }, { StorageClass: 'GLACIER', TransitionInDays: 365 }],
            NoncurrentVersionTransitions: [{ StorageClass: 'GLACIER', TransitionInDays: 90 }],
          }],
        },
      });
      // Object Lock is on (it can only be turned on at creation), with no default retention unless asked for.
      expect(bucket.Properties.ObjectLockEnabled).toBe(true);
      expect(bucket.Properties.ObjectLockConfiguration).toBeUndefined();
      expect(bucket.Properties.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
      expect(bucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    });

    test('the bucket policy lets only this trail write, and refuses plain HTTP', () => {
      const { stack, audit, template } = trail();
      const bucketArn = stack.resolve(audit.bucket!.bucketArn);

      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: stack.resolve(audit.bucket!.bucketName),
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            {
              Sid: 'CloudTrailAclCheck',
              Effect: 'Allow',
              Principal: { Service: 'cloudtrail.amazonaws.com' },
              Action: 's3:GetBucketAcl',
              Resource: bucketArn,
              Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN } },
            },
            {
              Sid: 'CloudTrailWrite',
              Effect: 'Allow',
              Principal: { Service: 'cloudtrail.amazonaws.com' },
              Action: 's3:PutObject',
              Resource: { 'Fn::Join': ['', [bucketArn, '/AWSLogs/111122223333/*']] },
              Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN, 's3:x-amz-acl': 'bucket-owner-full-control' } },
            },
          ]),
        },
      });
      // No statement lets CloudTrail write without naming this trail.
      const policies = template.findResources('AWS::S3::BucketPolicy');
      const cloudTrailStatements = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement)
        .filter((s: any) => s.Principal?.Service === 'cloudtrail.amazonaws.com');
      expect(cloudTrailStatements.every((s: any) => s.Condition.StringEquals['aws:SourceArn'])).toBe(true);
    });

    test('the access-log bucket is secured and retained as well', () => {
      const { stack, audit, template } = trail();
      const bucket = template.toJSON().Resources[stack.getLogicalId(audit.accessLogsBucket!.node.defaultChild as any)];

      expect(bucket.DeletionPolicy).toBe('Retain');
      expect(bucket.Properties).toMatchObject({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
      });
    });

    test('objectLockRetention turns on Object Lock in governance mode', () => {
      const { template } = trail({ objectLockRetention: Duration.days(400) });

      template.hasResourceProperties('AWS::S3::Bucket', {
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 400 } } },
      });
    });

    test('fails on an Object Lock retention under a day', () => {
      expect(() => trail({ objectLockRetention: Duration.hours(2) })).toThrow('objectLockRetention must be at least 1 day, got 2 hours');
    });
  });

  describe('the event log', () => {
    test('only EC2 Instance Connect events, captured by EventBridge: one-year retention by default, encrypted, retained', () => {
      const { stack, audit, template } = trail();

      template.hasResource('AWS::Logs::LogGroup', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        // The stack's ID in the name: a stack created again does not collide with the group its predecessor retained.
        Properties: { LogGroupName: { 'Fn::Join': ['', ['/aws/events/instance-connect/Test-Audit-AEBFCB0B-', STACK_UUID]] }, RetentionInDays: 365, KmsKeyId: stack.resolve(audit.encryptionKey!.keyArn) },
      });
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          'detail-type': ['AWS API Call via CloudTrail'],
          'detail': { eventSource: ['ec2-instance-connect.amazonaws.com'], eventName: ['OpenTunnel', 'SendSSHPublicKey', 'SendSerialConsoleSSHPublicKey'] },
        },
        Targets: [{ Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:111122223333:log-group:/aws/events/instance-connect/Test-Audit-AEBFCB0B-', STACK_UUID]] }, Id: 'Target0' }],
      });
    });

    test('EventBridge writes to it under a native resource policy: no custom resource, no Lambda', () => {
      const { stack, template } = trail();

      const [policy] = Object.values<any>(template.findResources('AWS::Logs::ResourcePolicy'));
      // The document is a JSON string CloudFormation assembles (the partition is a token): read it as deployed.
      const document = JSON.parse(new TemplateWorld(stack).resolve(policy.Properties.PolicyDocument));
      expect(document.Statement).toEqual([{
        Sid: 'EventBridgeWritesConnectEvents',
        Effect: 'Allow',
        Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: 'arn:aws:logs:us-east-1:111122223333:log-group:/aws/events/instance-connect/Test-Audit-AEBFCB0B-0a1b2c3d-4e5f-6789-abcd-ef0123456789:*',
      }]);
      for (const type of ['AWS::Lambda::Function', 'Custom::CloudwatchLogResourcePolicy', 'AWS::CloudFormation::CustomResource']) {
        template.resourceCountIs(type, 0);
      }
    });

    test('logRetention sets the retention', () => {
      const { template } = trail({ logRetention: logs.RetentionDays.TEN_YEARS });

      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 3653 });
    });
  });

  describe('alerts', () => {
    test('an alarm for tunnels, keys and denials on EventBridge\'s own rule metric (no metric filter), to an encrypted topic that refuses plain HTTP', () => {
      const { stack, audit, template } = trail();
      const topic = stack.resolve(audit.alarmTopic.topicArn);
      const rules = template.findResources('AWS::Events::Rule');

      template.resourceCountIs('AWS::Logs::MetricFilter', 0);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
      for (const name of ['TunnelsOpened', 'KeysPushed', 'AccessDenied']) {
        const [ruleId] = Object.keys(rules).find(id => id.startsWith(`Audit${name}Rule`))!.split(' ');
        expect(rules[ruleId].Properties.Targets).toEqual([{ Arn: topic, Id: 'Target0' }]);
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: 'MatchedEvents',
          Namespace: 'AWS/Events',
          Dimensions: [{ Name: 'RuleName', Value: { Ref: ruleId } }],
          Statistic: 'Sum',
          Period: 300,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: [topic],
        });
      }
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: stack.resolve(audit.encryptionKey!.keyArn) });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
            Match.objectLike({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish' }),
          ]),
        },
      });
    });

    test('the alerts key lets CloudWatch alarms and EventBridge publish encrypted messages, as AWS documents (no conditions)', () => {
      const { template } = trail();

      template.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([{
            Sid: 'AlarmsAndEventsPublishEncrypted',
            Effect: 'Allow',
            Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
            Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
            Resource: '*',
          }]),
        },
      });
    });

    test('only this account\'s alarms may publish to the topic (aws:SourceArn), and EventBridge once, without conditions', () => {
      const { stack, audit, template } = trail();

      const policy = Object.values(template.findResources('AWS::SNS::TopicPolicy'))[0].Properties.PolicyDocument;
      const services = (policy.Statement as any[]).filter(st => st.Principal?.Service);
      expect(services).toEqual([
        {
          Sid: 'AlarmsPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: stack.resolve(audit.alarmTopic.topicArn),
          Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:us-east-1:111122223333:alarm:*']] } } },
        },
        {
          Sid: 'EventsPublish',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: stack.resolve(audit.alarmTopic.topicArn),
        },
      ]);
    });

    test('an EventBridge rule on every tunnel and key push (SSH and serial console), to the topic', () => {
      const { stack, audit, template } = trail();

      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          'detail-type': ['AWS API Call via CloudTrail'],
          'detail': { eventSource: ['ec2-instance-connect.amazonaws.com'], eventName: ['OpenTunnel', 'SendSSHPublicKey', 'SendSerialConsoleSSHPublicKey'] },
        },
        State: 'ENABLED',
        Targets: [Match.objectLike({ Arn: stack.resolve(audit.alarmTopic.topicArn) })],
      });
    });

    test('alarmTopic brings your own topic', () => {
      const stack = testStack();
      const topic = sns.Topic.fromTopicArn(stack, 'Mine', 'arn:aws:sns:us-east-1:111122223333:security-alerts');
      new InstanceConnectAuditTrail(stack, 'Audit', { alarmTopic: topic });

      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::SNS::Topic', 0);
      template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: ['arn:aws:sns:us-east-1:111122223333:security-alerts'] });
    });
  });

  describe('the patterns match what CloudTrail records', () => {
    const { stack, audit, template } = trail();
    const rules = template.findResources('AWS::Events::Rule');
    const alarmRules = ['TunnelsOpened', 'KeysPushed', 'AccessDenied'];
    const ruleOf = (id: string) => Object.entries<any>(rules).find(([logicalId]) => logicalId.startsWith(`Audit${id}Rule`))![1].Properties.EventPattern;
    const rulePattern = ruleOf('ConnectEvents');
    void stack; void audit;

    test.each([
      ['TunnelsOpened', OPEN_TUNNEL, true],
      ['TunnelsOpened', DENIED_TUNNEL, true],
      ['TunnelsOpened', SEND_KEY, false],
      ['KeysPushed', SEND_KEY, true],
      ['KeysPushed', DENIED_KEY, true],
      ['KeysPushed', OPEN_TUNNEL, false],
      ['KeysPushed', SERIAL_KEY, true],
      ['AccessDenied', { ...SERIAL_KEY, errorCode: 'AccessDenied' }, true],
      ['AccessDenied', DENIED_TUNNEL, true],
      ['AccessDenied', DENIED_KEY, true],
      ['AccessDenied', OPEN_TUNNEL, false],
      ['AccessDenied', SEND_KEY, false],
      ['AccessDenied', DENIED_UNRELATED, false],
      ['AccessDenied', { ...DENIED_TUNNEL, errorCode: 'Client.UnauthorizedOperation' }, true],
    ])('the %s alarm\'s rule on %#', (name, event, expected) => {
      expect(eventPatternMatches(ruleOf(name as string), envelope(event as Record<string, unknown>))).toBe(expected);
    });

    test.each(UNRELATED.map((e, i) => [i, e] as const))('no alarm counts unrelated event %i', (_i, event) => {
      for (const name of alarmRules) {
        expect(eventPatternMatches(ruleOf(name), envelope(event))).toBe(false);
      }
    });

    test.each([
      ['OpenTunnel', OPEN_TUNNEL, true],
      ['SendSSHPublicKey', SEND_KEY, true],
      ['a denied OpenTunnel', DENIED_TUNNEL, true],
      ['RunInstances', UNRELATED[0], false],
      ['DescribeInstanceConnectEndpoints', UNRELATED[1], false],
      ['OpenTunnel from another source', UNRELATED[2], false],
      ['SendSerialConsoleSSHPublicKey', SERIAL_KEY, true],
      ['SendSerialConsoleSSHPublicKey from another source', UNRELATED[3], false],
    ])('the EventBridge rule on %s: %s', (_name, record, expected) => {
      expect(eventPatternMatches(rulePattern, envelope(record))).toBe(expected);
    });

    // Attacks on the access model and on the audit: rare, so straight to the topic.
    // The key's ARN as CloudFormation would render it in the pattern and CloudTrail in the record.
    const keyArn = 'arn:aws:kms:us-east-1:111122223333:key/0f0e0d0c-audit';
    const alertsKeyArn = stack.resolve((audit.alarmTopic as sns.Topic).masterKey!.keyArn);
    const renderKey = (raw: unknown) => JSON.parse(JSON.stringify(raw)
      .split(JSON.stringify(stack.resolve(audit.encryptionKey!.keyArn))).join(JSON.stringify(keyArn))
      .split(JSON.stringify(alertsKeyArn)).join('"arn:aws:kms:us-east-1:111122223333:key/0f0e0d0c-alerts"'));
    const kmsRecord = (eventName: string, arn: unknown) => ({
      ...OPEN_TUNNEL,
      eventSource: 'kms.amazonaws.com',
      eventName,
      requestParameters: { keyId: 'k' },
      resources: [{ accountId: '111122223333', type: 'AWS::KMS::Key', ARN: arn }],
    });
    test.each([
      ['EndpointChanges', { ...OPEN_TUNNEL, eventSource: 'ec2.amazonaws.com', eventName: 'DeleteInstanceConnectEndpoint' }, true],
      ['EndpointChanges', { ...OPEN_TUNNEL, eventSource: 'ec2.amazonaws.com', eventName: 'ModifyInstanceConnectEndpoint' }, true],
      ['EndpointChanges', { ...OPEN_TUNNEL, eventSource: 'ec2.amazonaws.com', eventName: 'CreateInstanceConnectEndpoint' }, true],
      ['EndpointChanges', UNRELATED[1], false],
      ['TrailTampering', { ...OPEN_TUNNEL, eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging' }, true],
      ['TrailTampering', { ...OPEN_TUNNEL, eventSource: 'cloudtrail.amazonaws.com', eventName: 'DeleteTrail' }, true],
      ['TrailTampering', { ...OPEN_TUNNEL, eventSource: 'cloudtrail.amazonaws.com', eventName: 'UpdateTrail' }, true],
      ['TrailTampering', { ...OPEN_TUNNEL, eventSource: 'cloudtrail.amazonaws.com', eventName: 'PutEventSelectors' }, true],
      ['TrailTampering', { ...OPEN_TUNNEL, eventSource: 'cloudtrail.amazonaws.com', eventName: 'LookupEvents' }, false],
      ['AuditKeyTampering', kmsRecord('DisableKey', keyArn), true],
      ['AuditKeyTampering', kmsRecord('ScheduleKeyDeletion', keyArn), true],
      ['AuditKeyTampering', kmsRecord('DisableKey', 'arn:aws:kms:us-east-1:111122223333:key/another'), false],
      ['AuditKeyTampering', kmsRecord('Decrypt', keyArn), false],
    ])('the %s rule on %#', (id, record, expected) => {
      const rendered = renderKey(ruleOf(id as string));
      expect(eventPatternMatches(rendered, envelope(record as Record<string, unknown>))).toBe(expected);
    });

    test('the tampering rules go to the topic and cost nothing per event: no metric or alarm of their own', () => {
      for (const id of ['EndpointChanges', 'TrailTampering', 'AuditKeyTampering']) {
        const [, rule] = Object.entries<any>(rules).find(([logicalId]) => logicalId.startsWith(`Audit${id}Rule`))!;
        expect(rule.Properties.Targets).toEqual([{ Arn: stack.resolve(audit.alarmTopic.topicArn), Id: 'Target0' }]);
      }
      template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    });
  });

  describe('createTrail: false', () => {
    test('beside an organisation trail: the account still gets its own record and alarms of EC2 Instance Connect events', () => {
      const { template, audit } = trail({ trailName: undefined, createTrail: false });

      template.resourceCountIs('AWS::CloudTrail::Trail', 0);
      template.resourceCountIs('AWS::S3::Bucket', 0);
      template.resourceCountIs('AWS::Logs::LogGroup', 1);
      template.resourceCountIs('AWS::KMS::Key', 1);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
      template.resourceCountIs('AWS::Logs::MetricFilter', 0);
      // The capture, three alarm rules, endpoint changes, trail tampering, and tampering with the audit key.
      template.resourceCountIs('AWS::Events::Rule', 7);
      template.resourceCountIs('AWS::SNS::Topic', 1);
      expect(audit.trail).toBeUndefined();
      expect(audit.logGroup).toBeDefined();
    });

    test('existingTrailLogGroup is no longer needed, and says so', () => {
      const stack = testStack();
      const existing = logs.LogGroup.fromLogGroupName(stack, 'OrgTrail', 'aws-controltower/CloudTrailLogs');
      new InstanceConnectAuditTrail(stack, 'Audit', { createTrail: false, existingTrailLogGroup: existing });

      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::Logs::MetricFilter', 0);
      Annotations.fromStack(stack).hasWarning('/Test/Audit', Match.stringLikeRegexp('existingTrailLogGroup is no longer used'));
    });

    test('fails when trail settings are given without a trail', () => {
      const stack = testStack();
      expect(() => new InstanceConnectAuditTrail(stack, 'Audit', { createTrail: false, objectLockRetention: Duration.days(30) }))
        .toThrow('Test/Audit: trailName, trailHomeRegion and objectLockRetention configure the trail; they cannot be set with createTrail: false');
    });

    test('logRetention applies to the event log, with or without a trail', () => {
      const { template } = trail({ trailName: undefined, createTrail: false, logRetention: logs.RetentionDays.TWO_YEARS });
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 731 });
    });
  });

  describe('in InstanceConnectAccess', () => {
    test('defined by default', () => {
      const stack = testStack();
      const access = new InstanceConnectAccess(stack, 'Access', { vpc: testVpc(stack) });

      expect(access.auditTrail).toBeInstanceOf(InstanceConnectAuditTrail);
      Template.fromStack(stack).resourceCountIs('AWS::CloudTrail::Trail', 1);
    });

    test('auditTrail: false defines none', () => {
      const stack = testStack();
      const access = new InstanceConnectAccess(stack, 'Access', { vpc: testVpc(stack), auditTrail: false });

      expect(access.auditTrail).toBeUndefined();
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CloudTrail::Trail', 0);
      template.resourceCountIs('AWS::Events::Rule', 0);
    });

    test('auditTrailProps reach the trail', () => {
      const stack = testStack();
      new InstanceConnectAccess(stack, 'Access', { vpc: testVpc(stack), auditTrailProps: { createTrail: false } });

      Template.fromStack(stack).resourceCountIs('AWS::CloudTrail::Trail', 0);
    });

    test('fails when auditTrailProps are given with auditTrail: false', () => {
      const stack = testStack();
      expect(() => new InstanceConnectAccess(stack, 'Access', { vpc: testVpc(stack), auditTrail: false, auditTrailProps: {} }))
        .toThrow('auditTrailProps configure the audit trail; they cannot be set with auditTrail: false');
    });
  });

  describe('data safety', () => {
    test('cdk destroy would leave the buckets, the log group and the key', () => {
      const { template } = trail();

      for (const type of ['AWS::S3::Bucket', 'AWS::Logs::LogGroup']) {
        const resources = Object.values(template.findResources(type));
        expect(resources.length).toBeGreaterThan(0);
        for (const resource of resources) {
          expect(resource).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
        }
      }
      template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ Description: Match.stringLikeRegexp('audit') }) });
    });
  });

  describe('compliance', () => {
    const packs: Array<new (scope?: any) => NagPack> = [AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks];

    test.each([
      ['with a trail', {}],
      ['with Object Lock', { objectLockRetention: Duration.days(365) }],
      ['without a trail', { createTrail: false }],
    ])('%s: no open finding in AwsSolutions, HIPAA, NIST 800-53 rev 5 or PCI DSS 3.2.1', (_name, props) => {
      const app = new App({ context: STRICT_VALIDATION });
      const stack = new Stack(app, 'Test', { env: { account: '111122223333', region: 'us-east-1' } });
      new InstanceConnectAuditTrail(stack, 'Audit', props);

      for (const Pack of packs) {
        expect(new Pack(app).validateScope(app).violations.map(v => v.ruleName)).toEqual([]);
      }
      expect(() => synthStrict(stack)).not.toThrow();
    });
  });
});
