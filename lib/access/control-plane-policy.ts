import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { DATA_PLANE_ACTIONS } from './plane-actions';

/** Wildcard resources of the control plane that AWS forces, with the reason (for cdk-nag acknowledgements). */
export const CONTROL_PLANE_WILDCARD_REASONS: Record<string, string> = {
  ManageEndpoints: 'a new endpoint\'s ID is unknown until it is created, and this role re-creates the VPC\'s endpoint ' +
    '(AWS allows one per VPC, so a change is delete then create)',
  CreateEndpointNetworkInterface: 'the endpoint\'s network interface ID is unknown until the service creates it',
  TagNewEndpoints: 'new endpoints and network interfaces are tagged as they are created (ec2:CreateAction), before their IDs are known',
  DescribeEndpoints: 'ec2:DescribeInstanceConnectEndpoints supports no resource-level permissions',
  CreateServiceLinkedRole: 'AWS names the service-linked role; the iam:AWSServiceName condition limits it to EC2 Instance Connect',
};

/** The service that owns the endpoint's service-linked role. */
const SERVICE_NAME = 'ec2-instance-connect.amazonaws.com';

/**
 * The control plane of EC2 Instance Connect Endpoints in one VPC: create (and re-create, the documented way to
 * change an endpoint), modify, describe and delete endpoints, the network-interface and tag calls creation needs,
 * the service-linked role, and an explicit deny of every data-plane action.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/permissions-for-ec2-instance-connect-endpoint.html
 */
export function controlPlaneStatements(scope: IConstruct, vpc: ec2.IVpc, endpointSecurityGroups: ec2.ISecurityGroup[]): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const ec2Arn = (resource: string, id = '*') => stack.formatArn({ service: 'ec2', resource, resourceName: id });
  const subnets = [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets];
  return [
    new iam.PolicyStatement({
      sid: 'ManageEndpoints',
      actions: ['ec2:CreateInstanceConnectEndpoint', 'ec2:ModifyInstanceConnectEndpoint', 'ec2:DeleteInstanceConnectEndpoint'],
      resources: [ec2Arn('instance-connect-endpoint')],
    }),
    new iam.PolicyStatement({
      // An endpoint (and its network interface) may use this VPC's subnets and the endpoint's security groups only.
      sid: 'UseThisVpc',
      actions: ['ec2:CreateInstanceConnectEndpoint', 'ec2:ModifyInstanceConnectEndpoint', 'ec2:CreateNetworkInterface'],
      resources: [
        ...subnets.map(subnet => ec2Arn('subnet', subnet.subnetId)),
        ...endpointSecurityGroups.map(sg => ec2Arn('security-group', sg.securityGroupId)),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'CreateEndpointNetworkInterface',
      actions: ['ec2:CreateNetworkInterface'],
      resources: [ec2Arn('network-interface')],
    }),
    new iam.PolicyStatement({
      sid: 'TagNewEndpoints',
      actions: ['ec2:CreateTags'],
      resources: [ec2Arn('instance-connect-endpoint'), ec2Arn('network-interface')],
      conditions: { StringEquals: { 'ec2:CreateAction': ['CreateInstanceConnectEndpoint', 'CreateNetworkInterface'] } },
    }),
    new iam.PolicyStatement({
      sid: 'DescribeEndpoints',
      actions: ['ec2:DescribeInstanceConnectEndpoints'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'CreateServiceLinkedRole',
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: `aws-service-role/${SERVICE_NAME}/*` })],
      conditions: { StringEquals: { 'iam:AWSServiceName': SERVICE_NAME } },
    }),
    new iam.PolicyStatement({
      sid: 'DenyDataPlane',
      effect: iam.Effect.DENY,
      actions: DATA_PLANE_ACTIONS,
      resources: ['*'],
    }),
  ];
}
