import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { InstanceConnectAccess, InstanceConnectEndpoint } from '../../lib';
import { synthStrict, testInstance, testStack, testVpc } from '../util';

function setup() {
  const stack = testStack();
  const vpc = testVpc(stack);
  const web = testInstance(stack, vpc, 'Web');
  const access = new InstanceConnectAccess(stack, 'Access', { vpc });
  return { stack, vpc, web, access };
}

function managedPolicyStatements(stack: Stack, roleRef: unknown): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy', { Properties: { Roles: [roleRef] } });
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

describe('InstanceConnectAccess', () => {
  describe('defaults', () => {
    test('one endpoint, a control-plane role with a managed policy, and no inline policies', () => {
      const { stack, access } = setup();

      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::EC2::InstanceConnectEndpoint', 1);
      template.resourceCountIs('AWS::IAM::Policy', 0);
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:root']] } } }],
        },
        Description: Match.stringLikeRegexp('may not open tunnels or push keys'),
      });
      const statements = managedPolicyStatements(stack, stack.resolve({ Ref: (access.controlPlaneRole.node.defaultChild as iam.CfnRole).logicalId }));
      expect(statements.map(s => s.Sid)).toEqual([
        'CreateEndpointInThisVpc', 'UseThisVpc', 'ModifyThisEndpoint', 'DeleteEndpointsOfThisVpc', 'CreateEndpointNetworkInterface', 'TagNewEndpoints',
        'DescribeEndpoints', 'CreateServiceLinkedRole', 'DenyDataPlane',
      ]);
      expect(statements.find(s => s.Sid === 'DenyDataPlane')).toEqual({
        Sid: 'DenyDataPlane',
        Effect: 'Deny',
        Action: ['ec2-instance-connect:OpenTunnel', 'ec2-instance-connect:SendSSHPublicKey', 'ec2-instance-connect:SendSerialConsoleSSHPublicKey'],
        Resource: '*',
      });
      expect(statements.find(s => s.Sid === 'CreateServiceLinkedRole')).toEqual({
        Sid: 'CreateServiceLinkedRole',
        Effect: 'Allow',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:role/aws-service-role/ec2-instance-connect.amazonaws.com/*']] },
        Condition: { StringEquals: { 'iam:AWSServiceName': 'ec2-instance-connect.amazonaws.com' } },
      });
    });

    test('controlPlaneAssumedBy sets who may assume the control-plane role', () => {
      const stack = testStack();
      new InstanceConnectAccess(stack, 'Access', {
        vpc: testVpc(stack),
        controlPlaneAssumedBy: new iam.ArnPrincipal('arn:aws:iam::111122223333:role/PlatformAdmins'),
      });

      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { AWS: 'arn:aws:iam::111122223333:role/PlatformAdmins' } })] },
      });
    });

    test('endpointSubnets and preserveClientIp reach the new endpoint', () => {
      const stack = testStack();
      const vpc = testVpc(stack);
      new InstanceConnectAccess(stack, 'Access', { vpc, endpointSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, preserveClientIp: true });

      Template.fromStack(stack).hasResourceProperties('AWS::EC2::InstanceConnectEndpoint', {
        SubnetId: stack.resolve(vpc.isolatedSubnets[0].subnetId),
        PreserveClientIp: true,
      });
    });

    test('endpoint reuses an existing endpoint instead of defining one', () => {
      const stack = testStack();
      const vpc = testVpc(stack);
      const endpoint = new InstanceConnectEndpoint(stack, 'Shared', { vpc });
      const access = new InstanceConnectAccess(stack, 'Access', { vpc, endpoint });

      expect(access.endpoint).toBe(endpoint);
      Template.fromStack(stack).resourceCountIs('AWS::EC2::InstanceConnectEndpoint', 1);
    });

    test('fails when endpoint is given with endpointSubnets', () => {
      const stack = testStack();
      const vpc = testVpc(stack);
      const endpoint = new InstanceConnectEndpoint(stack, 'Shared', { vpc });

      expect(() => new InstanceConnectAccess(stack, 'Access', { vpc, endpoint, endpointSubnets: { subnetType: ec2.SubnetType.PUBLIC } }))
        .toThrow('Test/Access: endpointSubnets and preserveClientIp apply to a new endpoint; they cannot be set with endpoint');
    });

    test('passes strict CloudFormation validation', () => {
      const { stack, access, web } = setup();
      access.allowConnectionsTo(web);
      access.addOperatorRole('OnCall', { instances: [web], osUsers: ['ec2-user'] });

      expect(() => synthStrict(stack)).not.toThrow();
    });
  });

  describe('allowConnectionsTo', () => {
    test('targets join a shared security group per port; one rule each way per port; each target admits only its ports', () => {
      const { stack, vpc, access, web } = setup();
      const db = testInstance(stack, vpc, 'Db');

      access.allowConnectionsTo(web);
      access.allowConnectionsTo(db);
      access.allowConnectionsTo(db, ec2.Port.tcp(3389));

      const template = Template.fromStack(stack);
      const groupId = (id: string) => ({ 'Fn::GetAtt': [stack.getLogicalId(access.node.findChild(id).node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] });
      const sshGroup = groupId('TargetsSecurityGroup');
      const rdpGroup = groupId('TargetsSecurityGroupTcp3389');
      const endpointSgId = stack.resolve(access.endpoint.connections.securityGroups[0].securityGroupId);
      template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 2);
      template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 2);
      for (const [port, group] of [[22, sshGroup], [3389, rdpGroup]] as const) {
        template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
          GroupId: endpointSgId, DestinationSecurityGroupId: group, IpProtocol: 'tcp', FromPort: port, ToPort: port,
        });
        template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
          GroupId: group, SourceSecurityGroupId: endpointSgId, IpProtocol: 'tcp', FromPort: port, ToPort: port,
        });
      }
      // web was allowed SSH only: it is not in the RDP group.
      template.hasResourceProperties('AWS::EC2::Instance', {
        SecurityGroupIds: [stack.resolve(web.connections.securityGroups[0].securityGroupId), sshGroup],
      });
      template.hasResourceProperties('AWS::EC2::Instance', {
        SecurityGroupIds: [stack.resolve(db.connections.securityGroups[0].securityGroupId), sshGroup, rdpGroup],
      });
    });

    test('a launch template (for an Auto Scaling group) joins the shared group', () => {
      const { stack, vpc, access } = setup();
      const launchTemplate = new ec2.LaunchTemplate(stack, 'Template', {
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
        machineImage: ec2.MachineImage.latestAmazonLinux2023(),
        securityGroup: new ec2.SecurityGroup(stack, 'AsgSg', { vpc }),
      });
      new autoscaling.AutoScalingGroup(stack, 'Asg', { vpc, launchTemplate });

      access.allowConnectionsTo(launchTemplate);

      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({
          SecurityGroupIds: [Match.anyValue(), { 'Fn::GetAtt': [Match.stringLikeRegexp('AccessTargetsSecurityGroup'), 'GroupId'] }],
        }),
      });
      template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
    });

    test('an Auto Scaling group with a launch configuration joins the shared group', () => {
      const { stack, vpc, access } = setup();
      const asg = new autoscaling.AutoScalingGroup(stack, 'Asg', {
        vpc,
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
        machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      });

      access.allowConnectionsTo(asg);
      access.allowConnectionsTo(asg);

      Template.fromStack(stack).hasResourceProperties('AWS::AutoScaling::LaunchConfiguration', {
        SecurityGroups: [Match.anyValue(), { 'Fn::GetAtt': [Match.stringLikeRegexp('AccessTargetsSecurityGroup'), 'GroupId'] }],
      });
    });

    test('a security group target gets its own rule each way', () => {
      const { stack, vpc, access } = setup();
      const sg = new ec2.SecurityGroup(stack, 'Databases', { vpc });

      access.allowConnectionsTo(sg);

      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: stack.resolve(sg.securityGroupId),
        SourceSecurityGroupId: stack.resolve(access.endpoint.connections.securityGroups[0].securityGroupId),
        FromPort: 22,
      });
    });

    test('targetsSecurityGroupFor gives the shared group of a port, with its rules, once, for instances defined elsewhere', () => {
      const { stack, vpc, web, access } = setup();
      const group = access.targetsSecurityGroupFor();
      expect(access.targetsSecurityGroupFor(ec2.Port.tcp(22))).toBe(group);
      access.allowConnectionsTo(web);
      const rdp = access.targetsSecurityGroupFor(ec2.Port.tcp(3389));
      expect(rdp).not.toBe(group);
      const tagged = access.addOperatorRole('Tagged', { instanceTags: { team: 'web' }, osUsers: ['ec2-user'] });

      const template = Template.fromStack(stack);
      const endpointGroup = stack.resolve(access.endpoint.connections.securityGroups[0].securityGroupId);
      const ingress = Object.values<any>(template.findResources('AWS::EC2::SecurityGroupIngress')).map(r => r.Properties);
      expect(ingress.filter(r => JSON.stringify(r.GroupId) === JSON.stringify(stack.resolve(group.securityGroupId)))).toEqual([
        expect.objectContaining({ SourceSecurityGroupId: endpointGroup, FromPort: 22, ToPort: 22 }),
      ]);
      expect(ingress.filter(r => JSON.stringify(r.GroupId) === JSON.stringify(stack.resolve(rdp.securityGroupId)))).toEqual([
        expect.objectContaining({ SourceSecurityGroupId: endpointGroup, FromPort: 3389, ToPort: 3389 }),
      ]);
      // The group's members may be in any subnet: tunnels of grants by tag are bounded by the VPC's CIDR.
      const statements = managedPolicyStatements(stack, stack.resolve({ Ref: (tagged.node.defaultChild as iam.CfnRole).logicalId }));
      const tunnel = statements.find((s: any) => s.Action === 'ec2-instance-connect:OpenTunnel');
      expect(tunnel.Condition.IpAddress).toEqual({ 'ec2-instance-connect:privateIpAddress': [stack.resolve(vpc.vpcCidrBlock)] });
      expect(() => access.targetsSecurityGroupFor(ec2.Port.tcpRange(22, 23))).toThrow(/targetsSecurityGroupFor port must be one port, not a range/);
    });

    test('fails when a target is in another VPC, naming client IP preservation when it is on', () => {
      const stack = testStack();
      const vpc = testVpc(stack);
      const other = testVpc(stack, 'Other');
      const access = new InstanceConnectAccess(stack, 'Access', { vpc, preserveClientIp: true });

      expect(() => access.allowConnectionsTo(testInstance(stack, other, 'Elsewhere')))
        .toThrow(/allowConnectionsTo target Test\/Elsewhere is not in vpc Test\/Vpc: with preserveClientIp the targets must be in the endpoint's VPC/);
    });
  });

  describe('addOperatorRole', () => {
    test('a role with one-hour sessions, a customer-managed data-plane policy and an explicit control-plane deny', () => {
      const { stack, access, web } = setup();

      const role = access.addOperatorRole('OnCall', { instances: [web], osUsers: ['ec2-user'], sourceIpRanges: ['203.0.113.0/24'] });

      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::IAM::Role', { MaxSessionDuration: 3600, Description: Match.stringLikeRegexp('may not manage endpoints') });
      const statements = managedPolicyStatements(stack, stack.resolve({ Ref: (role.node.defaultChild as iam.CfnRole).logicalId }));
      const sourceIp = { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } };
      expect(statements).toEqual([
        {
          Action: 'ec2-instance-connect:OpenTunnel',
          Effect: 'Allow',
          Resource: stack.resolve(access.endpoint.instanceConnectEndpointArn),
          Condition: {
            NumericEquals: { 'ec2-instance-connect:remotePort': '22' },
            NumericLessThanEquals: { 'ec2-instance-connect:maxTunnelDuration': '3600' },
            IpAddress: {
              'ec2-instance-connect:privateIpAddress': { 'Fn::Join': ['', [stack.resolve(web.instancePrivateIp), '/32']] },
              'aws:SourceIp': '203.0.113.0/24',
            },
          },
        },
        {
          Action: 'ec2-instance-connect:SendSSHPublicKey',
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:us-east-1:111122223333:instance/', stack.resolve(web.instanceId)]] },
          Condition: { StringEquals: { 'ec2:osuser': 'ec2-user' }, ...sourceIp },
        },
        { Action: ['ec2:DescribeInstances', 'ec2:DescribeInstanceConnectEndpoints'], Effect: 'Allow', Resource: '*', Condition: sourceIp },
        {
          Sid: 'DenyRootLogin',
          Action: 'ec2-instance-connect:SendSSHPublicKey',
          Effect: 'Deny',
          Resource: '*',
          Condition: { StringEqualsIgnoreCase: { 'ec2:osuser': 'root' } },
        },
        {
          Sid: 'DenyControlPlane',
          Action: ['ec2:CreateInstanceConnectEndpoint', 'ec2:ModifyInstanceConnectEndpoint', 'ec2:DeleteInstanceConnectEndpoint'],
          Effect: 'Deny',
          Resource: '*',
        },
      ]);
    });

    test('roleName, assumedBy and maxSessionDuration reach the role', () => {
      const { stack, access, web } = setup();
      access.addOperatorRole('OnCall', {
        instances: [web],
        osUsers: ['ec2-user'],
        roleName: 'on-call',
        assumedBy: new iam.ArnPrincipal('arn:aws:iam::111122223333:role/Federated'),
        maxSessionDuration: Duration.hours(4),
      });

      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
        RoleName: 'on-call',
        MaxSessionDuration: 14400,
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { AWS: 'arn:aws:iam::111122223333:role/Federated' } })] },
      });
    });

    test('tag-based access denies changing the access tags', () => {
      const { stack, vpc, access } = setup();
      const role = access.addOperatorRole('Fleet', { instanceTags: { team: 'web', env: 'prod' }, osUsers: ['ec2-user'] });

      const statements = managedPolicyStatements(stack, stack.resolve({ Ref: (role.node.defaultChild as iam.CfnRole).logicalId }));
      expect(statements).toContainEqual({
        Action: 'ec2-instance-connect:SendSSHPublicKey',
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:us-east-1:111122223333:instance/*']] },
        Condition: { StringEquals: { 'ec2:osuser': 'ec2-user', 'aws:ResourceTag/team': 'web', 'aws:ResourceTag/env': 'prod' } },
      });
      expect(statements).toContainEqual({
        Sid: 'DenyAccessTagChanges',
        Action: ['ec2:CreateTags', 'ec2:DeleteTags', 'autoscaling:CreateOrUpdateTags', 'autoscaling:DeleteTags'],
        Effect: 'Deny',
        Resource: '*',
        Condition: { 'ForAnyValue:StringEqualsIgnoreCase': { 'aws:TagKeys': ['team', 'env'] } },
      });
      expect(statements).toContainEqual({
        Sid: 'DenyDeletingEveryTag',
        Action: 'ec2:DeleteTags',
        Effect: 'Deny',
        Resource: '*',
        Condition: { Null: { 'aws:TagKeys': 'true' } },
      });
      // Only IDs or tags, and no target with a network path yet: tunnels stay inside the endpoint's VPC.
      expect(statements[0].Condition.IpAddress).toEqual({ 'ec2-instance-connect:privateIpAddress': [stack.resolve(vpc.vpcCidrBlock)] });
    });
  });

  describe('grantConnect', () => {
    test('attaches a customer-managed policy to an existing role, without the control-plane deny', () => {
      const { stack, access, web } = setup();
      const sso = iam.Role.fromRoleArn(stack, 'Sso', 'arn:aws:iam::111122223333:role/Operators');

      const grant = access.grantConnect(sso, { instances: [web], osUsers: ['ec2-user'] });

      expect(grant.success).toBe(true);
      expect(grant.principalStatements.map(s => s.actions)).toEqual([
        ['ec2-instance-connect:OpenTunnel'], ['ec2-instance-connect:SendSSHPublicKey'], ['ec2:DescribeInstances', 'ec2:DescribeInstanceConnectEndpoints'],
      ]);
      const statements = managedPolicyStatements(stack, 'Operators');
      expect(statements.map(s => s.Sid).filter(Boolean)).toEqual(['DenyRootLogin']);
      Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
    });

    test('applyBefore orders a resource after the managed policies', () => {
      const { stack, access, web } = setup();
      const role = new iam.Role(stack, 'Existing', { assumedBy: new iam.AccountRootPrincipal() });
      const grant = access.grantConnect(role, { instances: [web], osUsers: ['ec2-user'] });
      const later = new ec2.SecurityGroup(stack, 'Later', { vpc: testVpc(stack, 'Vpc2') });

      grant.applyBefore(later);

      const dependents = Template.fromStack(stack).findResources('AWS::EC2::SecurityGroup', { DependsOn: Match.arrayWith([Match.stringLikeRegexp('AccessConnect.*Policy')]) });
      expect(Object.keys(dependents)).toEqual([stack.getLogicalId(later.node.defaultChild as ec2.CfnSecurityGroup)]);
    });

    test('fails for a principal that cannot hold a managed policy', () => {
      const { access, web } = setup();

      expect(() => access.grantConnect(new iam.AccountPrincipal('111122223333'), { instances: [web], osUsers: ['ec2-user'] }))
        .toThrow(/grantee must be an IAM role, user or group \(customer-managed policies attach only to those\), got AccountPrincipal/);
    });
  });

  describe('commands', () => {
    test('sshCommand: the AWS CLI ssh command through this endpoint', () => {
      const { stack, access, web } = setup();

      expect(stack.resolve(access.sshCommand(web, 'ubuntu'))).toEqual({
        'Fn::Join': ['', [
          'aws ec2-instance-connect ssh --instance-id ', stack.resolve(web.instanceId),
          ' --connection-type eice --os-user ubuntu --eice-options endpointId=', stack.resolve(access.endpoint.instanceConnectEndpointId),
          '', // no grant bounds tunnels under one hour
        ]],
      });
    });

    test('sshCommand passes maxTunnelDuration when a grant bounds tunnels under one hour', () => {
      const { stack, access, web } = setup();
      const command = access.sshCommand(web);
      access.addOperatorRole('Short', { instances: [web], osUsers: ['ec2-user'], maxTunnelDuration: Duration.minutes(15) });
      access.addOperatorRole('Long', { instances: [web], osUsers: ['ec2-user'], maxTunnelDuration: Duration.minutes(45) });

      expect(stack.resolve(command)['Fn::Join'][1].slice(-1)).toEqual([',maxTunnelDuration=900']);
    });

    test('openTunnelCommand for SSH: an OpenSSH ProxyCommand', () => {
      const { stack, access, web } = setup();
      access.addOperatorRole('Short', { instances: [web], osUsers: ['ec2-user'], maxTunnelDuration: Duration.minutes(30) });

      expect(stack.resolve(access.openTunnelCommand(web))).toEqual({
        'Fn::Join': ['', [
          "ssh -o ProxyCommand='aws ec2-instance-connect open-tunnel --instance-id %h --instance-connect-endpoint-id ",
          stack.resolve(access.endpoint.instanceConnectEndpointId),
          " --max-tunnel-duration 1800' ec2-user@",
          stack.resolve(web.instanceId),
        ]],
      });
    });

    test('one grant\'s bound does not leak into the commands of other instances', () => {
      const { stack, vpc, access, web } = setup();
      const db = testInstance(stack, vpc, 'Db');
      access.addOperatorRole('DbShort', { instances: [db], osUsers: ['ec2-user'], maxTunnelDuration: Duration.minutes(15) });

      expect(stack.resolve(access.sshCommand(web))['Fn::Join'][1].slice(-1)).toEqual(['']);
      expect(stack.resolve(access.openTunnelCommand(web, { remotePort: 3389 }))['Fn::Join'][1].slice(-1)).toEqual([' --remote-port 3389 --local-port 3389']);
      expect(stack.resolve(access.sshCommand(db))['Fn::Join'][1].slice(-1)).toEqual([',maxTunnelDuration=900']);
    });

    test('a bound given to the command wins (for grants by tag, which name no instance)', () => {
      const { stack, access, web } = setup();
      access.addOperatorRole('Tagged', { instanceTags: { team: 'web' }, osUsers: ['ec2-user'], maxTunnelDuration: Duration.minutes(10) });

      expect(stack.resolve(access.sshCommand(web))['Fn::Join'][1].slice(-1)).toEqual(['']);
      expect(stack.resolve(access.sshCommand(web, 'ec2-user', { maxTunnelDuration: Duration.minutes(10) }))['Fn::Join'][1].slice(-1))
        .toEqual([',maxTunnelDuration=600']);
      expect(() => access.sshCommand(web, 'ec2-user', { maxTunnelDuration: Duration.hours(2) }))
        .toThrow(/sshCommand options.maxTunnelDuration must be a whole number of seconds from 1 second to 1 hour, got 2 hours/);
    });

    test('openTunnelCommand for RDP: a local port', () => {
      const { stack, access, web } = setup();

      expect(stack.resolve(access.openTunnelCommand(web, { remotePort: 3389, localPort: 13389 }))).toEqual({
        'Fn::Join': ['', [
          'aws ec2-instance-connect open-tunnel --instance-id ', stack.resolve(web.instanceId),
          ' --instance-connect-endpoint-id ', stack.resolve(access.endpoint.instanceConnectEndpointId),
          ' --remote-port 3389 --local-port 13389',
        ]],
      });
    });
  });

  describe('createEndpoint: false (Direct Connect or VPN only)', () => {
    test('no endpoint, no endpoint rules, no control plane; key pushes over the private network work; the audit stays', () => {
      const stack = testStack();
      const vpc = testVpc(stack);
      const web = testInstance(stack, vpc, 'Web');
      const access = new InstanceConnectAccess(stack, 'Access', { vpc, createEndpoint: false });
      access.allowConnectionsFromNetwork(web, ['10.20.0.0/16']);
      const martha = access.addOperatorRole('Martha', { instances: [web], osUsers: ['ec2-user'], sourceIpRanges: ['198.51.100.0/24'], viaEndpoint: false });

      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::EC2::InstanceConnectEndpoint', 0);
      template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 0);
      template.resourceCountIs('AWS::CloudTrail::Trail', 1);
      expect(Object.keys(template.findResources('AWS::IAM::Role')).filter(id => id.includes('ControlPlane'))).toEqual([]);
      const statements = managedPolicyStatements(stack, stack.resolve({ Ref: (martha.node.defaultChild as iam.CfnRole).logicalId }));
      expect(statements.filter(st => st.Effect === 'Allow').map(st => st.Action)).toEqual(['ec2-instance-connect:SendSSHPublicKey', 'ec2:DescribeInstances']);
      expect(() => synthStrict(stack)).not.toThrow();
    });

    test('everything that needs the endpoint says so', () => {
      const stack = testStack();
      const vpc = testVpc(stack);
      const web = testInstance(stack, vpc, 'Web');
      const access = new InstanceConnectAccess(stack, 'Access', { vpc, createEndpoint: false });
      for (const use of [() => access.endpoint, () => access.controlPlaneRole, () => access.allowConnectionsTo(web), () => access.sshCommand(web),
        () => access.openTunnelCommand(web), () => access.addOperatorRole('Tunnel', { instances: [web], osUsers: ['ec2-user'] })]) {
        expect(use).toThrow(/needs the EC2 Instance Connect Endpoint, but this InstanceConnectAccess has createEndpoint: false|createEndpoint is false/);
      }
    });
  });

  describe('an RDP-only grant', () => {
    test('needs no OS user and pushes no key', () => {
      const { stack, access, web } = setup();
      access.allowConnectionsTo(web, ec2.Port.tcp(3389));
      const role = access.addOperatorRole('Desktop', { instances: [web], remotePorts: [3389] });

      const statements = managedPolicyStatements(stack, stack.resolve({ Ref: (role.node.defaultChild as iam.CfnRole).logicalId }));
      expect(statements.filter(st => st.Effect === 'Allow').flatMap(st => [st.Action].flat()))
        .toEqual(['ec2-instance-connect:OpenTunnel', 'ec2:DescribeInstances', 'ec2:DescribeInstanceConnectEndpoints']);
    });
  });
});
