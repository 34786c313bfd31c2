import { CfnResource, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import {
  EicDataPlaneSourceIp,
  EicEndpointSecurityGroupAllEgress,
  EicEndpointSecurityGroupIngress,
  EicEndpointWithoutTrail,
  EicOneEndpointPerVpc,
  EicOpenSshRdpIngressFromAnywhere,
  EicOpenTunnelMaxDuration,
  EicOpenTunnelOnAnyEndpoint,
  EicOpenTunnelPrivateIp,
  EicOpenTunnelRemotePort,
  EicPlanesSeparated,
  EicPublicInstanceBesideEndpoint,
  EicSendKeyAnyInstance,
  EicSendKeyOsUser,
} from './rules';
import { AppIndex } from '../private/semantics/app-index';

/**
 * Checks for EC2 Instance Connect access: misconfigured endpoints, network paths and IAM grants, in any CDK app
 * (the rules read CloudFormation resources, so they also check hand-written L1 code and other libraries' output).
 *
 * Rule IDs read `InstanceConnect-EIC<n>`; acknowledge one, with its reason, with
 * `Validations.of(construct).acknowledge({ id: 'InstanceConnect-EIC10', reason: '…' })`.
 *
 * @example
 * declare const app: App;
 * Validations.of(app).addPlugins(new InstanceConnectChecks(app));
 */
export class InstanceConnectChecks extends NagPack {
  public readonly name = 'InstanceConnect';

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = 'InstanceConnect';
  }

  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    // Rules that look at the whole app index it once per run.
    AppIndex.newRun();
    return super.validateScope(scope);
  }

  protected checkResource(node: CfnResource): void {
    this.checkNetwork(node);
    this.checkIam(node);
    this.checkApp(node);
  }

  private checkNetwork(node: CfnResource): void {
    this.applyRule({
      ruleSuffixOverride: 'EIC1',
      info: 'The EC2 Instance Connect Endpoint security group allows all outbound traffic, or the endpoint has no security group '
        + '(and so gets the VPC\'s default group).',
      explanation: 'The endpoint only needs to reach its targets on the tunnelled ports. Give it a group defined with allowAllOutbound: false '
        + 'and allow each target (InstanceConnectEndpoint.allowConnectionsTo or InstanceConnectAccess.allowConnectionsTo).',
      level: NagMessageLevel.ERROR,
      rule: EicEndpointSecurityGroupAllEgress,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: 'EIC2',
      info: 'The EC2 Instance Connect Endpoint security group has inbound rules, which the service ignores.',
      explanation: 'Traffic to the endpoint is allowed regardless of its inbound rules; IAM decides who connects. Remove the rules so '
        + 'nobody mistakes them for access control, and grant ec2-instance-connect:OpenTunnel instead.',
      level: NagMessageLevel.WARN,
      rule: EicEndpointSecurityGroupIngress,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: 'EIC9',
      info: 'The security group allows SSH (22) or RDP (3389, TCP or UDP) from the internet: 0.0.0.0/0, ::/0, a prefix shorter than '
        + 'any one network, or ranges that add up to every address.',
      explanation: 'Reach instances through an EC2 Instance Connect Endpoint (ingress from the endpoint\'s security group), from named '
        + 'on-premises ranges over Direct Connect or VPN, or from the com.amazonaws.<region>.ec2-instance-connect prefix list for the console.',
      level: NagMessageLevel.ERROR,
      rule: EicOpenSshRdpIngressFromAnywhere,
      node,
    });
  }

  private checkIam(node: CfnResource): void {
    this.checkTunnelGrants(node);
    this.checkKeyGrants(node);
    this.checkReach(node);
  }

  private checkTunnelGrants(node: CfnResource): void {
    this.applyRule({
      ruleSuffixOverride: 'EIC3',
      info: 'IAM would allow ec2-instance-connect:OpenTunnel on an endpoint nobody named: untagged, tagged with values nobody wrote, '
        + 'or tagged only with tags its grantee can write.',
      explanation: 'Grant OpenTunnel on the ARN of the endpoint the principal needs (InstanceConnectEndpoint.grantOpenTunnel), or narrow '
        + 'instance-connect-endpoint/* with StringEquals aws:ResourceTag/<key> as AWS documents, on a tag the grantee cannot write.',
      level: NagMessageLevel.ERROR,
      rule: EicOpenTunnelOnAnyEndpoint,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: 'EIC4',
      info: 'IAM would allow ec2-instance-connect:OpenTunnel without ec2-instance-connect:remotePort, or for more ports than the statement names.',
      explanation: 'Without it a tunnel may reach any port of the instance; IfExists lets a request without the key through and a range names '
        + 'no port. Add NumericEquals ec2-instance-connect:remotePort with 22 for SSH or 3389 for RDP (the remotePorts option).',
      level: NagMessageLevel.ERROR,
      rule: EicOpenTunnelRemotePort,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: 'EIC5',
      info: 'IAM would allow ec2-instance-connect:OpenTunnel without ec2-instance-connect:maxTunnelDuration, or for longer than 3600 seconds.',
      explanation: 'Add NumericLessThanEquals ec2-instance-connect:maxTunnelDuration (seconds, at most 3600; not IfExists; the '
        + 'maxTunnelDuration option) so sessions end when your policy says.',
      level: NagMessageLevel.WARN,
      rule: EicOpenTunnelMaxDuration,
      node,
    });
  }

  private checkKeyGrants(node: CfnResource): void {
    this.applyRule({
      ruleSuffixOverride: 'EIC6',
      info: 'IAM would allow ec2-instance-connect:SendSSHPublicKey for root, for an OS user nobody named, or without ec2:osuser.',
      explanation: 'Name the OS users with StringEquals ec2:osuser (the osUsers option) and never allow root; log in as a user and use sudo.',
      level: NagMessageLevel.ERROR,
      rule: EicSendKeyOsUser,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: 'EIC7',
      info: 'IAM would allow pushing keys (SendSSHPublicKey, SendSerialConsoleSSHPublicKey) to an instance nobody named: untagged, '
        + 'tagged with values nobody wrote, or tagged only with tags the grantee can write.',
      explanation: 'Name the instances by ARN (the instances or instanceIds options) or narrow instance/* with StringEquals aws:ResourceTag '
        + 'conditions (the instanceTags option; not IfExists, StringLike "*" or StringNotEquals), and deny changing those tags in any letter case.',
      level: NagMessageLevel.ERROR,
      rule: EicSendKeyAnyInstance,
      node,
    });
  }

  /** Who reaches what: both planes at once, which instances' addresses, and from where. */
  private checkReach(node: CfnResource): void {
    this.applyRule({
      ruleSuffixOverride: 'EIC8',
      info: 'IAM would allow this policy, role, user, group or permission set both to manage EC2 Instance Connect Endpoints and to '
        + 'connect through them, counting every policy it gets (attached, AWS-managed, customer-managed, a user\'s groups).',
      explanation: 'Keep the control plane (Create/Modify/DeleteInstanceConnectEndpoint) and the data plane (OpenTunnel, SendSSHPublicKey, '
        + 'SendSerialConsoleSSHPublicKey) on separate principals, each with an unconditional deny of the other on every resource '
        + '(InstanceConnectAccess.controlPlaneRole and addOperatorRole).',
      level: NagMessageLevel.ERROR,
      rule: EicPlanesSeparated,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: 'EIC14',
      info: 'IAM would allow ec2-instance-connect:OpenTunnel without ec2-instance-connect:privateIpAddress, or to addresses outside the '
        + 'networks the statement names.',
      explanation: 'OpenTunnel\'s only resource is the endpoint, so the private IP address is how a grant names instances; without it the '
        + 'grant reaches every instance the endpoint\'s security group reaches. Add IpAddress ec2-instance-connect:privateIpAddress (the '
        + 'privateIpAddresses, targetSubnets or instances options).',
      level: NagMessageLevel.WARN,
      rule: EicOpenTunnelPrivateIp,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: 'EIC10',
      info: 'IAM would allow opening tunnels or pushing keys from an internet address outside every network the policy names.',
      explanation: 'Add IpAddress aws:SourceIp with the networks operators connect from (the sourceIpRanges option; not 0.0.0.0/0 in any '
        + 'form), or a Deny with NotIpAddress aws:SourceIp, so stolen credentials are not enough; acknowledge this warning where operators roam.',
      level: NagMessageLevel.WARN,
      rule: EicDataPlaneSourceIp,
      node,
    });
  }

  private checkApp(node: CfnResource): void {
    this.applyRule({
      ruleSuffixOverride: 'EIC11',
      info: 'An instance beside an EC2 Instance Connect Endpoint gets a public IP address: by its interface or subnet, an Elastic IP, a '
        + 'launch template, a launch configuration or an Auto Scaling group\'s subnets.',
      explanation: 'The endpoint reaches private instances, so the public address only widens the attack surface. Launch the instance '
        + 'in a private subnet, or acknowledge this warning for instances that must be public (the browser console path).',
      level: NagMessageLevel.WARN,
      rule: EicPublicInstanceBesideEndpoint,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: 'EIC12',
      info: 'No logging CloudTrail trail that records write management events covers this EC2 Instance Connect Endpoint\'s Region and '
        + 'account in every deployment.',
      explanation: 'OpenTunnel and SendSSHPublicKey are recorded as management events. Define InstanceConnectAuditTrail, or acknowledge '
        + 'this warning when an organisation trail already records them.',
      level: NagMessageLevel.WARN,
      rule: EicEndpointWithoutTrail,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: 'EIC13',
      info: 'The VPC has more than one EC2 Instance Connect Endpoint.',
      explanation: 'AWS allows one endpoint per VPC, so the second fails to deploy. Share one endpoint (InstanceConnectAccess\'s endpoint prop).',
      level: NagMessageLevel.ERROR,
      rule: EicOneEndpointPerVpc,
      node,
    });
  }
}
