import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { DATA_PLANE_ACTIONS } from './plane-actions';

/** The service that owns the endpoint's service-linked role. */
const SERVICE_NAME = 'ec2-instance-connect.amazonaws.com';

/**
 * The control plane of EC2 Instance Connect Endpoints in one VPC: create (and re-create, the documented way to
 * change an endpoint), modify, describe and delete endpoints, the network-interface and tag calls creation needs,
 * the service-linked role, and an explicit deny of every data-plane action.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/permissions-for-ec2-instance-connect-endpoint.html
 */
export function controlPlaneStatements(scope: IConstruct, vpc: ec2.IVpc): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const ec2Arn = (resource: string) => stack.formatArn({ service: 'ec2', resource, resourceName: '*' });
  const inVpc = { StringEquals: { 'ec2:Vpc': stack.formatArn({ service: 'ec2', resource: 'vpc', resourceName: vpc.vpcId }) } };
  return [
    new iam.PolicyStatement({
      sid: 'ManageEndpoints',
      actions: ['ec2:CreateInstanceConnectEndpoint', 'ec2:ModifyInstanceConnectEndpoint', 'ec2:DeleteInstanceConnectEndpoint'],
      resources: [ec2Arn('instance-connect-endpoint')],
    }),
    new iam.PolicyStatement({
      // The subnets and security groups an endpoint (and its network interface) may use: this VPC's only.
      sid: 'UseThisVpc',
      actions: ['ec2:CreateInstanceConnectEndpoint', 'ec2:ModifyInstanceConnectEndpoint', 'ec2:CreateNetworkInterface'],
      resources: [ec2Arn('subnet'), ec2Arn('security-group')],
      conditions: inVpc,
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
