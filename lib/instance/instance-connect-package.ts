import { Token } from 'aws-cdk-lib';
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
  /**
   * Red Hat Enterprise Linux 8 and CentOS Stream 8: the RPMs AWS publishes, at versioned URLs you name with their
   * SHA-256 (`InstanceConnectPackageOptions.rpms`); needs outbound HTTPS to where they are.
   */
  RHEL_8 = 'RHEL_8',
  /**
   * Red Hat Enterprise Linux 9 and CentOS Stream 9: the RPMs AWS publishes, at versioned URLs you name with their
   * SHA-256 (`InstanceConnectPackageOptions.rpms`); needs outbound HTTPS to where they are.
   */
  RHEL_9 = 'RHEL_9',
}

/** A package file to download and install, pinned by its digest. */
export interface InstanceConnectRpm {
  /**
   * An HTTPS URL of one version of the RPM (not a `latest/` path, whose content changes under the same name), for
   * example in AWS's bucket `amazon-ec2-instance-connect-us-west-2`, or a mirror of your own.
   */
  readonly url: string;

  /** The SHA-256 of the file, 64 hexadecimal digits; the install stops if the download does not match. */
  readonly sha256: string;
}

/** How to install the package where the operating system's repositories do not carry it. */
export interface InstanceConnectPackageOptions {
  /**
   * For `RHEL_8` and `RHEL_9`: the RPMs to install, each pinned by its SHA-256: `ec2-instance-connect` for the
   * instance's CPU architecture and `ec2-instance-connect-selinux`. Required for those families: the user data
   * refuses to install code it cannot verify.
   *
   * @default - none; required for RHEL_8 and RHEL_9
   */
  readonly rpms?: InstanceConnectRpm[];
}

const SHA256 = /^[0-9a-fA-F]{64}$/;

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
   * @param options the pinned RPMs, for RHEL and CentOS Stream
   */
  public static installCommands(family: InstanceConnectOsFamily, options: InstanceConnectPackageOptions = {}): string[] {
    if (options.rpms !== undefined && family !== InstanceConnectOsFamily.RHEL_8 && family !== InstanceConnectOsFamily.RHEL_9) {
      throw new Error(`InstanceConnectPackage options.rpms is for RHEL_8 and RHEL_9, whose repositories lack the package; ${family} installs it from its own repositories`);
    }
    switch (family) {
      case InstanceConnectOsFamily.AMAZON_LINUX_2023:
        return ['dnf install -y ec2-instance-connect'];
      case InstanceConnectOsFamily.AMAZON_LINUX_2:
        return ['yum install -y ec2-instance-connect'];
      case InstanceConnectOsFamily.UBUNTU:
        return ['apt-get update', 'DEBIAN_FRONTEND=noninteractive apt-get install -y ec2-instance-connect'];
      case InstanceConnectOsFamily.RHEL_8:
      case InstanceConnectOsFamily.RHEL_9:
        return rpmCommands(family, options.rpms);
    }
  }

  /**
   * Adds the install commands to a Linux instance's user data.
   *
   * @param userData the instance's or launch template's user data
   * @param family the operating-system family of the AMI
   * @param options the pinned RPMs, for RHEL and CentOS Stream
   */
  public static addToUserData(userData: ec2.UserData, family: InstanceConnectOsFamily, options: InstanceConnectPackageOptions = {}): void {
    userData.addCommands(...InstanceConnectPackage.installCommands(family, options));
  }

  private constructor() {}
}

/**
 * Downloads each RPM, checks its SHA-256 and installs them together; a mismatch ends the user data before anything
 * is installed. The URLs and digests are the caller's: AWS publishes the RPMs under a `latest/` path whose content
 * changes, so no digest can be pinned here.
 */
function rpmCommands(family: InstanceConnectOsFamily, rpms: InstanceConnectRpm[] | undefined): string[] {
  if (rpms === undefined || rpms.length === 0) {
    throw new Error(`InstanceConnectPackage ${family} needs options.rpms: the versioned URL and SHA-256 of each RPM to install, got ${JSON.stringify(rpms)}; ` +
      'the user data will not install a package it cannot verify');
  }
  const commands: string[] = [];
  rpms.forEach((rpm, i) => {
    if (!Token.isUnresolved(rpm.url) && (!/^https:\/\/[^\s'"]+\.rpm$/.test(rpm.url) || /\/latest\//.test(rpm.url))) {
      throw new Error(`InstanceConnectPackage options.rpms[${i}].url must be an https:// URL of one version of an .rpm file (not a latest/ path), got ${JSON.stringify(rpm.url)}`);
    }
    if (!Token.isUnresolved(rpm.sha256) && !SHA256.test(rpm.sha256)) {
      throw new Error(`InstanceConnectPackage options.rpms[${i}].sha256 must be 64 hexadecimal digits, got ${JSON.stringify(rpm.sha256)}`);
    }
    const file = `/tmp/ec2-instance-connect-${i}.rpm`;
    commands.push(
      `curl -fsSL --proto '=https' -o ${file} '${rpm.url}'`,
      `echo '${Token.isUnresolved(rpm.sha256) ? rpm.sha256 : rpm.sha256.toLowerCase()}  ${file}' | sha256sum --check --strict - || { echo 'ec2-instance-connect: ${file} does not match its SHA-256' >&2; exit 1; }`,
    );
  });
  commands.push(`yum install -y ${rpms.map((_, i) => `/tmp/ec2-instance-connect-${i}.rpm`).join(' ')}`);
  return commands;
}
