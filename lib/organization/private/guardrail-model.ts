import { Token } from 'aws-cdk-lib';
import { CDK_DEPLOY_ROLE, CDK_EXECUTION_ROLE, ProtectedResource, protectedResources, STACKSETS_EXECUTION_ROLE } from './protected-resources';
import { permissionSetRolePattern } from '../../private/identity-center';
import { PROTECTED_TAG } from '../../private/protected-tag';
import { DEFAULT_ENDPOINT_TAG } from '../../private/vocabulary';
import { InstanceConnectGuardrailsProps } from '../instance-connect-guardrails-props';

/** The SSM parameters `InstanceConnectBaseline` reads and writes by default. */
export const DEFAULT_PARAMETER_PREFIX = '/instance-connect/';

/** Who the guardrails name, and what they protect, for one set of props: the construct and its proof share it. */
export interface GuardrailModel {
  /** Who may open tunnels and push keys: permission sets' roles, connect principals and break-glass roles. */
  readonly connectors: string[];
  /** Break-glass roles. */
  readonly breakGlass: string[];
  /** Who may change what is protected. */
  readonly deployers: string[];
  /** With the CDK exemption, the CDK deploy role, which operates stacks and passes the execution role. */
  readonly cdkDeployRole?: string;
  /** The protected resources. */
  readonly resources: ProtectedResource[];
  /** The tag keys only deployers may write, compared in every letter case. */
  readonly protectedTagKeys: string[];
}

/** The guardrails' model for `props`, with ARN patterns in `partition`. */
export function guardrailModel(props: InstanceConnectGuardrailsProps, partition: string): GuardrailModel {
  const role = (pattern: string) => `arn:${partition}:iam::*:role/${pattern}`;
  const breakGlass = props.breakGlassRoles ?? [];
  const connectPrincipals = props.connectPrincipals ?? [];
  const cdk = props.exemptCdkExecutionRole ?? false;
  const deployers = [
    ...(props.deploymentRoles ?? []),
    ...(props.exemptStackSetsExecutionRole ?? true ? [role(STACKSETS_EXECUTION_ROLE)] : []),
    ...(cdk ? [role(CDK_EXECUTION_ROLE)] : []),
    ...breakGlass,
  ];
  return {
    connectors: [...(props.connectPermissionSets ?? []).map(name => permissionSetRolePattern(partition, name)), ...connectPrincipals, ...breakGlass],
    breakGlass,
    deployers,
    cdkDeployRole: cdk ? role(CDK_DEPLOY_ROLE) : undefined,
    resources: protectedResources({
      partition,
      // The CDK execution role is protected with the stacks that act as it, which its deploy role may operate too.
      exemptRoles: deployers.filter(isMemberRole).filter(arn => arn !== role(CDK_EXECUTION_ROLE)),
      connectRoles: connectPrincipals.filter(isMemberRole),
      cdk,
      parameterPrefixes: props.protectedParameterPrefixes ?? [DEFAULT_PARAMETER_PREFIX],
    }),
    // IAM matches aws:ResourceTag/<key> without regard to case, while EC2, KMS and others keep tag keys as written:
    // every case of a protected key, in every service, on existing resources and at creation.
    protectedTagKeys: [...new Set([...(props.accessTagKeys ?? [DEFAULT_ENDPOINT_TAG.key]), PROTECTED_TAG.key])],
  };
}

/** Whether a principal pattern names roles a member account could create or act as (aws-reserved roles are AWS's). */
function isMemberRole(arn: string): boolean {
  return Token.isUnresolved(arn) || (/^arn:[^:]*:iam::[^:]*:role\//.test(arn) && !/:role\/aws-reserved\//.test(arn));
}
