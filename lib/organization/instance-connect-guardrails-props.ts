/**
 * Properties of `InstanceConnectGuardrails`: service control policies that make the library's model the only way
 * in, across the accounts of an organisation.
 */
export interface InstanceConnectGuardrailsProps {
  /**
   * The organisational units (`ou-…`), accounts (12 digits) or root (`r-…`) to attach the policies to. SCPs do not
   * apply to the management account.
   */
  readonly targetIds: string[];

  /**
   * The permission sets whose people may open tunnels and push keys, by name: the roles Identity Center makes for
   * them (`…:role/aws-reserved/sso.amazonaws.com/[<region>/]AWSReservedSSO_<name>_<hex>`).
   *
   * @default - none
   */
  readonly connectPermissionSets?: string[];

  /**
   * Other principals that may open tunnels and push keys, as ARN patterns (`arn:aws:iam::*:role/instance-connect-*`,
   * say, for operator roles of `InstanceConnectAccess` named so).
   *
   * @default - none
   */
  readonly connectPrincipals?: string[];

  /**
   * The roles that deploy the access model and the audit, as ARN patterns: they alone may write the access tags and
   * change the access path and the audit. Nobody else in a member account may create, change, pass or assume them:
   * name roles that only your deployment pipelines assume (from outside the guarded accounts).
   *
   * @default - none besides the exemptions
   */
  readonly deploymentRoles?: string[];

  /**
   * Exempt CloudFormation StackSets' execution role (`stacksets-exec-*`), which rolls the per-account baseline out.
   *
   * @default true
   */
  readonly exemptStackSetsExecutionRole?: boolean;

  /**
   * Exempt the CDK's CloudFormation execution role (`cdk-*-cfn-exec-role-*`), which `cdk deploy` uses.
   *
   * CloudFormation acts as a stack's role for anyone who may operate the stack, so with this exemption the guardrails
   * also leave CloudFormation stacks and the CDK execution role to the deployers and the CDK deploy role
   * (`cdk-*-deploy-role-*`), and the deploy role to the deployers: only they deploy with the CDK in member accounts,
   * and only they bootstrap it.
   *
   * @default false - the CDK execution role is an exemption only when it is one of `deploymentRoles`
   */
  readonly exemptCdkExecutionRole?: boolean;

  /**
   * Break-glass roles, as ARN patterns: exempt from every guardrail. Nobody else in a member account may create,
   * change, pass or assume them.
   *
   * @default - none
   */
  readonly breakGlassRoles?: string[];

  /**
   * The tag keys that grant access (on instances, Auto Scaling groups, launch templates and endpoints), protected in
   * every letter case; fleet grants' keys (`instance-connect-access:grant:*`) are protected as written.
   *
   * @default - the endpoint tag of `InstanceConnectAccess` (`instance-connect-access:endpoint`)
   */
  readonly accessTagKeys?: string[];

  /**
   * Whether the serial console's key push (`SendSerialConsoleSSHPublicKey`) is allowed to the connect principals.
   *
   * @default false - denied to everyone but break-glass roles
   */
  readonly allowSerialConsole?: boolean;

  /**
   * The prefixes of the SSM parameters the baselines read and write (`InstanceConnectBaseline`'s parameter names):
   * only deployers may change them, since they say which VPC and subnet the endpoint is built in and which security
   * groups workloads join.
   *
   * @default ['/instance-connect/']
   */
  readonly protectedParameterPrefixes?: string[];

  /**
   * Service control policies already attached to each target, FullAWSAccess included: a target takes five at most.
   *
   * @default 1
   */
  readonly existingPoliciesPerTarget?: number;
}
