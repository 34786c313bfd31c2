/**
 * The baseline as a StackSet: the StackSet resource, and the template it carries inline, which must deploy in any
 * account and Region of the organisation with nothing published first.
 */
import * as fs from 'fs';
import { App, Stack, Tags, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  InstanceConnectBaseline, InstanceConnectChecks, InstanceConnectStackSet, InstanceConnectStackSetProps, StackSetCallAs,
  StackSetRegionConcurrency,
} from '../../lib';
import { STRICT_VALIDATION } from '../util';

const OUS = ['ou-ab12-cdef3456', 'ou-ab12-ghij7890'];
const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1'];
const CENTRAL_BUS = 'arn:aws:events:eu-west-1:222222222222:event-bus/instance-connect';

function management(props: Partial<InstanceConnectStackSetProps> = {}) {
  const app = new App({ context: STRICT_VALIDATION });
  const stack = new Stack(app, 'Management', { env: { account: '999988887777', region: 'eu-west-1' } });
  const stackSet = new InstanceConnectStackSet(stack, 'InstanceConnect', { organizationalUnitIds: OUS, regions: REGIONS, ...props });
  return { app, stack, stackSet };
}

/** The StackSet's resource properties and its template, parsed. */
function synthesized(props: Partial<InstanceConnectStackSetProps> = {}) {
  const world = management(props);
  const resource = Object.values(Template.fromStack(world.stack).findResources('AWS::CloudFormation::StackSet'))[0] as any;
  const body: string = resource.Properties.TemplateBody;
  return { ...world, properties: resource.Properties, body, template: JSON.parse(body) };
}

const resourcesOf = (template: any, type: string) => Object.entries<any>(template.Resources).filter(([, r]) => r.Type === type);

describe('InstanceConnectStackSet', () => {
  test('two OUs and three Regions, service-managed, deployed automatically to accounts that join', () => {
    const { properties } = synthesized();
    expect(properties).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      CallAs: 'SELF',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: OUS }, Regions: REGIONS }],
      OperationPreferences: { MaxConcurrentPercentage: 25, FailureTolerancePercentage: 10, RegionConcurrencyType: 'PARALLEL' },
      ManagedExecution: { Active: true },
      Capabilities: ['CAPABILITY_IAM'],
    });
  });

  test('operation preferences, retention on removal and delegated administration are props', () => {
    const { properties } = synthesized({
      retainStacksOnAccountRemoval: true,
      maxConcurrentPercentage: 100,
      failureTolerancePercentage: 0,
      regionConcurrency: StackSetRegionConcurrency.SEQUENTIAL,
      callAs: StackSetCallAs.DELEGATED_ADMIN,
      stackSetName: 'instance-connect',
    });
    expect(properties).toMatchObject({
      StackSetName: 'instance-connect',
      CallAs: 'DELEGATED_ADMIN',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: true },
      OperationPreferences: { MaxConcurrentPercentage: 100, FailureTolerancePercentage: 0, RegionConcurrencyType: 'SEQUENTIAL' },
    });
    const manual = synthesized({ autoDeployment: false }).properties;
    expect(manual.AutoDeployment).toEqual({ Enabled: false });
  });

  test('the template is self-contained: no asset, no custom resource, no bootstrap check, no account or Region literal', () => {
    const { body, template } = synthesized({ baseline: { createTrail: true, trailHomeRegion: 'eu-west-1', centralEventBusArn: CENTRAL_BUS } });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(51_200);
    expect(template.Parameters.BootstrapVersion).toBeUndefined();
    expect(template.Rules?.CheckBootstrapVersion).toBeUndefined();
    const types = new Set(Object.values<any>(template.Resources).map(r => r.Type));
    expect([...types].filter(t => t.startsWith('Custom::') || t.startsWith('AWS::Lambda::') || t === 'AWS::CloudFormation::CustomResource' || t === 'AWS::CDK::Metadata'))
      .toEqual([]);
    expect(body).not.toMatch(/cdk-[a-z0-9]+-(container-)?assets-/);
    // The central bus's ARN and the trail's home Region are the literals the user gave; nothing else names an account
    // or a Region.
    const own = JSON.stringify({ ...template, Conditions: undefined }).split(CENTRAL_BUS).join('');
    expect(own).not.toMatch(/\d{12}/);
    expect(own).not.toMatch(/\b(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d\b/);
    // The trail's home Region is compared with the deploying Region, not baked into resources.
    expect(template.Conditions).toEqual(expect.objectContaining({
      [Object.keys(template.Conditions).find(k => k.includes('InTrailHomeRegion'))!]: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] },
    }));
  });

  test('the VPC and the endpoint\'s subnet are read from SSM parameters at deploy time', () => {
    const { template } = synthesized({ baseline: { vpcIdParameterName: '/landing-zone/vpc/id' } });
    const parameters = Object.values<any>(template.Parameters).map(p => [p.Type, p.Default]);
    expect(parameters).toEqual([
      ['AWS::SSM::Parameter::Value<String>', '/landing-zone/vpc/id'],
      ['AWS::SSM::Parameter::Value<String>', '/instance-connect/endpoint-subnet-id'],
    ]);
    const [[, endpoint]] = resourcesOf(template, 'AWS::EC2::InstanceConnectEndpoint');
    const subnetParameter = Object.entries<any>(template.Parameters).find(([, p]) => p.Default === '/instance-connect/endpoint-subnet-id')![0];
    expect(endpoint.Properties.SubnetId).toEqual({ Ref: subnetParameter });
    // The endpoint's egress goes to the targets group, and the group admits it: no CIDR assumed.
    const [[groupId]] = resourcesOf(template, 'AWS::EC2::SecurityGroup').filter(([id]) => id.includes('TargetsSecurityGroup'));
    expect(resourcesOf(template, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties))
      .toEqual([expect.objectContaining({ GroupId: { 'Fn::GetAtt': [groupId, 'GroupId'] }, FromPort: 22, ToPort: 22 })]);
  });

  test('a grant by tag added to the baseline bounds its tunnels by the VPC\'s CIDR, read from its parameter', () => {
    const { stack, stackSet } = management({ baseline: { vpcCidrParameterName: '/landing-zone/vpc/cidr' } });
    stackSet.baseline.access.addOperatorRole('Fleet', { instanceTags: { team: 'web' }, osUsers: ['ec2-user'] });
    const resource = Object.values<any>(Template.fromStack(stack).findResources('AWS::CloudFormation::StackSet'))[0];
    const template = JSON.parse(resource.Properties.TemplateBody);
    const cidrParameter = Object.entries<any>(template.Parameters).find(([, p]) => p.Default === '/landing-zone/vpc/cidr')![0];
    const tunnel = resourcesOf(template, 'AWS::IAM::ManagedPolicy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
      .find((s: any) => s.Action === 'ec2-instance-connect:OpenTunnel');
    expect(tunnel.Condition.IpAddress).toEqual({ 'ec2-instance-connect:privateIpAddress': [{ Ref: cidrParameter }] });
  });

  test('the control plane names the account\'s VPC, whatever subnets it has', () => {
    const { template } = synthesized();
    const vpcParameter = Object.entries<any>(template.Parameters).find(([, p]) => p.Default === '/instance-connect/vpc-id')![0];
    const statements = [...resourcesOf(template, 'AWS::IAM::Policy'), ...resourcesOf(template, 'AWS::IAM::ManagedPolicy')]
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    const inSubnets = statements.find((s: any) => [s.Action].flat().includes('ec2:CreateInstanceConnectEndpoint') && JSON.stringify(s.Resource).includes(':subnet/'));
    expect(JSON.stringify(inSubnets.Condition.ArnEquals['ec2:Vpc'])).toContain(JSON.stringify({ Ref: vpcParameter }));
  });

  test('each target port gets a group, published in an SSM parameter for the account\'s workloads', () => {
    const { template } = synthesized({ baseline: { targetPorts: [22, 3389], targetsSecurityGroupParameterPrefix: '/eic/targets/' } });
    const names = resourcesOf(template, 'AWS::SSM::Parameter').map(([, r]) => r.Properties.Name).sort();
    expect(names).toEqual(['/eic/targets/22', '/eic/targets/3389']);
    expect(resourcesOf(template, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties.FromPort).sort()).toEqual([22, 3389]);
  });

  test('no trail by default (the organisation trail records the accounts); the account keeps its own record and alarms', () => {
    const { template } = synthesized();
    expect(resourcesOf(template, 'AWS::CloudTrail::Trail')).toEqual([]);
    expect(resourcesOf(template, 'AWS::Logs::LogGroup')).toHaveLength(1);
    expect(resourcesOf(template, 'AWS::Logs::ResourcePolicy')).toHaveLength(1);
    expect(resourcesOf(template, 'AWS::CloudWatch::Alarm')).toHaveLength(3);
  });

  test('with a trail, one multi-Region trail in the home Region only, while the capture runs in every Region', () => {
    const { template } = synthesized({ baseline: { createTrail: true, trailHomeRegion: 'eu-west-1' } });
    const [[, trail]] = resourcesOf(template, 'AWS::CloudTrail::Trail');
    expect(trail.Condition).toMatch(/InTrailHomeRegion/);
    expect(trail.Properties.IsMultiRegionTrail).toBe(true);
    for (const [, bucket] of resourcesOf(template, 'AWS::S3::Bucket')) {
      expect(bucket.Condition).toBe(trail.Condition);
    }
    for (const type of ['AWS::Events::Rule', 'AWS::Logs::LogGroup', 'AWS::CloudWatch::Alarm', 'AWS::KMS::Key']) {
      expect(resourcesOf(template, type).every(([, r]) => r.Condition === undefined)).toBe(true);
    }
  });

  test('events are forwarded to the central bus under a role that may put events there only', () => {
    const { template } = synthesized({ baseline: { centralEventBusArn: CENTRAL_BUS } });
    const forward = resourcesOf(template, 'AWS::Events::Rule').map(([, r]) => r.Properties).find(p => p.Targets[0].Arn === CENTRAL_BUS);
    expect(forward.EventPattern.detail.eventName).toEqual(expect.arrayContaining([
      'OpenTunnel', 'SendSSHPublicKey', 'SendSerialConsoleSSHPublicKey', 'CreateInstanceConnectEndpoint', 'DeleteInstanceConnectEndpoint', 'StopLogging',
    ]));
    const roleId = forward.Targets[0].RoleArn['Fn::GetAtt'][0];
    const [[, policy]] = resourcesOf(template, 'AWS::IAM::ManagedPolicy').filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId));
    expect(policy.Properties.PolicyDocument.Statement).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: CENTRAL_BUS }]);
    expect(template.Resources[roleId].Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'events.amazonaws.com' });
  });

  test('an account re-created in the OU does not collide with the event log its predecessor retained', () => {
    const { template } = synthesized();
    const [[, log]] = resourcesOf(template, 'AWS::Logs::LogGroup');
    expect(log.DeletionPolicy).toBe('Retain');
    expect(JSON.stringify(log.Properties.LogGroupName)).toContain(JSON.stringify({ 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }));
  });

  test('no rule matches an event an account could put itself: every pattern requires an AWS source', () => {
    const { template } = synthesized({ baseline: { centralEventBusArn: CENTRAL_BUS, localAudit: true } });
    const rules = resourcesOf(template, 'AWS::Events::Rule');
    expect(rules.length).toBeGreaterThan(5);
    for (const [, rule] of rules) {
      expect(rule.Properties.EventPattern.source).toEqual([{ prefix: 'aws.' }]);
    }
  });

  test('tags applied to the app reach the baseline\'s resources', () => {
    const { app, stack } = management();
    Tags.of(app).add('cost-centre', 'security');
    const resource = Object.values<any>(Template.fromStack(stack).findResources('AWS::CloudFormation::StackSet'))[0];
    const [[, endpoint]] = resourcesOf(JSON.parse(resource.Properties.TemplateBody), 'AWS::EC2::InstanceConnectEndpoint');
    expect(endpoint.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'cost-centre', Value: 'security' }]));
  });

  test('the baseline passes AwsSolutions and the library\'s own checks', () => {
    const { app, stackSet } = management({ baseline: { createTrail: true, trailHomeRegion: 'eu-west-1', centralEventBusArn: CENTRAL_BUS } });
    Validations.of(stackSet.baseline).addPlugins(new AwsSolutionsChecks(stackSet.baseline), new InstanceConnectChecks(stackSet.baseline));
    expect(() => app.synth()).not.toThrow();
  });

  test('a finding in the baseline fails the app\'s synthesis, naming the baseline', () => {
    const { app, stackSet } = management();
    stackSet.baseline.node.addValidation({ validate: () => ['a deliberate problem'] });
    expect(() => app.synth()).toThrow(/baseline: .*a deliberate problem/s);
  });

  test('the baseline\'s warnings are reported on the StackSet', () => {
    const { stack, stackSet } = management();
    stackSet.baseline.node.addMetadata('aws:cdk:warning', 'a deliberate warning');
    Annotations.fromStack(stack).hasWarning('/Management/InstanceConnect', Match.stringLikeRegexp('a deliberate warning'));
  });

  test('the baseline is synthesized outside the app\'s output directory', () => {
    const { app } = management();
    const assembly = app.synth();
    expect(fs.readdirSync(assembly.directory).filter(f => f.includes('Baseline'))).toEqual([]);
    expect(assembly.stacks.map(s => s.stackName)).toEqual(['Management']);
  });

  test.each<[string, Partial<InstanceConnectStackSetProps>, RegExp]>([
    ['no OU', { organizationalUnitIds: [] }, /organizationalUnitIds must name at least one OU or the root, got \[\]/],
    ['an account ID for an OU', { organizationalUnitIds: ['111122223333'] }, /organizationalUnitIds\[0\] must be an OU ID .* got "111122223333"/],
    ['no Region', { regions: [] }, /regions must name at least one Region, got \[\]/],
    ['a misspelt Region', { regions: ['eu-west1'] }, /regions\[0\] must be a Region name .* got "eu-west1"/],
    ['a Region twice', { regions: ['eu-west-1', 'eu-west-1'] }, /regions must not repeat a Region/],
    ['a bad name', { stackSetName: '1-instance-connect' }, /stackSetName must start with a letter .* got "1-instance-connect"/],
    ['0% concurrency', { maxConcurrentPercentage: 0 }, /maxConcurrentPercentage must be a whole number from 1 to 100, got 0/],
    ['110% tolerance', { failureTolerancePercentage: 110 }, /failureTolerancePercentage must be a whole number from 0 to 100, got 110/],
    ['retention without automatic deployment', { autoDeployment: false, retainStacksOnAccountRemoval: true }, /retainStacksOnAccountRemoval .* needs autoDeployment: true/],
    ['no port', { baseline: { targetPorts: [] } }, /targetPorts must name at least one port, got \[\]/],
    ['a bad port', { baseline: { targetPorts: [22, 70000] } }, /targetPorts\[1\]/],
    ['a home Region without a trail', { baseline: { trailHomeRegion: 'eu-west-1' } }, /trailHomeRegion configures the trail; it needs createTrail: true/],
    ['a trail in three Regions without a home Region', { baseline: { createTrail: true } }, /baseline.trailHomeRegion must name the Region of the multi-Region trail when createTrail deploys to 3 Regions/],
    ['a home Region outside the Regions', { baseline: { createTrail: true, trailHomeRegion: 'ap-south-1' } }, /baseline.trailHomeRegion must be one of regions .* got "ap-south-1"/],
  ])('refuses %s', (_name, props, message) => {
    expect(() => management(props)).toThrow(message);
  });

  test('refuses a baseline option that refers to this app\'s resources', () => {
    const app = new App();
    const stack = new Stack(app, 'Management');
    expect(() => new InstanceConnectStackSet(stack, 'InstanceConnect', {
      organizationalUnitIds: OUS, regions: REGIONS, baseline: { centralEventBusArn: stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'x' }) },
    })).toThrow(/baseline.centralEventBusArn must be a literal/);
  });
});

describe('InstanceConnectBaseline', () => {
  test('deployable on its own with cdk deploy, in one account', () => {
    const app = new App({ context: STRICT_VALIDATION });
    const baseline = new InstanceConnectBaseline(app, 'Baseline', { env: { account: '111122223333', region: 'eu-west-1' } });
    const template = Template.fromStack(baseline);
    template.resourceCountIs('AWS::EC2::InstanceConnectEndpoint', 1);
    template.resourceCountIs('AWS::CloudTrail::Trail', 0);
    expect(baseline.access.endpoint).toBeDefined();
  });
});
