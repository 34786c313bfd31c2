import { Duration } from 'aws-cdk-lib';
import { DataPlaneOptions } from '../grants/data-plane-options';

/**
 * Properties of `InstanceConnectPermissionSet`: the data plane of EC2 Instance Connect across accounts, for the
 * people IAM Identity Center signs in.
 *
 * Targets in other accounts cannot be named by ARN, so they are named by tags: the endpoints' (`OpenTunnel`) and
 * the instances' (`SendSSHPublicKey`), each either a fixed value or the signed-in person's attribute. The options
 * every data-plane grant shares (ports, addresses, OS users, `instanceTags`, ...) come from `DataPlaneOptions`.
 */
export interface InstanceConnectPermissionSetProps extends DataPlaneOptions {
  /**
   * The ARN of the IAM Identity Center instance (`arn:aws:sso:::instance/ssoins-…`).
   */
  readonly instanceArn: string;

  /**
   * The name of the permission set (1-32 letters, digits and `+=,.@-_`); the roles Identity Center makes in each
   * account are named `AWSReservedSSO_<name>_<hex>`, which is how `InstanceConnectGuardrails` recognises them.
   */
  readonly name: string;

  /**
   * The description of the permission set.
   *
   * @default - a description of the access it grants
   */
  readonly description?: string;

  /**
   * How long a sign-in lasts, from 1 to 12 hours.
   *
   * @default Duration.hours(1)
   */
  readonly sessionDuration?: Duration;

  /**
   * Tags the endpoints must carry (`aws:ResourceTag` on `OpenTunnel`), with fixed values.
   *
   * @default - `{ 'instance-connect-access:endpoint': 'true' }`, the tag `InstanceConnectAccess` puts on its endpoints,
   * unless `endpointTagAttributes` is given
   */
  readonly endpointTags?: { [key: string]: string };

  /**
   * Tags the endpoints must carry with the value of the signed-in person's attribute: tag key to attribute key
   * (`aws:ResourceTag/<tag>` equals `${aws:PrincipalTag/<attribute>}`).
   *
   * @default - none
   */
  readonly endpointTagAttributes?: { [tagKey: string]: string };

  /**
   * Tags the instances must carry with the value of the signed-in person's attribute: tag key to attribute key.
   * With `{ team: 'team' }`, a person whose `team` attribute is `web` may push keys to instances tagged `team=web`
   * only: one permission set serves every team.
   *
   * @default - none
   */
  readonly instanceTagAttributes?: { [tagKey: string]: string };

  /**
   * Attributes for access control to define for the Identity Center instance: attribute key to the identity
   * source's path (for example `{ team: '${path:enterprise.department}' }`). An instance has one such
   * configuration, and this replaces any existing one (a warning says so).
   *
   * @default - none defined here; the attributes the tags refer to must exist
   */
  readonly accessControlAttributes?: { [key: string]: string };
}
