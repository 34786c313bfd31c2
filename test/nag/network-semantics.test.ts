import { App, Aws, CfnCondition, CfnResource, Fn, Stack, StackProps } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { violations } from './utils';
import { conditionNames, inWorld, worlds } from '../../lib/private/semantics/condition-worlds';
import { blamed, everyTcpPortToInternet, portToInternet, Rule } from '../../lib/private/semantics/security-group-rules';

/**
 * The network rules (EIC1, EIC9, EIC11, EIC12) decided as EC2 and CloudTrail apply the resources: cases the corpus
 * cannot hold (apps of several stacks and Regions, aws-cdk-lib's L2 output), and the rule algebra itself.
 */

/** A hand-written VPC, subnet and endpoint with a security group whose only egress is SSH to the VPC. */
function endpoint(stack: Stack, id = 'Eice'): { vpc: ec2.CfnVPC; subnet: ec2.CfnSubnet } {
  const vpc = new ec2.CfnVPC(stack, `${id}Vpc`, { cidrBlock: '10.0.0.0/16' });
  const subnet = new ec2.CfnSubnet(stack, `${id}Subnet`, { vpcId: vpc.ref, cidrBlock: '10.0.1.0/24' });
  const sg = new ec2.CfnSecurityGroup(stack, `${id}Sg`, {
    vpcId: vpc.ref,
    groupDescription: 'endpoint',
    securityGroupEgress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '10.0.0.0/16' }],
  });
  new ec2.CfnInstanceConnectEndpoint(stack, id, { subnetId: subnet.ref, securityGroupIds: [sg.attrGroupId] });
  return { vpc, subnet };
}

function trail(stack: Stack, id: string, props: Partial<cloudtrail.CfnTrailProps> = {}): cloudtrail.CfnTrail {
  return new cloudtrail.CfnTrail(stack, id, { isLogging: true, s3BucketName: 'trail-bucket', ...props });
}

function stackIn(app: App, id: string, env?: StackProps['env']): Stack {
  return new Stack(app, id, { env });
}

describe('EIC12: a trail records the Regions and accounts it covers', () => {
  const ACCOUNT = '111122223333';

  test('a single-Region trail in another Region does not record the endpoint\'s Region', () => {
    const app = new App();
    const east = stackIn(app, 'East', { account: ACCOUNT, region: 'us-east-1' });
    endpoint(east);
    trail(stackIn(app, 'West', { account: ACCOUNT, region: 'eu-west-1' }), 'Trail', { isMultiRegionTrail: false });
    expect(violations(east, 'EIC12')).toEqual(['warning East/Eice']);
  });

  test('a trail without IsMultiRegionTrail is single-Region (CloudFormation\'s default)', () => {
    const app = new App();
    const east = stackIn(app, 'East', { account: ACCOUNT, region: 'us-east-1' });
    endpoint(east);
    trail(stackIn(app, 'West', { account: ACCOUNT, region: 'eu-west-1' }), 'Trail');
    expect(violations(east, 'EIC12')).toEqual(['warning East/Eice']);
  });

  test('a single-Region trail in the endpoint\'s Region, in another stack, records it', () => {
    const app = new App();
    const east = stackIn(app, 'East', { account: ACCOUNT, region: 'us-east-1' });
    endpoint(east);
    trail(stackIn(app, 'Audit', { account: ACCOUNT, region: 'us-east-1' }), 'Trail', { isMultiRegionTrail: false });
    expect(violations(east, 'EIC12')).toEqual([]);
  });

  test('a multi-Region trail in another Region of the partition records it', () => {
    const app = new App();
    const east = stackIn(app, 'East', { account: ACCOUNT, region: 'us-east-1' });
    endpoint(east);
    trail(stackIn(app, 'West', { account: ACCOUNT, region: 'eu-west-1' }), 'Trail', { isMultiRegionTrail: true });
    expect(violations(east, 'EIC12')).toEqual([]);
  });

  test('a multi-Region trail in another partition does not', () => {
    const app = new App();
    const east = stackIn(app, 'East', { account: ACCOUNT, region: 'us-east-1' });
    endpoint(east);
    trail(stackIn(app, 'China', { account: ACCOUNT, region: 'cn-north-1' }), 'Trail', { isMultiRegionTrail: true });
    expect(violations(east, 'EIC12')).toEqual(['warning East/Eice']);
  });

  test('only the endpoint outside the trail\'s Region is flagged', () => {
    const app = new App();
    const east = stackIn(app, 'East', { account: ACCOUNT, region: 'us-east-1' });
    const west = stackIn(app, 'West', { account: ACCOUNT, region: 'eu-west-1' });
    endpoint(east);
    endpoint(west);
    trail(east, 'Trail', { isMultiRegionTrail: false });
    expect(violations(east, 'EIC12')).toEqual(['warning West/Eice']);
  });

  test('a trail in another account records it only as an organization trail', () => {
    const app = new App();
    const workload = stackIn(app, 'Workload', { account: '444455556666', region: 'us-east-1' });
    endpoint(workload);
    const audit = stackIn(app, 'Audit', { account: ACCOUNT, region: 'us-east-1' });
    const own = trail(audit, 'Trail', { isMultiRegionTrail: true });
    expect(violations(workload, 'EIC12')).toEqual(['warning Workload/Eice']);
    own.isOrganizationTrail = true;
    expect(violations(workload, 'EIC12')).toEqual([]);
  });

  test('a trail multi-Region in only one branch of Fn::If does not record another Region', () => {
    const app = new App();
    const east = stackIn(app, 'East', { account: ACCOUNT, region: 'us-east-1' });
    endpoint(east);
    const west = stackIn(app, 'West', { account: ACCOUNT, region: 'eu-west-1' });
    const prod = new CfnCondition(west, 'IsProd', { expression: Fn.conditionEquals(Aws.ACCOUNT_ID, ACCOUNT) });
    trail(west, 'Trail', { isMultiRegionTrail: Fn.conditionIf(prod.logicalId, true, false) as unknown as boolean });
    expect(violations(east, 'EIC12')).toEqual(['warning East/Eice']);
  });

  test('environment-agnostic stacks are taken to share a Region and account, which synth cannot know', () => {
    const app = new App();
    const workload = stackIn(app, 'Workload');
    endpoint(workload);
    trail(stackIn(app, 'Audit'), 'Trail', { isMultiRegionTrail: false });
    expect(violations(workload, 'EIC12')).toEqual([]);
  });
});

describe('EIC1: aws-cdk-lib security groups, as EC2 applies them', () => {
  function withGroup(configure: (stack: Stack, vpc: ec2.Vpc) => ec2.SecurityGroup): Stack {
    const stack = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'us-east-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1, subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const sg = configure(stack, vpc);
    new ec2.CfnInstanceConnectEndpoint(stack, 'Eice', { subnetId: vpc.isolatedSubnets[0].subnetId, securityGroupIds: [sg.securityGroupId] });
    return stack;
  }

  test('allowAllOutbound: false with rules kept out of line stays closed: the standalone rule removes EC2\'s allow-all rule', () => {
    const stack = withGroup((s, vpc) => {
      const sg = new ec2.SecurityGroup(s, 'Sg', { vpc, allowAllOutbound: false, disableInlineRules: true });
      sg.addEgressRule(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcp(22));
      return sg;
    });
    expect(violations(stack, 'EIC1')).toEqual([]);
  });

  test('allowAllOutbound: true is flagged inline', () => {
    const stack = withGroup((s, vpc) => new ec2.SecurityGroup(s, 'Sg', { vpc, allowAllOutbound: true }));
    expect(violations(stack, 'EIC1')).toEqual(['error Test/Sg/Resource']);
  });

  test('allowAllOutbound: true out of line flags the standalone rule that replaces EC2\'s', () => {
    const stack = withGroup((s, vpc) => new ec2.SecurityGroup(s, 'Sg', { vpc, allowAllOutbound: true, disableInlineRules: true }));
    expect(violations(stack, 'EIC1')).toEqual(['error Test/Sg/to 0.0.0.0_0:ALL TRAFFIC']);
  });

  test('every TCP port to the internet, by two port ranges of aws-cdk-lib rules, is flagged', () => {
    const stack = withGroup((s, vpc) => {
      const sg = new ec2.SecurityGroup(s, 'Sg', { vpc, allowAllOutbound: false });
      sg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcpRange(1, 32767));
      sg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcpRange(32768, 65535));
      return sg;
    });
    expect(violations(stack, 'EIC1')).toEqual(['error Test/Sg/Resource']);
  });
});

describe('EIC1: the VPC\'s default group, with and without aws-cdk-lib\'s restrictDefaultSecurityGroup', () => {
  for (const restrictDefaultSecurityGroup of [true, false]) {
    test(`restrictDefaultSecurityGroup: ${restrictDefaultSecurityGroup}`, () => {
      const stack = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'us-east-1' } });
      const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1, restrictDefaultSecurityGroup });
      new ec2.CfnInstanceConnectEndpoint(stack, 'Eice', { subnetId: vpc.publicSubnets[0].subnetId, securityGroupIds: [vpc.vpcDefaultSecurityGroup] });
      new ec2.CfnInstanceConnectEndpoint(stack, 'NoGroup', { subnetId: vpc.publicSubnets[0].subnetId });
      expect(violations(stack, 'EIC1')).toEqual(restrictDefaultSecurityGroup ? [] : ['error Test/Eice', 'error Test/NoGroup']);
    });
  }
});

describe('EIC11: aws-cdk-lib Auto Scaling groups beside an endpoint', () => {
  test('a group asking for public IPs in the endpoint\'s public subnets flags what it launches from', () => {
    const stack = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'us-east-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1 });
    new ec2.CfnInstanceConnectEndpoint(stack, 'Eice', { subnetId: vpc.publicSubnets[0].subnetId });
    new autoscaling.AutoScalingGroup(stack, 'Fleet', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      associatePublicIpAddress: true,
      instanceType: new ec2.InstanceType('t3.micro'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
    const source = stack.node.findAll()
      .find(c => c instanceof autoscaling.CfnLaunchConfiguration || c instanceof ec2.CfnLaunchTemplate) as CfnResource;
    expect(violations(stack, 'EIC11')).toEqual([`warning ${source.node.path}`]);
  });

  test('a group leaving the address to a public subnet of the endpoint\'s VPC is flagged itself', () => {
    const stack = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'us-east-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1 });
    new ec2.CfnInstanceConnectEndpoint(stack, 'Eice', { subnetId: vpc.publicSubnets[0].subnetId });
    new autoscaling.AutoScalingGroup(stack, 'Fleet', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      instanceType: new ec2.InstanceType('t3.micro'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
    expect(violations(stack, 'EIC11')).toEqual(['warning Test/Fleet/ASG']);
  });
});

describe('the rule algebra', () => {
  const origin = new CfnResource(new Stack(), 'Origin', { type: 'Test::Origin' });
  const other = new CfnResource(new Stack(), 'Other', { type: 'Test::Origin' });
  const rule = (protocol: string, fromPort: number | undefined, toPort: number | undefined, ranges: string[], from = origin): Rule =>
    ({ origin: from, protocol, fromPort, toPort, ranges });

  test('every TCP port: ranges that leave a gap are not every port', () => {
    expect(everyTcpPortToInternet([rule('tcp', 1, 1000, ['0.0.0.0/0']), rule('tcp', 1002, 65535, ['0.0.0.0/0'])])).toBe(false);
    expect(everyTcpPortToInternet([rule('tcp', 1, 1001, ['0.0.0.0/0']), rule('6', 1000, 65535, ['::/0'])])).toBe(true);
  });

  test('every TCP port: ports and addresses are judged together, not apart', () => {
    // Apart, the ports add up to every port and the addresses to every address; together, the high ports reach one network.
    const apart = [rule('tcp', 0, 32767, ['0.0.0.0/0']), rule('tcp', 32768, 65535, ['10.0.0.0/8'])];
    expect(everyTcpPortToInternet(apart)).toBe(false);
    expect(everyTcpPortToInternet([rule('-1', undefined, undefined, ['0.0.0.0/0'])])).toBe(true);
    expect(everyTcpPortToInternet([rule('udp', 0, 65535, ['0.0.0.0/0'])])).toBe(false);
    expect(everyTcpPortToInternet([rule('tcp', -1, -1, ['::/0'])])).toBe(true);
  });

  test('a port: UDP counts only where asked', () => {
    expect(portToInternet([rule('udp', 3389, 3389, ['0.0.0.0/0'])], 3389)).toBe(false);
    expect(portToInternet([rule('udp', 3389, 3389, ['0.0.0.0/0'])], 3389, true)).toBe(true);
    expect(portToInternet([rule('tcp', 23, 3388, ['0.0.0.0/0'])], 22)).toBe(false);
  });

  test('blame: the sufficient rule and every necessary piece, never a bystander', () => {
    const judge = (rules: Rule[]) => portToInternet(rules, 22);
    const bystander = [rule('tcp', 22, 22, ['10.0.0.0/16']), rule('tcp', 22, 22, ['0.0.0.0/0'], other)];
    expect([...blamed(bystander, judge)]).toEqual([other]);
    const redundant = [rule('tcp', 22, 22, ['0.0.0.0/0']), rule('tcp', 22, 22, ['0.0.0.0/0'], other)];
    expect([...blamed(redundant, judge)]).toEqual([origin, other]);
    expect([...blamed([rule('tcp', 22, 22, ['10.0.0.0/16'])], judge)]).toEqual([]);
  });
});

describe('template conditions', () => {
  const value = [
    { 'Fn::If': ['IsProd', { CidrIp: '10.0.0.0/16' }, { Ref: 'AWS::NoValue' }] },
    { CidrIp: { 'Fn::If': ['IsEu', '0.0.0.0/0', '203.0.113.0/24'] }, Description: { Ref: 'AWS::NoValue' } },
  ];

  test('each condition is chosen once per world, and AWS::NoValue disappears', () => {
    expect([...conditionNames(value)].sort()).toEqual(['IsEu', 'IsProd']);
    const all = worlds(conditionNames(value));
    expect(all).toHaveLength(4);
    expect(all.map(w => inWorld(value, w))).toContainEqual([{ CidrIp: '0.0.0.0/0' }]);
    expect(all.map(w => inWorld(value, w))).toContainEqual([{ CidrIp: '10.0.0.0/16' }, { CidrIp: '203.0.113.0/24' }]);
    expect(inWorld({ Ref: 'AWS::NoValue' }, new Map())).toBeUndefined();
  });

  test('many conditions are judged all true, then all false, not one by one', () => {
    expect(worlds(['A', 'B', 'C', 'D', 'E', 'F', 'G'])).toHaveLength(2);
    expect(worlds([])).toEqual([new Map()]);
  });
});
