import { Duration } from 'aws-cdk-lib';

/**
 * Properties of `InstanceConnectPermissionSet`: the data plane of EC2 Instance Connect across accounts, for the
 * people IAM Identity Center signs in.
 *
 * Targets in other accounts cannot be named by ARN, so they are named by tags: the endpoints' (`OpenTunnel`) and
 * the instances' (`SendSSHPublicKey`), each either a fixed value or the signed-in person's attribute.
 */
export interface InstanceConnectPermissionSetProps {
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
   * Tags the instances must carry for key pushes (`aws:ResourceTag` on `SendSSHPublicKey`), with fixed values.
   *
   * @default - none; give this or `instanceTagAttributes` when `osUsers` is given
   */
  readonly instanceTags?: { [key: string]: string };

  /**
   * Tags the instances must carry with the value of the signed-in person's attribute: tag key to attribute key.
   * With `{ team: 'team' }`, a person whose `team` attribute is `web` may push keys to instances tagged `team=web`
   * only: one permission set serves every team.
   *
   * @default - none
   */
  readonly instanceTagAttributes?: { [tagKey: string]: string };

  /**
   * The OS users people may log in as (`ec2:osuser`). Required unless the permission set only opens RDP.
   *
   * @default - no key pushes (allowed only when `remotePorts` is `[3389]`)
   */
  readonly osUsers?: string[];

  /**
   * The instance ports tunnels may reach.
   *
   * @default [22]
   */
  readonly remotePorts?: number[];

  /**
   * Private addresses or CIDRs tunnels may reach (`ec2-instance-connect:privateIpAddress`), the only way to narrow
   * tunnels to instances: tags cannot.
   *
   * @default - every address the endpoint reaches
   */
  readonly privateIpAddresses?: string[];

  /**
   * The client networks people connect from (`aws:SourceIp` on every statement).
   *
   * @default - any source address
   */
  readonly sourceIpRanges?: string[];

  /**
   * The longest tunnel, from 1 second to 1 hour.
   *
   * @default Duration.hours(1)
   */
  readonly maxTunnelDuration?: Duration;

  /**
   * Whether `root` may be among `osUsers`.
   *
   * @default false
   */
  readonly allowRootLogin?: boolean;

  /**
   * Attributes for access control to define for the Identity Center instance: attribute key to the identity
   * source's path (for example `{ team: '${path:enterprise.department}' }`). An instance has one such
   * configuration, and this replaces any existing one (a warning says so).
   *
   * @default - none defined here; the attributes the tags refer to must exist
   */
  readonly accessControlAttributes?: { [key: string]: string };
}
