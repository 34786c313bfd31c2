import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import {
  CREATE_ENDPOINT,
  DATA_PLANE_ACTIONS,
  DELETE_ENDPOINT,
  DESCRIBE_ENDPOINTS,
  MODIFY_ENDPOINT,
  SUBNET_ID_KEY,
  VPC_KEY,
} from '../../private/vocabulary';

/** Wildcard resources of the control plane that AWS forces, with the reason (for cdk-nag acknowledgements). */
export const CONTROL_PLANE_WILDCARD_REASONS: Record<string, string> = {
  CreateEndpointInThisVpc: 'a new endpoint\'s ID is unknown until it is created; ec2:SubnetID limits it to this VPC\'s subnets',
  DeleteEndpointsOfThisVpc: 'an endpoint re-created in this VPC (the documented way to change one) has a new ID; ec2:SubnetID limits ' +
    'deletion to endpoints in this VPC\'s subnets',
  CreateEndpointNetworkInterface: 'the endpoint\'s network interface ID is unknown until the service creates it',
  TagNewEndpoints: 'new endpoints and network interfaces are tagged as they are created (ec2:CreateAction), before their IDs are known',
  DescribeEndpoints: 'ec2:DescribeInstanceConnectEndpoints supports no resource-level permissions',
  CreateServiceLinkedRole: 'AWS names the service-linked role; the iam:AWSServiceName condition limits it to EC2 Instance Connect',
  UseSubnetsOfThisVpc: 'the VPC\'s subnets are known only at deploy time; the ec2:Vpc condition limits subnet/* to this VPC',
};

/** The service that owns the endpoint's service-linked role. */
const SERVICE_NAME = 'ec2-instance-connect.amazonaws.com';

/** Where the control plane applies: one VPC and its endpoint. */
export interface ControlPlaneScope {
  readonly vpc: ec2.IVpc;
  /** The ARN of the VPC's endpoint. */
  readonly endpointArn: string;
  /** The endpoint's security groups, which a new or modified endpoint may use. */
  readonly endpointSecurityGroups: ec2.ISecurityGroup[];
}

/**
 * The control plane of the EC2 Instance Connect Endpoint of one VPC: create an endpoint in this VPC's subnets with
 * the endpoint's security groups (re-creating is the documented way to change one), modify this endpoint, delete
 * endpoints in this VPC's subnets, describe, the network-interface and tag calls creation needs, the
 * service-linked role, and an explicit deny of every data-plane action. Endpoints of other VPCs are out of reach.
 *
 * Condition keys are those the Service Authorization Reference lists per action: `ec2:SubnetID` on the endpoint
 * for Create and Delete, none that names the VPC or subnet for Modify (hence this endpoint's ARN).
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/permissions-for-ec2-instance-connect-endpoint.html
 */
export function controlPlaneStatements(scope: IConstruct, target: ControlPlaneScope): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const ec2Arn = (resource: string, id = '*') => stack.formatArn({ service: 'ec2', resource, resourceName: id });
  const subnets = [...target.vpc.publicSubnets, ...target.vpc.privateSubnets, ...target.vpc.isolatedSubnets];
  const groups = target.endpointSecurityGroups.map(sg => ec2Arn('security-group', sg.securityGroupId));
  if (subnets.length === 0) {
    return [...deployTimeVpcStatements(target, ec2Arn, groups), ...commonStatements(stack, ec2Arn)];
  }
  const subnetIds = subnets.map(subnet => subnet.subnetId);
  const inThisVpc = { StringEquals: { [SUBNET_ID_KEY]: subnetIds.length === 1 ? subnetIds[0] : subnetIds } };
  return [
    new iam.PolicyStatement({
      // The new endpoint's own resource: its ID is unknown, its subnet is not.
      sid: 'CreateEndpointInThisVpc',
      actions: [CREATE_ENDPOINT],
      resources: [ec2Arn('instance-connect-endpoint')],
      conditions: inThisVpc,
    }),
    new iam.PolicyStatement({
      // The other resources Create and Modify are authorised on: this VPC's subnets and the endpoint's groups.
      sid: 'UseThisVpc',
      actions: [CREATE_ENDPOINT, MODIFY_ENDPOINT, 'ec2:CreateNetworkInterface'],
      resources: [...subnets.map(subnet => ec2Arn('subnet', subnet.subnetId)), ...groups],
    }),
    new iam.PolicyStatement({
      sid: 'ModifyThisEndpoint',
      actions: [MODIFY_ENDPOINT],
      resources: [target.endpointArn],
    }),
    new iam.PolicyStatement({
      sid: 'DeleteEndpointsOfThisVpc',
      actions: [DELETE_ENDPOINT],
      resources: [ec2Arn('instance-connect-endpoint')],
      conditions: inThisVpc,
    }),
    ...commonStatements(stack, ec2Arn),
  ];
}

/**
 * The VPC's subnets are known only at deploy time (a baseline reading them from SSM parameters): name the VPC
 * instead, through the subnet's ec2:Vpc key, and delete or modify this endpoint only.
 */
function deployTimeVpcStatements(
  target: ControlPlaneScope, ec2Arn: (resource: string, id?: string) => string, groups: string[],
): iam.PolicyStatement[] {
  const vpcArn = ec2Arn('vpc', target.vpc.vpcId);
  return [
    new iam.PolicyStatement({
      sid: 'CreateEndpointInThisVpc',
      actions: [CREATE_ENDPOINT],
      resources: [ec2Arn('instance-connect-endpoint')],
    }),
    new iam.PolicyStatement({
      sid: 'UseSubnetsOfThisVpc',
      actions: [CREATE_ENDPOINT, 'ec2:CreateNetworkInterface'],
      resources: [ec2Arn('subnet')],
      conditions: { ArnEquals: { [VPC_KEY]: vpcArn } },
    }),
    new iam.PolicyStatement({
      sid: 'UseThisVpc',
      actions: [CREATE_ENDPOINT, MODIFY_ENDPOINT, 'ec2:CreateNetworkInterface'],
      resources: groups,
    }),
    new iam.PolicyStatement({
      sid: 'ManageThisEndpoint',
      actions: [MODIFY_ENDPOINT, DELETE_ENDPOINT],
      resources: [target.endpointArn],
    }),
  ];
}

/** What the control plane needs whatever the VPC: the network interface, tags at creation, describe, the SLR, the deny. */
function commonStatements(stack: Stack, ec2Arn: (resource: string, id?: string) => string): iam.PolicyStatement[] {
  return [
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
      actions: [DESCRIBE_ENDPOINTS],
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
