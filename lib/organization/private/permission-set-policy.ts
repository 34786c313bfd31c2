import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import {
  keyPushConditions,
  mergeConditions,
  openTunnelConditions,
  resourceTagConditions,
  rootLoginDenies,
  sourceIpConditions,
} from '../../grants/grant-conditions';
import { denyAccessTagChanges, denyControlPlane } from '../../private/operator-denies';
import { DATA_PLANE_DESCRIBE_ACTIONS, OPEN_TUNNEL, SEND_SSH_PUBLIC_KEY } from '../../private/vocabulary';
import { InstanceConnectPermissionSetProps } from '../instance-connect-permission-set-props';

/** Tags with fixed values, and tags whose value must equal the signed-in person's attribute. */
function tagValues(fixed: Record<string, string> | undefined, attributes: Record<string, string> | undefined): Record<string, string> {
  return {
    ...fixed,
    ...Object.fromEntries(Object.entries(attributes ?? {}).map(([k, attribute]) => [k, `\${aws:PrincipalTag/${attribute}}`])),
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
  const sourceIp = sourceIpConditions(props);
  const statements: iam.PolicyStatement[] = [];

  statements.push(new iam.PolicyStatement({
    sid: 'TunnelThroughTaggedEndpoints',
    actions: [OPEN_TUNNEL],
    // OpenTunnel sees only the endpoint's tags: one endpoint serves every team of its VPC.
    resources: [anywhere('instance-connect-endpoint')],
    conditions: { ...openTunnelConditions(props), StringEquals: resourceTagConditions(tagValues(endpointTags, props.endpointTagAttributes)) },
  }));

  if (props.osUsers) {
    statements.push(new iam.PolicyStatement({
      sid: 'PushKeysToTaggedInstances',
      actions: [SEND_SSH_PUBLIC_KEY],
      resources: [anywhere('instance')],
      conditions: mergeConditions(keyPushConditions(props, tagValues(props.instanceTags, props.instanceTagAttributes)), sourceIp),
    }));
  }
  statements.push(new iam.PolicyStatement({
    sid: 'DescribeForTheCli',
    actions: DATA_PLANE_DESCRIBE_ACTIONS,
    resources: ['*'],
    conditions: Object.keys(sourceIp).length > 0 ? sourceIp : undefined,
  }));

  statements.push(...rootLoginDenies(props));
  const accessTagKeys = [...new Set([
    ...Object.keys(endpointTags), ...Object.keys(props.endpointTagAttributes ?? {}),
    ...Object.keys(props.instanceTags ?? {}), ...Object.keys(props.instanceTagAttributes ?? {}),
  ])];
  statements.push(...denyAccessTagChanges(accessTagKeys), denyControlPlane());
  return statements;
}
