import { Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { nagStack, violations } from './utils';
import { InstanceConnectAccess, InstanceConnectEndpoint } from '../../lib';
import { testInstance, testVpc } from '../util';

/** A hand-written VPC, subnet and endpoint with its security group, as L1 resources. */
function l1Endpoint(stack: Stack, id = 'Eice', vpcId = 'Vpc', egress?: ec2.CfnSecurityGroup.EgressProperty[]) {
  const vpc = (stack.node.tryFindChild(vpcId) as ec2.CfnVPC | undefined) ?? new ec2.CfnVPC(stack, vpcId, { cidrBlock: '10.0.0.0/16' });
  const subnet = new ec2.CfnSubnet(stack, `${id}Subnet`, { vpcId: vpc.ref, cidrBlock: `10.0.${stack.node.children.length}.0/24` });
  const sg = new ec2.CfnSecurityGroup(stack, `${id}Sg`, { vpcId: vpc.ref, groupDescription: 'endpoint', securityGroupEgress: egress });
  const endpoint = new ec2.CfnInstanceConnectEndpoint(stack, id, { subnetId: subnet.ref, securityGroupIds: [sg.attrGroupId] });
  return { vpc, subnet, sg, endpoint };
}

const NO_TRAFFIC: ec2.CfnSecurityGroup.EgressProperty = { ipProtocol: 'icmp', cidrIp: '255.255.255.255/32', fromPort: 252, toPort: 86 };

/** A managed policy with the given statements. */
function policy(stack: Stack, id: string, ...statements: object[]): iam.CfnManagedPolicy {
  return new iam.CfnManagedPolicy(stack, id, { policyDocument: { Version: '2012-10-17', Statement: statements } });
}

const ENDPOINT_ARN = 'arn:aws:ec2:us-east-1:111122223333:instance-connect-endpoint/eice-0123456789abcdef0';
const GOOD_TUNNEL = {
  Effect: 'Allow',
  Action: 'ec2-instance-connect:OpenTunnel',
  Resource: ENDPOINT_ARN,
  Condition: {
    NumericEquals: { 'ec2-instance-connect:remotePort': '22' },
    NumericLessThanEquals: { 'ec2-instance-connect:maxTunnelDuration': '3600' },
    IpAddress: { 'aws:SourceIp': '203.0.113.0/24' },
  },
};
const GOOD_KEY = {
  Effect: 'Allow',
  Action: 'ec2-instance-connect:SendSSHPublicKey',
  Resource: 'arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0',
  Condition: { StringEquals: { 'ec2:osuser': 'ec2-user' }, IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
};

describe('EIC1: the endpoint security group allows all outbound traffic (error)', () => {
  test('non-compliant: inline allow-all egress', () => {
    const stack = nagStack();
    l1Endpoint(stack, 'Eice', 'Vpc', [{ ipProtocol: '-1', cidrIp: '0.0.0.0/0' }]);
    expect(violations(stack, 'EIC1')).toEqual(['error Test/EiceSg']);
  });

  test('non-compliant: no egress property at all (the default is allow all)', () => {
    const stack = nagStack();
    l1Endpoint(stack);
    expect(violations(stack, 'EIC1')).toEqual(['error Test/EiceSg']);
  });

  test('non-compliant: a standalone egress of every TCP port to ::/0', () => {
    const stack = nagStack();
    const { sg } = l1Endpoint(stack, 'Eice', 'Vpc', [NO_TRAFFIC]);
    new ec2.CfnSecurityGroupEgress(stack, 'Wide', { groupId: sg.attrGroupId, ipProtocol: 'tcp', fromPort: 0, toPort: 65535, cidrIpv6: '::/0' });
    expect(violations(stack, 'EIC1')).toEqual(['error Test/Wide']);
  });

  test('non-compliant: through the L2 with an allow-all group of your own', () => {
    const stack = nagStack();
    const vpc = testVpc(stack);
    new InstanceConnectEndpoint(stack, 'Endpoint', { vpc, securityGroups: [new ec2.SecurityGroup(stack, 'Open', { vpc })] });
    expect(violations(stack, 'EIC1')).toEqual(['error Test/Open/Resource']);
  });

  test('compliant: the L2 default, and an L1 group with narrow egress', () => {
    const stack = nagStack();
    const vpc = testVpc(stack);
    const endpoint = new InstanceConnectEndpoint(stack, 'Endpoint', { vpc });
    endpoint.allowConnectionsTo(testInstance(stack, vpc));
    const { sg } = l1Endpoint(stack, 'Eice', 'VpcB', [NO_TRAFFIC]);
    new ec2.CfnSecurityGroupEgress(stack, 'Ssh', { groupId: sg.attrGroupId, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '10.0.0.0/16' });
    expect(violations(stack, 'EIC1')).toEqual([]);
  });

  test('other security groups are not the rule\'s business', () => {
    const stack = nagStack();
    new ec2.CfnSecurityGroup(stack, 'Other', { groupDescription: 'x', securityGroupEgress: [{ ipProtocol: '-1', cidrIp: '0.0.0.0/0' }] });
    expect(violations(stack, 'EIC1')).toEqual([]);
  });
});

describe('EIC2: the endpoint security group has inbound rules (warning)', () => {
  test('non-compliant: inline and standalone ingress', () => {
    const stack = nagStack();
    const { sg } = l1Endpoint(stack, 'Eice', 'Vpc', [NO_TRAFFIC]);
    sg.securityGroupIngress = [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '10.0.0.0/8' }];
    new ec2.CfnSecurityGroupIngress(stack, 'In', { groupId: sg.attrGroupId, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '10.0.0.0/8' });
    expect(violations(stack, 'EIC2')).toEqual(['warning Test/EiceSg', 'warning Test/In']);
  });

  test('compliant: the L2 default has none', () => {
    const stack = nagStack();
    new InstanceConnectEndpoint(stack, 'Endpoint', { vpc: testVpc(stack) });
    expect(violations(stack, 'EIC2')).toEqual([]);
  });
});

describe('EIC3: OpenTunnel on every endpoint (error)', () => {
  test.each([
    ['*', '*'],
    ['instance-connect-endpoint/*', 'arn:aws:ec2:us-east-1:111122223333:instance-connect-endpoint/*'],
  ])('non-compliant: on %s', (_name, resource) => {
    const stack = nagStack();
    policy(stack, 'P', { ...GOOD_TUNNEL, Resource: resource });
    expect(violations(stack, 'EIC3')).toEqual(['error Test/P']);
  });

  test('non-compliant: through a service wildcard in lower case', () => {
    const stack = nagStack();
    policy(stack, 'P', { ...GOOD_TUNNEL, Action: 'EC2-Instance-Connect:*', Resource: '*' });
    expect(violations(stack, 'EIC3')).toEqual(['error Test/P']);
  });

  test('compliant: one endpoint, and a Deny on * is no grant', () => {
    const stack = nagStack();
    policy(stack, 'P', GOOD_TUNNEL, { Effect: 'Deny', Action: 'ec2-instance-connect:OpenTunnel', Resource: '*' });
    expect(violations(stack, 'EIC3')).toEqual([]);
  });

  test('compliant: grantOpenTunnel of the L2', () => {
    const stack = nagStack();
    const endpoint = new InstanceConnectEndpoint(stack, 'Endpoint', { vpc: testVpc(stack) });
    endpoint.grantOpenTunnel(new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() }));
    expect(violations(stack, 'EIC3')).toEqual([]);
  });
});

describe('EIC4: OpenTunnel without a remotePort condition (error)', () => {
  test('non-compliant: no condition; NotAction that leaves OpenTunnel allowed', () => {
    const stack = nagStack();
    policy(stack, 'P', { Effect: 'Allow', Action: 'ec2-instance-connect:OpenTunnel', Resource: ENDPOINT_ARN });
    policy(stack, 'Q', { Effect: 'Allow', NotAction: 'ec2:*', Resource: ENDPOINT_ARN });
    expect(violations(stack, 'EIC4')).toEqual(['error Test/P', 'error Test/Q']);
  });

  test('non-compliant: an IfExists port condition lets a request without the key through', () => {
    const stack = nagStack();
    policy(stack, 'P', { ...GOOD_TUNNEL, Condition: { NumericEqualsIfExists: { 'ec2-instance-connect:remotePort': '22' } } });
    expect(violations(stack, 'EIC4')).toEqual(['error Test/P']);
  });

  test('compliant: NumericEquals in any key casing', () => {
    const stack = nagStack();
    policy(stack, 'P', { ...GOOD_TUNNEL, Condition: { NumericEquals: { 'EC2-Instance-Connect:RemotePort': '22' } } });
    expect(violations(stack, 'EIC4')).toEqual([]);
  });
});

describe('EIC5: OpenTunnel without a maxTunnelDuration bound (warning)', () => {
  test('non-compliant: no bound', () => {
    const stack = nagStack();
    policy(stack, 'P', { ...GOOD_TUNNEL, Condition: { NumericEquals: { 'ec2-instance-connect:remotePort': '22' } } });
    expect(violations(stack, 'EIC5')).toEqual(['warning Test/P']);
  });

  test('compliant: NumericLessThanEquals in the documented casing or the action table\'s', () => {
    const stack = nagStack();
    policy(stack, 'P', GOOD_TUNNEL);
    policy(stack, 'Q', { ...GOOD_TUNNEL, Condition: { NumericLessThan: { 'ec2-instance-connect:MaxTunnelDuration': '900' } } });
    expect(violations(stack, 'EIC5')).toEqual([]);
  });
});

describe('EIC6: SendSSHPublicKey without ec2:osuser, or for root (error)', () => {
  test.each([
    ['no ec2:osuser', { ...GOOD_KEY, Condition: undefined }],
    ['root', { ...GOOD_KEY, Condition: { StringEquals: { 'ec2:osuser': ['ec2-user', 'root'] } } }],
    ['a pattern that matches root', { ...GOOD_KEY, Condition: { StringLike: { 'ec2:osuser': 'r*' } } }],
  ])('non-compliant: %s', (_name, statement) => {
    const stack = nagStack();
    policy(stack, 'P', statement);
    expect(violations(stack, 'EIC6')).toEqual(['error Test/P']);
  });

  test('compliant: named users, and a pattern that cannot match root', () => {
    const stack = nagStack();
    policy(stack, 'P', GOOD_KEY, { ...GOOD_KEY, Condition: { StringLike: { 'ec2:osuser': 'app-*' } } });
    expect(violations(stack, 'EIC6')).toEqual([]);
  });

  test('compliant: operator roles of the L3', () => {
    const stack = nagStack();
    const vpc = testVpc(stack);
    const access = new InstanceConnectAccess(stack, 'Access', { vpc });
    access.addOperatorRole('OnCall', { instances: [testInstance(stack, vpc)], osUsers: ['ec2-user'] });
    expect(violations(stack, 'EIC6')).toEqual([]);
  });
});

describe('EIC7: SendSSHPublicKey on every instance without a tag condition (error)', () => {
  test.each([['*'], ['arn:aws:ec2:us-east-1:111122223333:instance/*']])('non-compliant: on %s', (resource) => {
    const stack = nagStack();
    policy(stack, 'P', { ...GOOD_KEY, Resource: resource });
    expect(violations(stack, 'EIC7')).toEqual(['error Test/P']);
  });

  test('compliant: instance/* with an aws:ResourceTag or ec2:ResourceTag condition', () => {
    const stack = nagStack();
    const tagged = (key: string) => ({ ...GOOD_KEY, Resource: 'arn:aws:ec2:us-east-1:111122223333:instance/*', Condition: { StringEquals: { 'ec2:osuser': 'ec2-user', [key]: 'web' } } });
    policy(stack, 'P', tagged('aws:ResourceTag/team'), tagged('ec2:ResourceTag/team'));
    expect(violations(stack, 'EIC7')).toEqual([]);
  });

  test('compliant: the L3\'s tag-based grant', () => {
    const stack = nagStack();
    new InstanceConnectAccess(stack, 'Access', { vpc: testVpc(stack) }).addOperatorRole('T', { instanceTags: { team: 'web' }, osUsers: ['ec2-user'] });
    expect(violations(stack, 'EIC7')).toEqual([]);
  });
});

describe('EIC8: control plane and data plane mixed (error)', () => {
  test('non-compliant: one policy with both', () => {
    const stack = nagStack();
    policy(stack, 'P', GOOD_TUNNEL, { Effect: 'Allow', Action: 'ec2:CreateInstanceConnectEndpoint', Resource: '*' });
    expect(violations(stack, 'EIC8')).toEqual(['error Test/P']);
  });

  test('non-compliant: one role, two managed policies (one by Roles, one by ManagedPolicyArns)', () => {
    const stack = nagStack();
    const role = new iam.CfnRole(stack, 'Role', { assumeRolePolicyDocument: {} });
    const control = policy(stack, 'Control', { Effect: 'Allow', Action: 'ec2:*', Resource: '*' });
    const data = policy(stack, 'Data', GOOD_KEY);
    data.roles = [role.ref];
    role.managedPolicyArns = [control.ref];
    expect(violations(stack, 'EIC8')).toEqual(['error Test/Role']);
  });

  test('compliant: an explicit deny takes the other plane away', () => {
    const stack = nagStack();
    policy(stack, 'P', { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', Action: ['ec2-instance-connect:OpenTunnel', 'ec2-instance-connect:SendSSHPublicKey', 'ec2-instance-connect:SendSerialConsoleSSHPublicKey'], Resource: '*' });
    expect(violations(stack, 'EIC8')).toEqual([]);
  });

  test('non-compliant: a deny that forgets the serial console leaves a data-plane action', () => {
    const stack = nagStack();
    policy(stack, 'P', { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', Action: ['ec2-instance-connect:OpenTunnel', 'ec2-instance-connect:SendSSHPublicKey'], Resource: '*' });
    expect(violations(stack, 'EIC8')).toEqual(['error Test/P']);
  });

  test('compliant: the L3\'s control-plane and operator roles', () => {
    const stack = nagStack();
    const vpc = testVpc(stack);
    const access = new InstanceConnectAccess(stack, 'Access', { vpc });
    access.addOperatorRole('OnCall', { instances: [testInstance(stack, vpc)], osUsers: ['ec2-user'] });
    expect(violations(stack, 'EIC8')).toEqual([]);
  });
});

describe('EIC9: SSH or RDP open to the internet (error)', () => {
  test.each([
    ['SSH from 0.0.0.0/0 inline', { ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '0.0.0.0/0' }],
    ['RDP from ::/0', { ipProtocol: 'tcp', fromPort: 3389, toPort: 3389, cidrIpv6: '::/0' }],
    ['every port', { ipProtocol: 'tcp', fromPort: 0, toPort: 65535, cidrIp: '0.0.0.0/0' }],
    ['every protocol', { ipProtocol: '-1', cidrIp: '0.0.0.0/0' }],
  ])('non-compliant: %s', (_name, rule) => {
    const stack = nagStack();
    new ec2.CfnSecurityGroup(stack, 'Sg', { groupDescription: 'x', securityGroupIngress: [rule] });
    expect(violations(stack, 'EIC9')).toEqual(['error Test/Sg']);
  });

  test('non-compliant: a standalone ingress', () => {
    const stack = nagStack();
    new ec2.CfnSecurityGroupIngress(stack, 'In', { groupId: 'sg-1', ipProtocol: 'tcp', fromPort: 20, toPort: 30, cidrIp: '0.0.0.0/0' });
    expect(violations(stack, 'EIC9')).toEqual(['error Test/In']);
  });

  test('compliant: HTTPS from anywhere, SSH from a range, DNS over UDP', () => {
    const stack = nagStack();
    new ec2.CfnSecurityGroup(stack, 'Sg', {
      groupDescription: 'x',
      securityGroupIngress: [
        { ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '0.0.0.0/0' },
        { ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '10.20.0.0/16' },
        { ipProtocol: 'udp', fromPort: 53, toPort: 53, cidrIp: '0.0.0.0/0' },
      ],
    });
    expect(violations(stack, 'EIC9')).toEqual([]);
  });
});

describe('EIC10: data plane without aws:SourceIp (warning)', () => {
  test('non-compliant: a tunnel grant from anywhere, through the L3', () => {
    const stack = nagStack();
    const vpc = testVpc(stack);
    new InstanceConnectAccess(stack, 'Access', { vpc }).addOperatorRole('Roaming', { instances: [testInstance(stack, vpc)], osUsers: ['ec2-user'] });
    expect(violations(stack, 'EIC10')).toEqual(['warning Test/Access/Roaming/Policy/Resource']);
  });

  test('compliant: every data-plane statement names the source', () => {
    const stack = nagStack();
    policy(stack, 'P', GOOD_TUNNEL, GOOD_KEY, { Effect: 'Allow', Action: 'ec2:DescribeInstances', Resource: '*' });
    expect(violations(stack, 'EIC10')).toEqual([]);
  });
});

describe('EIC11: a public instance beside an endpoint (warning)', () => {
  test('non-compliant: a public IP in the endpoint\'s VPC', () => {
    const stack = nagStack();
    const { subnet } = l1Endpoint(stack, 'Eice', 'Vpc', [NO_TRAFFIC]);
    new ec2.CfnInstance(stack, 'Public', { networkInterfaces: [{ deviceIndex: '0', subnetId: subnet.ref, associatePublicIpAddress: true }] });
    expect(violations(stack, 'EIC11')).toEqual(['warning Test/Public']);
  });

  test('non-compliant: a subnet that maps public IPs', () => {
    const stack = nagStack();
    const vpc = testVpc(stack);
    new InstanceConnectEndpoint(stack, 'Endpoint', { vpc });
    new ec2.Instance(stack, 'Public', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      instanceType: new ec2.InstanceType('t3.micro'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
    expect(violations(stack, 'EIC11')).toEqual(['warning Test/Public/Resource']);
  });

  test('compliant: private instances, and public ones in another VPC', () => {
    const stack = nagStack();
    const vpc = testVpc(stack);
    new InstanceConnectEndpoint(stack, 'Endpoint', { vpc });
    testInstance(stack, vpc);
    const other = new ec2.CfnSubnet(stack, 'OtherSubnet', { vpcId: 'vpc-other', cidrBlock: '10.9.0.0/24' });
    new ec2.CfnInstance(stack, 'Elsewhere', { networkInterfaces: [{ deviceIndex: '0', subnetId: other.ref, associatePublicIpAddress: true }] });
    expect(violations(stack, 'EIC11')).toEqual([]);
  });
});

describe('EIC12: an endpoint and no trail (warning)', () => {
  test('non-compliant: no trail; a trail that excludes management events', () => {
    const stack = nagStack();
    l1Endpoint(stack, 'Eice', 'Vpc', [NO_TRAFFIC]);
    new cloudtrail.CfnTrail(stack, 'DataOnly', { isLogging: true, s3BucketName: 'b', eventSelectors: [{ includeManagementEvents: false }] });
    expect(violations(stack, 'EIC12')).toEqual(['warning Test/Eice']);
  });

  test('compliant: the L3 with its audit trail, or a trail elsewhere in the app', () => {
    const stack = nagStack();
    new InstanceConnectAccess(stack, 'Access', { vpc: testVpc(stack) });
    expect(violations(stack, 'EIC12')).toEqual([]);
  });

  test('non-compliant: the L3 without its trail', () => {
    const stack = nagStack();
    new InstanceConnectAccess(stack, 'Access', { vpc: testVpc(stack), auditTrail: false });
    expect(violations(stack, 'EIC12')).toEqual(['warning Test/Access/Endpoint/Resource']);
  });
});

describe('EIC13: two endpoints in one VPC (error)', () => {
  test('non-compliant: hand-written endpoints in two subnets of one VPC', () => {
    const stack = nagStack();
    l1Endpoint(stack, 'A', 'Vpc', [NO_TRAFFIC]);
    l1Endpoint(stack, 'B', 'Vpc', [NO_TRAFFIC]);
    expect(violations(stack, 'EIC13')).toEqual(['error Test/A', 'error Test/B']);
  });

  test('compliant: one endpoint per VPC', () => {
    const stack = nagStack();
    l1Endpoint(stack, 'A', 'Vpc1', [NO_TRAFFIC]);
    l1Endpoint(stack, 'B', 'Vpc2', [NO_TRAFFIC]);
    expect(violations(stack, 'EIC13')).toEqual([]);
  });
});
