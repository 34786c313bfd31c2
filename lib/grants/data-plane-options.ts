import { OpenTunnelOptions } from './open-tunnel-options';

/**
 * What every grant of the whole data plane (tunnels and key pushes) shares, whether an IAM policy of this account
 * (`ConnectOptions`) or an IAM Identity Center permission set across accounts (`InstanceConnectPermissionSetProps`):
 * the tunnel bounds of `OpenTunnelOptions`, who may log in, and which tagged instances take key pushes.
 */
export interface DataPlaneOptions extends OpenTunnelOptions {
  /**
   * The OS users the grantee may log in as (`StringEquals ec2:osuser` on `SendSSHPublicKey`), for example
   * `ec2-user` on Amazon Linux or `ubuntu` on Ubuntu. Required unless the grant only opens RDP (`remotePorts:
   * [3389]`), which needs no key push.
   *
   * @default - no key pushes (allowed only for an RDP-only grant)
   */
  readonly osUsers?: string[];

  /**
   * Whether `root` may be among `osUsers`. Without it, `root` is refused at synth time and explicitly denied.
   *
   * @default false
   */
  readonly allowRootLogin?: boolean;

  /**
   * Tags the instances must carry for key pushes, with fixed values (attribute-based access for fleets and Auto
   * Scaling groups): `SendSSHPublicKey` on `instance/*` with an `aws:ResourceTag` condition per tag. The grantee is
   * denied changing these tag keys (in any letter case), so it cannot widen its own access.
   *
   * @default - none. `ConnectOptions` then names instances otherwise; a permission set that pushes keys needs this
   * or `instanceTagAttributes`
   */
  readonly instanceTags?: { [key: string]: string };
}
