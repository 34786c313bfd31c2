import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { conditionValue, openTunnelConditions } from './open-tunnel-conditions';
import { denyAccessTagChanges, denyControlPlane, denyRootLogin } from './operator-denies';
import {
  DATA_PLANE_DESCRIBE_ACTIONS,
  OPEN_TUNNEL,
  OS_USER_KEY,
  RESOURCE_TAG_PREFIX,
  SEND_SSH_PUBLIC_KEY,
  SOURCE_IP_KEY,
} from './vocabulary';
import { InstanceConnectPermissionSetProps } from '../organization/instance-connect-permission-set-props';

/** Tag conditions: fixed values, and values that must equal the signed-in person's attribute. */
function tagConditions(fixed: Record<string, string> | undefined, attributes: Record<string, string> | undefined): Record<string, string> {
  return {
    ...Object.fromEntries(Object.entries(fixed ?? {}).map(([k, v]) => [`${RESOURCE_TAG_PREFIX}${k}`, v])),
    ...Object.fromEntries(Object.entries(attributes ?? {}).map(([k, attribute]) => [`${RESOURCE_TAG_PREFIX}${k}`, `\${aws:PrincipalTag/${attribute}}`])),
  };
}

/**
 * The data plane of a permission set: the statements of `InstanceConnectAccess` operator roles, with endpoints
 * and instances named by tags (any account's), and the same denies.
 */
export function permissionSetStatements(
  scope: IConstruct, props: InstanceConnectPermissionSetProps, endpointTags: Record<string, string>,
): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const anywhere = (resource: string) => `arn:${stack.partition}:ec2:*:*:${resource}/*`;
  const sourceIp = props.sourceIpRanges ? { IpAddress: { [SOURCE_IP_KEY]: conditionValue(props.sourceIpRanges) } } : {};
  const statements: iam.PolicyStatement[] = [];

  const tunnel = openTunnelConditions(scope, 'InstanceConnectPermissionSet props', {
    remotePorts: props.remotePorts,
    maxTunnelDuration: props.maxTunnelDuration,
    privateIpAddresses: props.privateIpAddresses,
    sourceIpRanges: props.sourceIpRanges,
  });
  statements.push(new iam.PolicyStatement({
    sid: 'TunnelThroughTaggedEndpoints',
    actions: [OPEN_TUNNEL],
    // OpenTunnel sees only the endpoint's tags: one endpoint serves every team of its VPC.
    resources: [anywhere('instance-connect-endpoint')],
    conditions: { ...tunnel, StringEquals: tagConditions(endpointTags, props.endpointTagAttributes) },
  }));

  if (props.osUsers) {
    statements.push(new iam.PolicyStatement({
      sid: 'PushKeysToTaggedInstances',
      actions: [SEND_SSH_PUBLIC_KEY],
      resources: [anywhere('instance')],
      conditions: {
        StringEquals: { [OS_USER_KEY]: conditionValue(props.osUsers), ...tagConditions(props.instanceTags, props.instanceTagAttributes) },
        ...sourceIp,
      },
    }));
  }
  statements.push(new iam.PolicyStatement({
    sid: 'DescribeForTheCli',
    actions: DATA_PLANE_DESCRIBE_ACTIONS,
    resources: ['*'],
    conditions: Object.keys(sourceIp).length > 0 ? sourceIp : undefined,
  }));

  if (!props.allowRootLogin) {
    statements.push(denyRootLogin());
  }
  const accessTagKeys = [...new Set([
    ...Object.keys(endpointTags), ...Object.keys(props.endpointTagAttributes ?? {}),
    ...Object.keys(props.instanceTags ?? {}), ...Object.keys(props.instanceTagAttributes ?? {}),
  ])];
  statements.push(...denyAccessTagChanges(accessTagKeys), denyControlPlane());
  return statements;
}
