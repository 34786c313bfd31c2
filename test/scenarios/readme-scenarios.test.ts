import { Duration, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  InstanceConnectAccess,
  InstanceConnectEndpoint,
  InstanceConnectOsFamily,
  InstanceConnectPackage,
} from '../../lib';
import { synthStrict, testInstance, testStack, testVpc } from '../util';

/** The data-plane statements of the managed policies attached to `role`. */
function statementsOf(stack: Stack, role: iam.IRole): any[] {
  const ref = (role.node.defaultChild as iam.CfnRole | undefined)
    ? { Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }
    : stack.resolve(role.roleName);
  const policies = Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy', { Properties: { Roles: [ref] } });
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

function actionsOf(statements: any[], effect = 'Allow'): string[] {
  return statements.filter(s => s.Effect === effect).flatMap(s => [s.Action].flat());
}

/** RPMs pinned by version and digest, as the README shows (a mirror of your own; the digests are examples). */
const RHEL9_RPMS = [
  {
    url: 'https://artifacts.example.com/ec2-instance-connect/2.0.0-5/ec2-instance-connect-2.0.0-5.rhel9.x86_64.rpm',
    sha256: '3f1c0ad1e0c5b0b6d3a3a4b1f0b2c9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2',
  },
  {
    url: 'https://artifacts.example.com/ec2-instance-connect/2.0.0-5/ec2-instance-connect-selinux-2.0.0-5.noarch.rpm',
    sha256: '0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9',
  },
];

describe('README scenarios', () => {
  test('a VPC in a few lines: endpoint, network path and an on-call operator role', () => {
    const stack = testStack();
    const vpc = testVpc(stack);
    const web = testInstance(stack, vpc, 'Web');

    const access = new InstanceConnectAccess(stack, 'Access', { vpc });
    access.allowConnectionsTo(web);
    const onCall = access.addOperatorRole('OnCall', { instances: [web], osUsers: ['ec2-user'], sourceIpRanges: ['203.0.113.0/24'] });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::InstanceConnectEndpoint', 1);
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
    template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 1);
    const statements = statementsOf(stack, onCall);
    expect(actionsOf(statements)).toEqual([
      'ec2-instance-connect:OpenTunnel', 'ec2-instance-connect:SendSSHPublicKey', 'ec2:DescribeInstances', 'ec2:DescribeInstanceConnectEndpoints',
    ]);
    for (const statement of statements.filter(s => s.Effect === 'Allow')) {
      expect(statement.Condition.IpAddress['aws:SourceIp']).toEqual('203.0.113.0/24');
    }
    expect(() => synthStrict(stack)).not.toThrow();
  });

  test('a fleet behind Auto Scaling groups: access by tag, and the tag cannot be moved', () => {
    const stack = testStack();
    const vpc = testVpc(stack);
    const asg = new autoscaling.AutoScalingGroup(stack, 'Web', {
      vpc,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
    Tags.of(asg).add('team', 'web');

    const access = new InstanceConnectAccess(stack, 'Access', { vpc });
    access.allowConnectionsTo(asg);
    const role = access.addOperatorRole('WebTeam', { instanceTags: { team: 'web' }, osUsers: ['ec2-user'] });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      Tags: Match.arrayWith([{ Key: 'team', Value: 'web', PropagateAtLaunch: true }]),
    });
    const statements = statementsOf(stack, role);
    expect(statements).toContainEqual(expect.objectContaining({
      Action: 'ec2-instance-connect:SendSSHPublicKey',
      Condition: { StringEquals: { 'ec2:osuser': 'ec2-user', 'aws:ResourceTag/team': 'web' } },
    }));
    expect(statements).toContainEqual(expect.objectContaining({ Sid: 'DenyAccessTagChanges', Effect: 'Deny' }));
    // The tag cannot narrow tunnels: they reach the Auto Scaling group's subnets, and a warning says so.
    const asgSubnets = vpc.privateSubnets.map(subnet => stack.resolve(subnet.ipv4CidrBlock));
    expect(statements[0].Condition.IpAddress['ec2-instance-connect:privateIpAddress']).toEqual(asgSubnets);
    Annotations.fromStack(stack).hasWarning('/Test/Access/WebTeam', Match.stringLikeRegexp('which OpenTunnel cannot see'));
  });

  test('a grant by tag narrowed to subnets with targetSubnets', () => {
    const stack = testStack();
    const vpc = testVpc(stack);
    const access = new InstanceConnectAccess(stack, 'Access', { vpc });
    access.allowConnectionsTo(testInstance(stack, vpc, 'Web'));

    const role = access.addOperatorRole('WebTeamNarrow', {
      instanceTags: { team: 'web' },
      osUsers: ['ec2-user'],
      targetSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    });

    const statements = statementsOf(stack, role);
    expect(statements[0].Condition.IpAddress['ec2-instance-connect:privateIpAddress'])
      .toEqual(vpc.privateSubnets.map(subnet => stack.resolve(subnet.ipv4CidrBlock)));
    Annotations.fromStack(stack).hasNoWarning('/Test/Access/WebTeamNarrow', Match.stringLikeRegexp('which OpenTunnel cannot see'));
  });

  test('an IAM Identity Center role is refused: AWS lets only the service change it', () => {
    const stack = testStack();
    const vpc = testVpc(stack);
    const access = new InstanceConnectAccess(stack, 'Access', { vpc });
    const sso = iam.Role.fromRoleArn(stack, 'Sso', 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_DbAdmins_0123456789abcdef');

    expect(() => access.grantConnect(sso, { instanceTags: { team: 'db' }, osUsers: ['ec2-user'] }))
      .toThrow(/grantConnect grantee is an IAM Identity Center role, which only the service may change \(UnmodifiableEntity\), got "arn:aws:iam::111122223333:role\/aws-reserved/);
  });

  test('an existing role: grantConnect attaches a managed policy and nothing else', () => {
    const stack = testStack();
    const vpc = testVpc(stack);
    const db = testInstance(stack, vpc, 'Db');
    const access = new InstanceConnectAccess(stack, 'Access', { vpc });
    const dbAdmins = iam.Role.fromRoleArn(stack, 'DbAdmins', 'arn:aws:iam::111122223333:role/DbAdmins');

    access.allowConnectionsTo(db);
    access.grantConnect(dbAdmins, { instances: [db], osUsers: ['ec2-user'], maxTunnelDuration: Duration.minutes(15) });

    const statements = statementsOf(stack, dbAdmins);
    expect(statements[0].Condition.NumericLessThanEquals).toEqual({ 'ec2-instance-connect:maxTunnelDuration': '900' });
    expect(actionsOf(statements, 'Deny')).toEqual(['ec2-instance-connect:SendSSHPublicKey']);
  });

  test('Windows over RDP', () => {
    const stack = testStack();
    const vpc = testVpc(stack);
    const windows = new ec2.Instance(stack, 'Windows', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MEDIUM),
      machineImage: ec2.MachineImage.latestWindows(ec2.WindowsVersion.WINDOWS_SERVER_2022_ENGLISH_FULL_BASE),
    });
    const access = new InstanceConnectAccess(stack, 'Access', { vpc });

    access.allowConnectionsTo(windows, ec2.Port.tcp(3389));
    const role = access.addOperatorRole('Desktop', { instances: [windows], remotePorts: [3389], sourceIpRanges: ['203.0.113.0/24'] });

    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 3389, ToPort: 3389, IpProtocol: 'tcp' });
    const statements = statementsOf(stack, role);
    expect(statements[0].Condition.NumericEquals).toEqual({ 'ec2-instance-connect:remotePort': '3389' });
    // No osUsers: no key push, which Windows cannot use anyway.
    expect(actionsOf(statements)).not.toContain('ec2-instance-connect:SendSSHPublicKey');
    expect(stack.resolve(access.openTunnelCommand(windows, { remotePort: 3389, localPort: 13389 }))['Fn::Join'][1])
      .toContain(' --remote-port 3389 --local-port 13389');
  });

  test('client IP preservation: the instance-side rule still references the endpoint group', () => {
    const stack = testStack();
    const vpc = testVpc(stack);
    const web = testInstance(stack, vpc, 'Web');
    const access = new InstanceConnectAccess(stack, 'Access', { vpc, preserveClientIp: true });

    access.allowConnectionsTo(web);

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::InstanceConnectEndpoint', { PreserveClientIp: true });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      SourceSecurityGroupId: stack.resolve(access.endpoint.connections.securityGroups[0].securityGroupId),
    });
  });

  test('over Direct Connect or VPN, without the endpoint: on-premises ingress and a key push from the corporate NAT only', () => {
    const stack = testStack();
    const vpc = testVpc(stack);
    const web = testInstance(stack, vpc, 'Web');
    const access = new InstanceConnectAccess(stack, 'Access', { vpc, createEndpoint: false });

    access.allowConnectionsFromNetwork(web, ['10.20.0.0/16']);
    const role = access.addOperatorRole('Martha', {
      instances: [web],
      osUsers: ['ec2-user'],
      sourceIpRanges: ['198.51.100.0/24'],
      viaEndpoint: false,
    });

    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [{ CidrIp: '10.20.0.0/16', Description: 'EC2 Instance Connect over a private network', FromPort: 22, ToPort: 22, IpProtocol: 'tcp' }],
    });
    const statements = statementsOf(stack, role);
    expect(actionsOf(statements)).toEqual(['ec2-instance-connect:SendSSHPublicKey', 'ec2:DescribeInstances']);
    expect(statements[0]).toEqual({
      Action: 'ec2-instance-connect:SendSSHPublicKey',
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:us-east-1:111122223333:instance/', stack.resolve(web.instanceId)]] },
      Condition: { StringEquals: { 'ec2:osuser': 'ec2-user' }, IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } },
    });
    Template.fromStack(stack).resourceCountIs('AWS::EC2::InstanceConnectEndpoint', 0);
    expect(() => synthStrict(stack)).not.toThrow();
  });

  test('access that expires and needs MFA: the incident role', () => {
    const stack = testStack();
    const vpc = testVpc(stack);
    const db = testInstance(stack, vpc, 'Db');
    const access = new InstanceConnectAccess(stack, 'Access', { vpc });
    access.allowConnectionsTo(db);

    const role = access.addOperatorRole('Incident', {
      instances: [db],
      osUsers: ['ec2-user'],
      sourceIpRanges: ['203.0.113.0/24'],
      validFrom: new Date('2030-01-01T00:00:00Z'),
      validUntil: new Date('2030-01-08T00:00:00Z'),
      requireMfa: Duration.hours(1),
      maxTunnelDuration: Duration.minutes(30),
    });

    for (const statement of statementsOf(stack, role).filter(st => st.Effect === 'Allow')) {
      expect(statement.Condition.DateGreaterThan).toEqual({ 'aws:CurrentTime': '2030-01-01T00:00:00.000Z' });
      expect(statement.Condition.DateLessThan).toEqual({ 'aws:CurrentTime': '2030-01-08T00:00:00.000Z' });
      expect(statement.Condition.Bool).toEqual({ 'aws:MultiFactorAuthPresent': 'true' });
      expect(statement.Condition.NumericLessThanEquals['aws:MultiFactorAuthAge']).toEqual('3600');
    }
    expect(stack.resolve(access.sshCommand(db))['Fn::Join'][1].slice(-1)).toEqual([',maxTunnelDuration=1800']);
  });

  test('fails when the private-network path is opened to the internet', () => {
    const stack = testStack();
    const vpc = testVpc(stack);
    const access = new InstanceConnectAccess(stack, 'Access', { vpc });

    expect(() => access.allowConnectionsFromNetwork(testInstance(stack, vpc), ['10.0.0.0/8', '0.0.0.0/0']))
      .toThrow('Test/Access: allowConnectionsFromNetwork sourceRanges would open 22 to the internet: 0.0.0.0/0 is shorter than /8');
    expect(() => access.allowConnectionsFromNetwork(testInstance(stack, vpc, 'V6'), ['::/0']))
      .toThrow(/sourceRanges would open 22 to the internet: ::\/0 is shorter than \/16/);
    expect(() => access.allowConnectionsFromNetwork(testInstance(stack, vpc, 'Halves'), ['0.0.0.0/1', '128.0.0.0/1']))
      .toThrow(/0.0.0.0\/1 is shorter than \/8/);
  });

  test('the browser console for a public instance: ingress from the EC2 Instance Connect prefix list only', () => {
    const stack = testStack();
    const vpc = testVpc(stack);
    const bastionless = new ec2.Instance(stack, 'Public', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
    const access = new InstanceConnectAccess(stack, 'Access', { vpc });

    access.allowConsoleConnections(bastionless);
    access.addOperatorRole('Console', { instances: [bastionless], osUsers: ['ec2-user'], viaEndpoint: false });

    // The prefix list is looked up at synth time; without cached context the lookup reports what it needs.
    const missing = (stack.node.root as any).synth().manifest.missing ?? [];
    expect(missing).toContainEqual(expect.objectContaining({
      props: expect.objectContaining({ typeName: 'AWS::EC2::PrefixList', propertyMatch: { PrefixListName: 'com.amazonaws.us-east-1.ec2-instance-connect' } }),
    }));
  });

  test('the console prefix list, once looked up, is the only source', () => {
    const stack = testStack();
    stack.node.setContext(
      'cc-api-provider:account=111122223333:expectedMatchCount=exactly-one:propertiesToReturn.0=PrefixListId:' +
      'propertyMatch.PrefixListName=com.amazonaws.us-east-1.ec2-instance-connect:region=us-east-1:typeName=AWS$:$:EC2$:$:PrefixList',
      [{ PrefixListId: 'pl-0e4bcff02b13bef1e' }]);
    const vpc = testVpc(stack);
    const instance = testInstance(stack, vpc, 'Public');
    const access = new InstanceConnectAccess(stack, 'Access', { vpc });

    access.allowConsoleConnections(instance);

    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      SourcePrefixListId: 'pl-0e4bcff02b13bef1e', FromPort: 22, ToPort: 22, IpProtocol: 'tcp',
    });
  });

  test('fails for the console path in an environment-agnostic stack', () => {
    const stack = new Stack();
    const vpc = new ec2.Vpc(stack, 'Vpc');
    const access = new InstanceConnectAccess(stack, 'Access', { vpc });

    expect(() => access.allowConsoleConnections(testInstance(stack, vpc)))
      .toThrow(/allowConsoleConnections needs a stack with a concrete region/);
  });

  test('an AMI without the ec2-instance-connect package installs it from user data', () => {
    const stack = testStack();
    const vpc = testVpc(stack);
    const rhel = testInstance(stack, vpc, 'Rhel');

    InstanceConnectPackage.addToUserData(rhel.userData, InstanceConnectOsFamily.RHEL_9, { rpms: RHEL9_RPMS });

    const resources = Template.fromStack(stack).toJSON().Resources;
    const userData = resources[stack.getLogicalId(rhel.node.defaultChild as ec2.CfnInstance)].Properties.UserData['Fn::Base64'] as string;
    const lines = userData.split('\n');
    const install = lines.indexOf('yum install -y /tmp/ec2-instance-connect-0.rpm /tmp/ec2-instance-connect-1.rpm');
    const checks = lines.filter(l => l.includes('| sha256sum --check --strict - || {'));
    expect(checks).toHaveLength(2);
    expect(checks[0]).toContain(`echo '${RHEL9_RPMS[0].sha256}  /tmp/ec2-instance-connect-0.rpm'`);
    // Every download is checked before anything is installed, and a mismatch ends the script.
    expect(install).toBeGreaterThan(lines.indexOf(checks[1]));
    expect(checks.every(l => l.endsWith('exit 1; }'))).toBe(true);
  });

  test.each([
    [InstanceConnectOsFamily.AMAZON_LINUX_2023, ['dnf install -y ec2-instance-connect']],
    [InstanceConnectOsFamily.AMAZON_LINUX_2, ['yum install -y ec2-instance-connect']],
    [InstanceConnectOsFamily.UBUNTU, ['apt-get update', 'DEBIAN_FRONTEND=noninteractive apt-get install -y ec2-instance-connect']],
  ])('the package install commands for %s', (family, commands) => {
    expect(InstanceConnectPackage.installCommands(family)).toEqual(commands);
  });

  test('RHEL 8 and 9 refuse to install what they cannot verify', () => {
    expect(() => InstanceConnectPackage.installCommands(InstanceConnectOsFamily.RHEL_8))
      .toThrow('InstanceConnectPackage RHEL_8 needs options.rpms: the versioned URL and SHA-256 of each RPM to install, got undefined');
    expect(() => InstanceConnectPackage.installCommands(InstanceConnectOsFamily.RHEL_9, {
      rpms: [{ url: 'https://amazon-ec2-instance-connect-us-west-2.s3.us-west-2.amazonaws.com/latest/linux_amd64/ec2-instance-connect.rhel9.x86_64.rpm', sha256: RHEL9_RPMS[0].sha256 }],
    })).toThrow(/options.rpms\[0\].url must be an https:\/\/ URL of one version of an .rpm file \(not a latest\/ path\)/);
    expect(() => InstanceConnectPackage.installCommands(InstanceConnectOsFamily.RHEL_9, { rpms: [{ ...RHEL9_RPMS[0], sha256: 'abc' }] }))
      .toThrow('InstanceConnectPackage options.rpms[0].sha256 must be 64 hexadecimal digits, got "abc"');
    expect(() => InstanceConnectPackage.installCommands(InstanceConnectOsFamily.UBUNTU, { rpms: RHEL9_RPMS }))
      .toThrow(/options.rpms is for RHEL_8 and RHEL_9/);
  });

  test('reusing the VPC\'s existing endpoint', () => {
    const stack = testStack();
    const vpc = testVpc(stack);
    const shared = new InstanceConnectEndpoint(stack, 'Shared', { vpc });
    const access = new InstanceConnectAccess(stack, 'Access', { vpc, endpoint: shared });
    access.allowConnectionsTo(testInstance(stack, vpc));

    Template.fromStack(stack).resourceCountIs('AWS::EC2::InstanceConnectEndpoint', 1);
  });
});
