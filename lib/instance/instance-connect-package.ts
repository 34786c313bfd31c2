import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * Operating-system families that need the `ec2-instance-connect` package installed before EC2 Instance Connect can
 * push one-time keys to them.
 *
 * Already installed (nothing to do): the Amazon Linux 2023 standard AMI, Amazon Linux 2 2.0.20190618 and later,
 * Ubuntu 20.04 and later, and recent macOS AMIs. Without the package, tunnels still work with your own key pair;
 * Windows and RDP need nothing on the instance.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-connect-set-up.html
 */
export enum InstanceConnectOsFamily {
  /** The Amazon Linux 2023 minimal AMI and the AL2023 ECS-optimized AMI (`dnf`). */
  AMAZON_LINUX_2023 = 'AMAZON_LINUX_2023',
  /** Amazon Linux 2 before 2.0.20190618 and the AL2 ECS-optimized AMI (`yum`). */
  AMAZON_LINUX_2 = 'AMAZON_LINUX_2',
  /** Ubuntu 16.04 and 18.04 (`apt-get`). */
  UBUNTU = 'UBUNTU',
  /** Red Hat Enterprise Linux 8 and CentOS Stream 8: the RPMs AWS publishes (needs outbound HTTPS to Amazon S3). */
  RHEL_8 = 'RHEL_8',
  /** Red Hat Enterprise Linux 9 and CentOS Stream 9: the RPMs AWS publishes (needs outbound HTTPS to Amazon S3). */
  RHEL_9 = 'RHEL_9',
}

/** Where AWS publishes the RPMs for RHEL and CentOS Stream. */
const RPM_BASE_URL = 'https://amazon-ec2-instance-connect-us-west-2.s3.us-west-2.amazonaws.com/latest';
const RPM_VERSION = '2.0.0-5';

/**
 * Installs the `ec2-instance-connect` package, which lets `SendSSHPublicKey` keys log in, on AMIs that lack it.
 *
 * @example
 * declare const instance: ec2.Instance;
 * InstanceConnectPackage.addToUserData(instance.userData, InstanceConnectOsFamily.RHEL_9);
 */
export class InstanceConnectPackage {
  /**
   * The shell commands that install the package on `family`.
   *
   * @param family the operating-system family of the AMI
   */
  public static installCommands(family: InstanceConnectOsFamily): string[] {
    switch (family) {
      case InstanceConnectOsFamily.AMAZON_LINUX_2023:
        return ['dnf install -y ec2-instance-connect'];
      case InstanceConnectOsFamily.AMAZON_LINUX_2:
        return ['yum install -y ec2-instance-connect'];
      case InstanceConnectOsFamily.UBUNTU:
        return ['apt-get update', 'DEBIAN_FRONTEND=noninteractive apt-get install -y ec2-instance-connect'];
      case InstanceConnectOsFamily.RHEL_8:
        return rpmCommands(8);
      case InstanceConnectOsFamily.RHEL_9:
        return rpmCommands(9);
    }
  }

  /**
   * Adds the install commands to a Linux instance's user data.
   *
   * @param userData the instance's or launch template's user data
   * @param family the operating-system family of the AMI
   */
  public static addToUserData(userData: ec2.UserData, family: InstanceConnectOsFamily): void {
    userData.addCommands(...InstanceConnectPackage.installCommands(family));
  }

  private constructor() {}
}

function rpmCommands(release: number): string[] {
  // The RPM's name carries the CPU architecture; the download folder names it differently.
  return [
    'ARCH=$(uname -m)',
    'FOLDER=$([ "$ARCH" = aarch64 ] && echo linux_arm64 || echo linux_amd64)',
    `curl -fsSL -o /tmp/ec2-instance-connect.rpm "${RPM_BASE_URL}/$FOLDER/ec2-instance-connect-${RPM_VERSION}.rhel${release}.$ARCH.rpm"`,
    `curl -fsSL -o /tmp/ec2-instance-connect-selinux.rpm "${RPM_BASE_URL}/$FOLDER/ec2-instance-connect-selinux-${RPM_VERSION}.noarch.rpm"`,
    'yum install -y /tmp/ec2-instance-connect.rpm /tmp/ec2-instance-connect-selinux.rpm',
  ];
}
