import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { InstanceConnectBaseline } from '../lib';

/*
 * The per-account baseline of an organisation, deployed as one account would receive it from the StackSet, after a
 * landing-zone stack that writes the SSM parameters it reads. What synth cannot know (docs/organizations.md, "What synth cannot
 * know"), asserted after the deployment: a logging trail exists in the account, so EventBridge receives the
 * CloudTrail events the capture rules match; the parameters the baseline reads exist; the capture rule is enabled;
 * the event log's resource policy took one of the account's ten; the targets group is written to its parameter and
 * tagged as the guardrails expect.
 *
 * Deploy (needs an AWS account, see docs/testing.md, "Integration tests"):
 *   npx cdk deploy --app "npx ts-node -P test/tsconfig.json --prefer-ts-exts integ/integ.baseline.ts" --all
 */
const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });

// What the landing zone provides in each account: the VPC, and its IDs in SSM parameters.
const landing = new Stack(app, 'InstanceConnectLandingZoneInteg');
const vpc = new ec2.Vpc(landing, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
});
new ssm.StringParameter(landing, 'VpcId', { parameterName: '/instance-connect/vpc-id', stringValue: vpc.vpcId });
new ssm.StringParameter(landing, 'EndpointSubnetId', { parameterName: '/instance-connect/endpoint-subnet-id', stringValue: vpc.isolatedSubnets[0].subnetId });

const baseline = new InstanceConnectBaseline(app, 'InstanceConnectBaselineInteg');
baseline.addDependency(landing);

const integ = new IntegTest(app, 'Baseline', { testCases: [landing, baseline] });

// EventBridge receives CloudTrail's management events only while some trail with logging enabled exists in the
// account (an organisation trail counts); the baseline makes none by default.
integ.assertions.awsApiCall('CloudTrail', 'describeTrails', { includeShadowTrails: true })
  .expect(ExpectedResult.objectLike({ trailList: Match.arrayWith([Match.objectLike({ IsMultiRegionTrail: true })]) }));

// The capture rule is enabled, and its log group's resource policy exists.
const rule = baseline.access.auditTrail?.connectEventsRule;
if (!rule) {
  throw new Error('the baseline defined no audit: this test expects the local audit of a baseline without a central bus');
}
integ.assertions.awsApiCall('EventBridge', 'describeRule', { Name: rule.ruleName })
  .expect(ExpectedResult.objectLike({ State: 'ENABLED' }));
integ.assertions.awsApiCall('CloudWatchLogs', 'describeResourcePolicies', {})
  .expect(ExpectedResult.objectLike({ resourcePolicies: Match.arrayWith([Match.objectLike({ policyName: Match.stringLikeRegexp('-events$') })]) }));

// The targets group the account's workloads join: written to its parameter, tagged for the guardrails.
integ.assertions.awsApiCall('SSM', 'getParameter', { Name: '/instance-connect/targets-security-group/22' })
  .expect(ExpectedResult.objectLike({ Parameter: { Value: Match.stringLikeRegexp('^sg-') } }));
integ.assertions.awsApiCall('EC2', 'describeSecurityGroups', {
  Filters: [{ Name: 'tag:instance-connect-access:protected', Values: ['targets'] }],
}).expect(ExpectedResult.objectLike({ SecurityGroups: Match.arrayWith([Match.objectLike({ GroupName: Match.stringLikeRegexp('TargetsSecurityGroup') })]) }));

app.synth();
