import { Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CONTROL_PLANE_WILDCARD_REASONS, controlPlaneStatements } from './control-plane-policy';
import { IInstanceConnectEndpoint, InstanceConnectEndpoint } from '../../endpoint/instance-connect-endpoint';
import { acknowledgeForcedWildcards } from '../../private/acknowledge';
import { show, validationError } from '../../private/errors';
import { DEFAULT_ENDPOINT_TAG } from '../../private/vocabulary';
import { InstanceConnectAccessProps } from '../instance-connect-access-props';

/**
 * The endpoint of an `InstanceConnectAccess`: a new one (tagged so that permission sets in other accounts can name
 * it), the one given, or none with `createEndpoint: false`; the props that contradict each other are refused here.
 */
export function defineAccessEndpoint(scope: Construct, props: InstanceConnectAccessProps): IInstanceConnectEndpoint | undefined {
  const createEndpoint = props.createEndpoint ?? true;
  if (props.endpoint && (props.endpointSubnets || props.preserveClientIp !== undefined)) {
    throw validationError(scope, 'endpointSubnets and preserveClientIp apply to a new endpoint; they cannot be set with endpoint');
  }
  if (!createEndpoint && (props.endpoint || props.endpointSubnets || props.preserveClientIp !== undefined || props.controlPlaneAssumedBy)) {
    const given = (['endpoint', 'endpointSubnets', 'preserveClientIp', 'controlPlaneAssumedBy'] as const).filter(k => props[k] !== undefined);
    throw validationError(scope, `createEndpoint: false defines no endpoint and no control plane, so ${given.join(', ')} cannot be set, got ${given.join(', ')}`);
  }
  if (props.endpointTags && (props.endpoint || !createEndpoint)) {
    throw validationError(scope, `endpointTags apply to a new endpoint; they cannot be set with ${props.endpoint ? 'endpoint' : 'createEndpoint: false'}, ` +
      `got ${show(props.endpointTags)}`);
  }
  if (!createEndpoint) {
    return undefined;
  }
  if (props.endpoint) {
    return props.endpoint;
  }
  const endpoint = new InstanceConnectEndpoint(scope, 'Endpoint', {
    vpc: props.vpc,
    vpcSubnets: props.endpointSubnets,
    preserveClientIp: props.preserveClientIp,
  });
  // So that a permission set in the management account can name this endpoint (OpenTunnel sees only its tags).
  for (const [key, value] of Object.entries(props.endpointTags ?? { [DEFAULT_ENDPOINT_TAG.key]: DEFAULT_ENDPOINT_TAG.value })) {
    Tags.of(endpoint).add(key, value, { includeResourceTypes: ['AWS::EC2::InstanceConnectEndpoint'] });
  }
  return endpoint;
}

/** The role that manages the VPC's endpoint, in a customer-managed policy with an explicit deny of the data plane. */
export function defineControlPlaneRole(
  scope: Construct, props: InstanceConnectAccessProps, endpoint: IInstanceConnectEndpoint,
): iam.Role {
  const role = new iam.Role(scope, 'ControlPlaneRole', {
    assumedBy: props.controlPlaneAssumedBy ?? new iam.AccountRootPrincipal(),
    description: `Manages EC2 Instance Connect Endpoints of ${props.vpc.node.path}; may not open tunnels or push keys`,
  });
  const statements = controlPlaneStatements(scope, {
    vpc: props.vpc,
    endpointArn: endpoint.instanceConnectEndpointArn,
    endpointSecurityGroups: endpoint.connections.securityGroups,
  });
  const policy = new iam.ManagedPolicy(scope, 'ControlPlanePolicy', {
    description: 'EC2 Instance Connect Endpoint control plane: manage this VPC\'s endpoint; data plane explicitly denied',
    statements,
    roles: [role],
  });
  acknowledgeForcedWildcards(policy, statements, CONTROL_PLANE_WILDCARD_REASONS);
  return role;
}
