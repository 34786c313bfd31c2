import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { InstanceConnectAccess, InstanceConnectEndpoint } from '../../lib';
import { strictApp } from '../util';

/*
 * Logical IDs that must never change. A new logical ID for the endpoint makes CloudFormation create a new endpoint
 * before it deletes the old one, and the creation fails: AWS allows one endpoint per VPC (see docs/limits.md, "When an
 * endpoint must change"). A new logical ID for the endpoint's security group replaces the group, which changes the
 * endpoint's SecurityGroupIds, which replaces the endpoint: the same failure. So a refactor that renames or moves
 * these constructs breaks every deployed stack. The IDs are hard-coded on purpose: if this test fails, the change is
 * a breaking change for users, not a snapshot to update.
 */

function logicalIds(stack: Stack, type: string): string[] {
  return Object.keys(Template.fromStack(stack).findResources(type)).sort();
}

function isolatedVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

describe('logical IDs that a refactor must keep', () => {
  test('InstanceConnectAccess: the endpoint and its security group', () => {
    // GIVEN
    const stack = new Stack(strictApp(), 'Test');
    const vpc = isolatedVpc(stack);

    // WHEN
    const access = new InstanceConnectAccess(stack, 'Access', { vpc });

    // THEN
    expect(logicalIds(stack, 'AWS::EC2::InstanceConnectEndpoint')).toEqual(['AccessEndpoint82DD13D9']);
    expect(stack.resolve(access.endpoint.connections.securityGroups[0].securityGroupId))
      .toEqual({ 'Fn::GetAtt': ['AccessEndpointSecurityGroupA7BDC81D', 'GroupId'] });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::InstanceConnectEndpoint', {
      SecurityGroupIds: [{ 'Fn::GetAtt': ['AccessEndpointSecurityGroupA7BDC81D', 'GroupId'] }],
    });
  });

  test('InstanceConnectAccess: adding targets and operators leaves them unchanged', () => {
    // GIVEN
    const stack = new Stack(strictApp(), 'Test');
    const vpc = isolatedVpc(stack);
    const instance = new ec2.Instance(stack, 'Instance', {
      vpc,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });

    // WHEN
    const access = new InstanceConnectAccess(stack, 'Access', { vpc });
    access.allowConnectionsTo(instance);
    access.addOperatorRole('Operator', { instances: [instance], osUsers: ['ec2-user'] });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::InstanceConnectEndpoint', {
      SecurityGroupIds: [{ 'Fn::GetAtt': ['AccessEndpointSecurityGroupA7BDC81D', 'GroupId'] }],
    });
    expect(logicalIds(stack, 'AWS::EC2::InstanceConnectEndpoint')).toEqual(['AccessEndpoint82DD13D9']);
  });

  test('InstanceConnectEndpoint: the endpoint and its security group', () => {
    // GIVEN
    const stack = new Stack(strictApp(), 'Test');
    const vpc = isolatedVpc(stack);

    // WHEN
    new InstanceConnectEndpoint(stack, 'Endpoint', { vpc });

    // THEN
    expect(logicalIds(stack, 'AWS::EC2::InstanceConnectEndpoint')).toEqual(['EndpointEEF1FD8F']);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::InstanceConnectEndpoint', {
      SecurityGroupIds: [{ 'Fn::GetAtt': ['EndpointSecurityGroup3A4D971B', 'GroupId'] }],
    });
  });
});
