/**
 * What synth accepted and an AWS API would refuse, found by reading the API reference of every resource the
 * organisation constructs create: each refused at synth with the property and the value, beside the value that
 * deploys.
 */
import { App, CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  IdentityCenterPrincipal,
  InstanceConnectAuditTrail,
  InstanceConnectBaseline,
  InstanceConnectBaselineProps,
  InstanceConnectCentralAlerts,
  InstanceConnectPermissionSet,
  InstanceConnectPermissionSetProps,
  InstanceConnectStackSet,
} from '../../lib';

const GROUP = '0123456789-a1b2c3d4-0000-0000-0000-000000000000';
const stack = () => new Stack(new App(), 'Org', { env: { account: '999988887777', region: 'eu-west-1' } });
const permissionSet = (props: Partial<InstanceConnectPermissionSetProps> = {}) => new InstanceConnectPermissionSet(stack(), 'Operators', {
  instanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef',
  name: 'InstanceConnect',
  osUsers: ['ec2-user'],
  instanceTagAttributes: { team: 'team' },
  ...props,
});
const baseline = (props: Partial<InstanceConnectBaselineProps> = {}) => new InstanceConnectBaseline(new App(), 'Baseline', props);

describe('IAM Identity Center refuses', () => {
  test('a permission-set description with a character CreatePermissionSet refuses, such as an em dash', () => {
    expect(() => permissionSet({ description: 'EC2 Instance Connect — operators' }))
      .toThrow('props.description must be 1-700 characters of Latin-1 (CreatePermissionSet refuses "—" (U+2014)), got "EC2 Instance Connect — operators"');
    expect(() => permissionSet({ description: 'EC2 Instance Connect - operators, café' })).not.toThrow();
  });

  test('a permission-set description longer than 700 characters', () => {
    expect(() => permissionSet({ description: 'x'.repeat(701) })).toThrow(/props.description must be 1-700 characters/);
  });

  test('a session duration known only at deploy time, which was silently dropped', () => {
    const duration = Duration.minutes(Token.asNumber(new CfnParameter(stack(), 'Minutes', { type: 'Number' })));
    expect(() => permissionSet({ sessionDuration: duration })).toThrow('props.sessionDuration must be known at synth');
    expect(() => permissionSet({ sessionDuration: Duration.hours(2) })).not.toThrow();
  });

  test('an assignment to a group by its name rather than its identity store ID', () => {
    expect(() => permissionSet().assign(IdentityCenterPrincipal.group('Operators'), ['111122223333']))
      .toThrow('assign principal must be a group\'s ID in the identity store (a UUID, or <directory id>-<UUID>), not its name, got "Operators"');
    expect(() => permissionSet().assign(IdentityCenterPrincipal.group(GROUP), ['111122223333'])).not.toThrow();
  });

  test('attributes for access control that leave out an attribute the tag conditions compare: every key push would be denied', () => {
    expect(() => permissionSet({ accessControlAttributes: { department: '${path:enterprise.department}' } }))
      .toThrow('props.accessControlAttributes replaces the instance\'s attributes for access control and leaves out team, which the tag conditions compare');
    expect(() => permissionSet({ accessControlAttributes: { team: '${path:enterprise.department}' } })).not.toThrow();
  });

  test('an attribute key with a character the API refuses', () => {
    expect(() => permissionSet({ accessControlAttributes: { 'team': '${path:enterprise.department}', 'team!': 'x' } }))
      .toThrow('props.accessControlAttributes key must be 1-128 letters, digits, spaces or _.:/=+-@, got "team!"');
  });
});

describe('SSM refuses', () => {
  test.each([
    ['/aws/instance-connect/targets/'],
    ['/AWSfoo/targets/'],
    ['ssm-x'],
    ['/Ssm/targets/'],
  ])('a written parameter whose first part begins with aws or ssm, in any case: %s', (prefix) => {
    expect(() => baseline({ targetsSecurityGroupParameterPrefix: prefix }))
      .toThrow('targetsSecurityGroupParameterPrefix (for port 22) must name an SSM parameter with a first part that does not begin with aws or ssm');
  });

  test('a read parameter may begin with aws (AWS publishes public parameters there), but not hold a space', () => {
    expect(() => baseline({ vpcIdParameterName: '/aws/landing-zone/vpc-id' })).not.toThrow();
    expect(() => baseline({ vpcIdParameterName: '/my param' }))
      .toThrow('vpcIdParameterName must name an SSM parameter with letters, digits and _.-/ only, at most 1,011 characters, got "/my param"');
  });

  test('a parameter path of more than 15 levels, or without its leading slash', () => {
    expect(() => baseline({ targetsSecurityGroupParameterPrefix: `/${'a/'.repeat(15)}` })).toThrow(/at most 15 levels/);
    expect(() => baseline({ targetsSecurityGroupParameterPrefix: 'instance-connect/targets/' })).toThrow(/a path that starts with \//);
    expect(() => baseline({ targetsSecurityGroupParameterPrefix: '/instance-connect/targets/' })).not.toThrow();
  });
});

describe('EventBridge refuses', () => {
  test('a central event bus that is not an event bus ARN', () => {
    expect(() => baseline({ centralEventBusArn: 'instance-connect' }))
      .toThrow('centralEventBusArn must be an event bus ARN such as arn:aws:events:eu-west-1:111111111111:event-bus/instance-connect, got "instance-connect"');
    expect(() => baseline({ centralEventBusArn: 'arn:aws-us-gov:events:us-gov-west-1:111111111111:event-bus/instance-connect' })).not.toThrow();
  });

  test('an event bus Description, which CloudFormation\'s schema lacks outside the commercial partition: none is set', () => {
    const s = new Stack(new App(), 'Security', { env: { account: '222222222222', region: 'eu-west-1' } });
    new InstanceConnectCentralAlerts(s, 'Central', { organizationId: 'o-a1b2c3d4e5' });
    Template.fromStack(s).hasResourceProperties('AWS::Events::EventBus', { Name: 'instance-connect', Description: Match.absent() });
  });
});

describe('CloudFormation StackSets refuse', () => {
  const stackSet = (customise: (b: InstanceConnectBaseline) => void) => {
    const app = new App();
    const management = new Stack(app, 'Management', { env: { account: '999988887777', region: 'eu-west-1' } });
    const set = new InstanceConnectStackSet(management, 'InstanceConnect', { organizationalUnitIds: ['ou-ab12-cdef3456'], regions: ['eu-west-1'] });
    customise(set.baseline);
    return () => app.synth();
  };

  test('a baseline parameter without a default, which the StackSet can never give a value', () => {
    expect(stackSet(b => new CfnParameter(b, 'Team', { type: 'String' })))
      .toThrow('baseline\'s parameters Team have no default, and the StackSet passes no values');
    expect(stackSet(b => new CfnParameter(b, 'Team', { type: 'String', default: 'web' }))).not.toThrow();
  });

  test('a baseline with a transform, which service-managed StackSets cannot run', () => {
    expect(stackSet(b => b.addTransform('AWS::Serverless-2016-10-31'))).toThrow('which service-managed StackSets cannot run');
  });
});

describe('CloudTrail refuses', () => {
  test.each([['my--trail'], ['trail-'], ['192.168.5.4'], ['a_.b']])('the trail name %s', (trailName) => {
    expect(() => new InstanceConnectAuditTrail(stack(), 'Audit', { trailName }))
      .toThrow(`trailName must be 3-128 letters, digits, periods, underscores or dashes, starting and ending with a letter or digit, with no two of ._- in a row, and not an IP address, got "${trailName}"`);
  });

  test('a trail name CloudTrail takes', () => {
    expect(() => new InstanceConnectAuditTrail(stack(), 'Audit', { trailName: 'org.instance-connect_audit1' })).not.toThrow();
  });
});
