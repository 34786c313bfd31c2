import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ConnectOptions } from '../grants/connect-options';

/**
 * Options of `addOperatorRole`: a role that may connect (the data plane) and may not manage endpoints.
 */
export interface OperatorRoleOptions extends ConnectOptions {
  /**
   * Who may assume the role.
   *
   * @default - the account root principal, i.e. IAM policies in this account decide who may assume it
   */
  readonly assumedBy?: iam.IPrincipal;

  /**
   * The name of the role.
   *
   * @default - a name CloudFormation generates
   */
  readonly roleName?: string;

  /**
   * The longest session of the role, from 1 to 12 hours. Tunnels end at their own bound regardless.
   *
   * @default Duration.hours(1)
   */
  readonly maxSessionDuration?: Duration;
}

/**
 * Properties of an operator role.
 *
 * @deprecated use `OperatorRoleOptions`: `addOperatorRole` is a factory method, whose options aws-cdk names
 * `…Options`. This name stays as an alias with the same properties.
 */
export interface OperatorRoleProps extends OperatorRoleOptions {}
