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
   * The roles that deploy the access model and the audit, as ARN patterns: they alone may create or delete the access
   * tags, create, modify or delete endpoints, and change trails and the audit keys.
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
   * @default true
   */
  readonly exemptCdkExecutionRole?: boolean;

  /**
   * Break-glass roles, as ARN patterns: exempt from every guardrail.
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
   * Service control policies already attached to each target, FullAWSAccess included: a target takes five at most.
   *
   * @default 1
   */
  readonly existingPoliciesPerTarget?: number;
}
