import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { InstanceConnectEndpoint } from '../../lib';
import { synthStrict, testInstance, testStack, testVpc } from '../util';

function logicalId(stack: Stack, construct: IConstruct): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

function endpointArn(stack: Stack, endpoint: InstanceConnectEndpoint) {
  return {
    'Fn::Join': ['', [
      'arn:', { Ref: 'AWS::Partition' },
      ':ec2:us-east-1:111122223333:instance-connect-endpoint/',
      { Ref: logicalId(stack, endpoint) },
    ]],
  };
}

describe('InstanceConnectEndpoint', () => {
  describe('the endpoint resource', () => {
    test('defaults: first private subnet, one new security group, PreserveClientIp rendered false', () => {
      // GIVEN
      const stack = testStack();
      const vpc = testVpc(stack);

      // WHEN
      const endpoint = new InstanceConnectEndpoint(stack, 'Endpoint', { vpc });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::EC2::InstanceConnectEndpoint', 1);
      template.hasResourceProperties('AWS::EC2::InstanceConnectEndpoint', {
        SubnetId: stack.resolve(vpc.privateSubnets[0].subnetId),
        SecurityGroupIds: [stack.resolve(endpoint.connections.securityGroups[0].securityGroupId)],
        PreserveClientIp: false,
        ClientToken: Match.absent(),
      });
      expect(endpoint.subnet).toBe(vpc.privateSubnets[0]);
      expect(endpoint.preserveClientIp).toBe(false);
      expect(stack.resolve(endpoint.instanceConnectEndpointId)).toEqual({ Ref: logicalId(stack, endpoint) });
      expect(stack.resolve(endpoint.instanceConnectEndpointArn)).toEqual(endpointArn(stack, endpoint));
    });

    test('the subnet choice is visible as an info annotation', () => {
      const stack = testStack();
      const vpc = testVpc(stack);
      new InstanceConnectEndpoint(stack, 'Endpoint', { vpc });

      Annotations.fromStack(stack).hasInfo('/Test/Endpoint', Match.stringLikeRegexp(
        'placed in subnet Test/Vpc/PrivateSubnet1 \\(the first of 2 selected subnets\\)'));
    });

    test('the default security group has no ingress and no egress but the match-nothing placeholder', () => {
      const stack = testStack();
      new InstanceConnectEndpoint(stack, 'Endpoint', { vpc: testVpc(stack) });

      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('EC2 Instance Connect Endpoint Test/Endpoint'),
        SecurityGroupIngress: Match.absent(),
        SecurityGroupEgress: [{ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic', FromPort: 252, IpProtocol: 'icmp', ToPort: 86 }],
      });
      template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
      template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 0);
    });

    test('preserveClientIp: true is rendered', () => {
      const stack = testStack();
      new InstanceConnectEndpoint(stack, 'Endpoint', { vpc: testVpc(stack), preserveClientIp: true });

      Template.fromStack(stack).hasResourceProperties('AWS::EC2::InstanceConnectEndpoint', { PreserveClientIp: true });
    });

    test('clientToken is rendered', () => {
      const stack = testStack();
      new InstanceConnectEndpoint(stack, 'Endpoint', { vpc: testVpc(stack), clientToken: 'token-1' });

      Template.fromStack(stack).hasResourceProperties('AWS::EC2::InstanceConnectEndpoint', { ClientToken: 'token-1' });
    });

    test('vpcSubnets chooses the first subnet of the selection', () => {
      const stack = testStack();
      const vpc = testVpc(stack);
      const endpoint = new InstanceConnectEndpoint(stack, 'Endpoint', {
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      });

      Template.fromStack(stack).hasResourceProperties('AWS::EC2::InstanceConnectEndpoint', {
        SubnetId: stack.resolve(vpc.isolatedSubnets[0].subnetId),
      });
      expect(endpoint.subnet).toBe(vpc.isolatedSubnets[0]);
    });

    test('vpcSubnets selecting one availability zone chooses that zone', () => {
      const stack = testStack();
      const vpc = testVpc(stack);
      new InstanceConnectEndpoint(stack, 'Endpoint', { vpc, vpcSubnets: { availabilityZones: [vpc.availabilityZones[1]] } });

      Template.fromStack(stack).hasResourceProperties('AWS::EC2::InstanceConnectEndpoint', {
        SubnetId: stack.resolve(vpc.privateSubnets[1].subnetId),
      });
      Annotations.fromStack(stack).hasInfo('/Test/Endpoint', 'EC2 Instance Connect Endpoint placed in subnet Test/Vpc/PrivateSubnet2');
    });

    test('a public subnet is a warning', () => {
      const stack = testStack();
      const vpc = testVpc(stack);
      new InstanceConnectEndpoint(stack, 'Endpoint', { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } });

      Annotations.fromStack(stack).hasWarning('/Test/Endpoint', Match.stringLikeRegexp(
        'placed in public subnet Test/Vpc/PublicSubnet1.*\\[ack: cdk-instance-connect-access:publicSubnet\\]'));
    });

    test('a private subnet is not a warning', () => {
      const stack = testStack();
      new InstanceConnectEndpoint(stack, 'Endpoint', { vpc: testVpc(stack) });

      Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    });

    test('a VPC with public subnets only falls back to a public subnet, with the warning', () => {
      const stack = testStack();
      const vpc = new ec2.Vpc(stack, 'PublicVpc', { maxAzs: 1, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }] });
      new InstanceConnectEndpoint(stack, 'Endpoint', { vpc });

      Template.fromStack(stack).hasResourceProperties('AWS::EC2::InstanceConnectEndpoint', { SubnetId: stack.resolve(vpc.publicSubnets[0].subnetId) });
      Annotations.fromStack(stack).hasWarning('/Test/Endpoint', Match.stringLikeRegexp('public subnet'));
    });

    test('fails when vpcSubnets selects no subnet', () => {
      const stack = testStack();
      const vpc = testVpc(stack);

      expect(() => new InstanceConnectEndpoint(stack, 'Endpoint', { vpc, vpcSubnets: { availabilityZones: ['us-east-1z'] } }))
        .toThrow(/Test\/Endpoint: vpcSubnets selected no subnet of vpc Test\/Vpc, got .*us-east-1z/);
    });

    test('securityGroups replaces the default group', () => {
      const stack = testStack();
      const vpc = testVpc(stack);
      const sg = new ec2.SecurityGroup(stack, 'Mine', { vpc, allowAllOutbound: false });
      const endpoint = new InstanceConnectEndpoint(stack, 'Endpoint', { vpc, securityGroups: [sg] });

      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::InstanceConnectEndpoint', { SecurityGroupIds: [stack.resolve(sg.securityGroupId)] });
      template.resourceCountIs('AWS::EC2::SecurityGroup', 1);
      expect(endpoint.connections.securityGroups).toEqual([sg]);
    });

    test('fails when securityGroups is empty', () => {
      const stack = testStack();
      expect(() => new InstanceConnectEndpoint(stack, 'Endpoint', { vpc: testVpc(stack), securityGroups: [] }))
        .toThrow('Test/Endpoint: securityGroups must have 1 to 16 security groups, got 0');
    });

    test('fails when securityGroups has more than 16 groups', () => {
      const stack = testStack();
      const vpc = testVpc(stack);
      const groups = Array.from({ length: 17 }, (_, i) => ec2.SecurityGroup.fromSecurityGroupId(stack, `Sg${i}`, `sg-${i}`));

      expect(() => new InstanceConnectEndpoint(stack, 'Endpoint', { vpc, securityGroups: groups }))
        .toThrow('securityGroups must have 1 to 16 security groups, got 17');
    });

    test('passes strict CloudFormation validation', () => {
      const stack = testStack();
      const vpc = testVpc(stack);
      const endpoint = new InstanceConnectEndpoint(stack, 'Endpoint', { vpc, preserveClientIp: true, clientToken: 'abc' });
      endpoint.allowConnectionsTo(testInstance(stack, vpc));
      endpoint.grantOpenTunnel(new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() }));

      expect(() => synthStrict(stack)).not.toThrow();
    });
  });

  describe('one endpoint per VPC', () => {
    test('fails when a second endpoint is defined for the same VPC', () => {
      const stack = testStack();
      const vpc = testVpc(stack);
      new InstanceConnectEndpoint(stack, 'First', { vpc });

      expect(() => new InstanceConnectEndpoint(stack, 'Second', { vpc })).toThrow(
        'Test/Second: vpc Test/Vpc already has an EC2 Instance Connect Endpoint (Test/First); AWS allows one endpoint per VPC');
    });

    test('fails when the same VPC ID is imported twice, even in another stack', () => {
      const stack = testStack();
      const other = new Stack(stack.node.root as App, 'Other', { env: { account: '111122223333', region: 'us-east-1' } });
      const attrs = { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-1'] };
      new InstanceConnectEndpoint(stack, 'First', { vpc: ec2.Vpc.fromVpcAttributes(stack, 'A', attrs) });

      expect(() => new InstanceConnectEndpoint(other, 'Second', { vpc: ec2.Vpc.fromVpcAttributes(other, 'B', attrs) }))
        .toThrow(/already has an EC2 Instance Connect Endpoint \(Test\/First\)/);
    });

    test('two VPCs get one endpoint each', () => {
      const stack = testStack();
      new InstanceConnectEndpoint(stack, 'First', { vpc: testVpc(stack, 'Vpc1') });
      new InstanceConnectEndpoint(stack, 'Second', { vpc: testVpc(stack, 'Vpc2') });

      Template.fromStack(stack).resourceCountIs('AWS::EC2::InstanceConnectEndpoint', 2);
    });

    test('separate apps do not share the registry', () => {
      for (let i = 0; i < 2; i++) {
        const stack = testStack();
        expect(() => new InstanceConnectEndpoint(stack, 'Endpoint', { vpc: testVpc(stack) })).not.toThrow();
      }
    });
  });

  describe('allowConnectionsTo', () => {
    test.each([
      ['SSH (default port)', undefined, 22],
      ['RDP', ec2.Port.tcp(3389), 3389],
    ])('%s: endpoint egress and target ingress as separate rule resources', (_name, port, portNumber) => {
      // GIVEN
      const stack = testStack();
      const vpc = testVpc(stack);
      const endpoint = new InstanceConnectEndpoint(stack, 'Endpoint', { vpc });
      const instance = testInstance(stack, vpc);

      // WHEN
      endpoint.allowConnectionsTo(instance, port);

      // THEN
      const endpointSg = stack.resolve(endpoint.connections.securityGroups[0].securityGroupId);
      const instanceSg = stack.resolve(instance.connections.securityGroups[0].securityGroupId);
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 1);
      template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
        GroupId: endpointSg,
        DestinationSecurityGroupId: instanceSg,
        IpProtocol: 'tcp',
        FromPort: portNumber,
        ToPort: portNumber,
        Description: 'EC2 Instance Connect Endpoint',
      });
      template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: instanceSg,
        SourceSecurityGroupId: endpointSg,
        IpProtocol: 'tcp',
        FromPort: portNumber,
        ToPort: portNumber,
        Description: 'EC2 Instance Connect Endpoint',
      });
      // The endpoint's own group list is untouched, and its group has no inline rules left.
      template.hasResourceProperties('AWS::EC2::InstanceConnectEndpoint', { SecurityGroupIds: [endpointSg] });
      const groups = template.findResources('AWS::EC2::SecurityGroup');
      const endpointGroup = groups[endpointSg['Fn::GetAtt'][0]];
      expect(endpointGroup.Properties.SecurityGroupIngress).toBeUndefined();
      expect(endpointGroup.Properties.SecurityGroupEgress).toBeUndefined();
    });

    test('no rule anywhere opens the endpoint group to 0.0.0.0/0 or ::/0', () => {
      const stack = testStack();
      const vpc = testVpc(stack);
      const endpoint = new InstanceConnectEndpoint(stack, 'Endpoint', { vpc });
      endpoint.allowConnectionsTo(testInstance(stack, vpc));
      endpoint.allowConnectionsTo(testInstance(stack, vpc, 'Windows'), ec2.Port.tcp(3389));

      const template = Template.fromStack(stack);
      const endpointSg = stack.resolve(endpoint.connections.securityGroups[0].securityGroupId);
      for (const rule of Object.values(template.findResources('AWS::EC2::SecurityGroupEgress'))) {
        expect(rule.Properties.GroupId).toEqual(endpointSg);
        expect(rule.Properties.CidrIp).toBeUndefined();
        expect(rule.Properties.CidrIpv6).toBeUndefined();
      }
      for (const rule of Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))) {
        expect(rule.Properties.GroupId).not.toEqual(endpointSg);
      }
    });

    test('an imported endpoint writes the same rules on its groups', () => {
      const stack = testStack();
      const vpc = testVpc(stack);
      const sg = ec2.SecurityGroup.fromSecurityGroupId(stack, 'EndpointSg', 'sg-0123456789abcdef0', { allowAllOutbound: false });
      const endpoint = InstanceConnectEndpoint.fromInstanceConnectEndpointAttributes(stack, 'Imported', {
        instanceConnectEndpointId: 'eice-0123456789abcdef0',
        securityGroups: [sg],
      });
      const instance = testInstance(stack, vpc);

      endpoint.allowConnectionsTo(instance);

      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
        GroupId: 'sg-0123456789abcdef0', FromPort: 22, ToPort: 22, IpProtocol: 'tcp',
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        SourceSecurityGroupId: 'sg-0123456789abcdef0', FromPort: 22, ToPort: 22, IpProtocol: 'tcp',
      });
    });
  });

  describe('imports', () => {
    test('fromInstanceConnectEndpointAttributes builds a partition-aware ARN', () => {
      const stack = testStack();
      const endpoint = InstanceConnectEndpoint.fromInstanceConnectEndpointAttributes(stack, 'Imported', {
        instanceConnectEndpointId: 'eice-0123456789abcdef0',
        securityGroups: [],
      });

      expect(endpoint.instanceConnectEndpointId).toEqual('eice-0123456789abcdef0');
      expect(stack.resolve(endpoint.instanceConnectEndpointArn)).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:us-east-1:111122223333:instance-connect-endpoint/eice-0123456789abcdef0']],
      });
      expect(stack.node.findAll().filter(c => c instanceof ec2.CfnInstanceConnectEndpoint)).toEqual([]);
    });

    test('an imported endpoint does not count as the VPC\'s endpoint', () => {
      const stack = testStack();
      InstanceConnectEndpoint.fromInstanceConnectEndpointAttributes(stack, 'Imported', { instanceConnectEndpointId: 'eice-1', securityGroups: [] });
      expect(() => new InstanceConnectEndpoint(stack, 'Endpoint', { vpc: testVpc(stack) })).not.toThrow();
    });

    test('an imported endpoint grants OpenTunnel on its ARN', () => {
      const stack = testStack();
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
      InstanceConnectEndpoint.fromInstanceConnectEndpointAttributes(stack, 'Imported', { instanceConnectEndpointId: 'eice-1', securityGroups: [] })
        .grantOpenTunnel(role);

      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [Match.objectLike({
            Action: 'ec2-instance-connect:OpenTunnel',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:us-east-1:111122223333:instance-connect-endpoint/eice-1']] },
          })],
        },
      });
    });
  });
});
