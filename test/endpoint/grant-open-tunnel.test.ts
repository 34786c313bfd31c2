import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { InstanceConnectEndpoint, OpenTunnelOptions } from '../../lib';
import { testInstance, testStack, testVpc } from '../util';

function grant(options?: OpenTunnelOptions) {
  const stack = testStack();
  const vpc = testVpc(stack);
  const endpoint = new InstanceConnectEndpoint(stack, 'Endpoint', { vpc });
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
  endpoint.grantOpenTunnel(role, options);
  return { stack, vpc, endpoint, role };
}

function statements(stack: Stack): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

describe('InstanceConnectEndpoint.grantOpenTunnel', () => {
  test('default: OpenTunnel on this endpoint\'s ARN, port 22, tunnels up to one hour', () => {
    const { stack, endpoint } = grant();

    expect(statements(stack)).toEqual([{
      Action: 'ec2-instance-connect:OpenTunnel',
      Effect: 'Allow',
      Resource: stack.resolve(endpoint.instanceConnectEndpointArn),
      Condition: {
        NumericEquals: { 'ec2-instance-connect:remotePort': '22' },
        NumericLessThanEquals: { 'ec2-instance-connect:maxTunnelDuration': '3600' },
      },
    }]);
  });

  test('every option becomes its condition key with its operator', () => {
    const { stack, endpoint } = grant({
      remotePorts: [22, 3389],
      privateIpAddresses: ['10.0.1.0/28', '10.0.2.7'],
      maxTunnelDuration: Duration.minutes(15),
      sourceIpRanges: ['203.0.113.0/24'],
    });

    expect(statements(stack)).toEqual([{
      Action: 'ec2-instance-connect:OpenTunnel',
      Effect: 'Allow',
      Resource: stack.resolve(endpoint.instanceConnectEndpointArn),
      Condition: {
        NumericEquals: { 'ec2-instance-connect:remotePort': ['22', '3389'] },
        NumericLessThanEquals: { 'ec2-instance-connect:maxTunnelDuration': '900' },
        IpAddress: {
          'ec2-instance-connect:privateIpAddress': ['10.0.1.0/28', '10.0.2.7'],
          'aws:SourceIp': '203.0.113.0/24',
        },
      },
    }]);
  });

  test('IPv6 addresses and ranges are accepted', () => {
    const { stack } = grant({ privateIpAddresses: ['2001:db8::/64'], sourceIpRanges: ['2001:db8:1::1'] });

    expect(statements(stack)[0].Condition.IpAddress).toEqual({
      'ec2-instance-connect:privateIpAddress': '2001:db8::/64',
      'aws:SourceIp': '2001:db8:1::1',
    });
  });

  test('an instance\'s private IP (a token) passes through unvalidated', () => {
    const stack = testStack();
    const vpc = testVpc(stack);
    const endpoint = new InstanceConnectEndpoint(stack, 'Endpoint', { vpc });
    const instance = testInstance(stack, vpc);
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });

    endpoint.grantOpenTunnel(role, { privateIpAddresses: [instance.instancePrivateIp] });

    expect(statements(stack)[0].Condition.IpAddress).toEqual({
      'ec2-instance-connect:privateIpAddress': stack.resolve(instance.instancePrivateIp),
    });
  });

  test('returns a grant that reports success on a principal with a policy', () => {
    const stack = testStack();
    const endpoint = new InstanceConnectEndpoint(stack, 'Endpoint', { vpc: testVpc(stack) });
    const g = endpoint.grantOpenTunnel(new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() }));
    expect(g.success).toBe(true);
  });

  test('a port the service does not tunnel is a warning', () => {
    const { stack } = grant({ remotePorts: [8080] });

    Annotations.fromStack(stack).hasWarning('/Test/Endpoint', Match.stringLikeRegexp(
      'remotePorts\\[0\\] is 8080: EC2 Instance Connect Endpoint tunnels only ports 22 and 3389'));
    expect(statements(stack)[0].Condition.NumericEquals).toEqual({ 'ec2-instance-connect:remotePort': '8080' });
  });

  test.each([
    [{ remotePorts: [] }, 'grantOpenTunnel options.remotePorts must not be empty, got []'],
    [{ remotePorts: [0] }, 'grantOpenTunnel options.remotePorts[0] must be an integer from 1 to 65535, got 0'],
    [{ remotePorts: [22, 65536] }, 'grantOpenTunnel options.remotePorts[1] must be an integer from 1 to 65535, got 65536'],
    [{ remotePorts: [22.5] }, 'grantOpenTunnel options.remotePorts[0] must be an integer from 1 to 65535, got 22.5'],
    [{ privateIpAddresses: [] }, 'grantOpenTunnel options.privateIpAddresses must not be empty, got []'],
    [{ privateIpAddresses: ['10.0.0.0/33'] }, 'grantOpenTunnel options.privateIpAddresses[0] must be an IPv4 or IPv6 address or CIDR, got "10.0.0.0/33"'],
    [{ sourceIpRanges: ['203.0.113.0/24', '203.0.113.256'] }, 'grantOpenTunnel options.sourceIpRanges[1] must be an IPv4 or IPv6 address or CIDR, got "203.0.113.256"'],
    [{ maxTunnelDuration: Duration.millis(500) }, 'grantOpenTunnel options.maxTunnelDuration must be a whole number of seconds from 1 second to 1 hour, got 500 millis'],
    [{ maxTunnelDuration: Duration.hours(2) }, 'grantOpenTunnel options.maxTunnelDuration must be a whole number of seconds from 1 second to 1 hour, got 2 hours'],
  ] as Array<[OpenTunnelOptions, string]>)('fails on %j', (options, message) => {
    expect(() => grant(options)).toThrow(`Test/Endpoint: ${message}`);
  });

  test.each([
    [{ remotePorts: [1, 65535] }],
    [{ privateIpAddresses: ['10.0.0.0/32', '10.0.0.0/0', '::1/128'] }],
    [{ maxTunnelDuration: Duration.seconds(1) }],
    [{ maxTunnelDuration: Duration.hours(1) }],
  ] as Array<[OpenTunnelOptions]>)('accepts the valid neighbour %j', (options) => {
    expect(() => grant(options)).not.toThrow();
  });
});

describe('InstanceConnectEndpoint.grantManage', () => {
  test('describe on *, modify and delete on this endpoint only', () => {
    const stack = testStack();
    const endpoint = new InstanceConnectEndpoint(stack, 'Endpoint', { vpc: testVpc(stack) });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });

    endpoint.grantManage(role);

    expect(statements(stack)).toEqual([
      { Action: 'ec2:DescribeInstanceConnectEndpoints', Effect: 'Allow', Resource: '*' },
      {
        Action: ['ec2:ModifyInstanceConnectEndpoint', 'ec2:DeleteInstanceConnectEndpoint'],
        Effect: 'Allow',
        Resource: stack.resolve(endpoint.instanceConnectEndpointArn),
      },
    ]);
  });
});
