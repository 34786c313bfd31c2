import { Annotations, IResource, Resource, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { InstanceConnectEndpointAttributes, InstanceConnectEndpointProps } from './instance-connect-endpoint-props';
import { registerEndpoint } from './private/endpoint-registry';
import { openTunnelConditions } from '../grants/grant-conditions';
import { validateOpenTunnelOptions } from '../grants/grant-options-validation';
import { OpenTunnelOptions } from '../grants/open-tunnel-options';
import { show, validationError } from '../private/errors';
import { protectByTag } from '../private/protected-tag';
import { validateConnectionPort } from '../private/validation';
import { DELETE_ENDPOINT, DESCRIBE_ENDPOINTS, MODIFY_ENDPOINT, OPEN_TUNNEL } from '../private/vocabulary';

/** The most security groups an endpoint accepts (`SecurityGroupIds`, 0–16 items). */
const MAX_SECURITY_GROUPS = 16;

/**
 * An EC2 Instance Connect Endpoint: an identity-aware TCP proxy into a VPC.
 */
export interface IInstanceConnectEndpoint extends IResource, ec2.IConnectable {
  /**
   * The ID of the endpoint (`eice-…`).
   *
   * @attribute
   */
  readonly instanceConnectEndpointId: string;

  /**
   * The ARN of the endpoint, the resource of `ec2-instance-connect:OpenTunnel`.
   *
   * @attribute
   */
  readonly instanceConnectEndpointArn: string;

  /**
   * Whether the endpoint preserves the client's IP address, when known (an imported endpoint says so only if its
   * attributes do).
   */
  readonly preserveClientIp?: boolean;

  /**
   * Grants `ec2-instance-connect:OpenTunnel` through this endpoint, narrowed by IAM conditions.
   *
   * This is the tunnel alone. The AWS CLI's `ssh` and `open-tunnel` commands also call `Describe*` and push a key
   * with `SendSSHPublicKey`; `InstanceConnectAccess.grantConnect()` grants the whole data plane.
   *
   * @param grantee the principal to grant to
   * @param options the ports, addresses, duration and client IP ranges the grant allows
   */
  grantOpenTunnel(grantee: iam.IGrantable, options?: OpenTunnelOptions): iam.Grant;

  /**
   * Grants the control plane of this endpoint: describe (the API has no resource-level permissions, so `*`),
   * modify and delete (on this endpoint's ARN).
   *
   * @param grantee the principal to grant to
   */
  grantManage(grantee: iam.IGrantable): iam.Grant;

  /**
   * Allows network traffic from this endpoint to `target` on `port`: an egress rule on the endpoint's security
   * groups and an ingress rule on the target's, each a separate resource.
   *
   * @param target the instance, Auto Scaling group or security group to reach
   * @param port the port to open (default: `ec2.Port.tcp(22)`)
   */
  allowConnectionsTo(target: ec2.IConnectable, port?: ec2.Port): void;
}

/** What imported and created endpoints share: ARNs, grants and the network path. */
abstract class InstanceConnectEndpointBase extends Resource implements IInstanceConnectEndpoint {
  public abstract readonly instanceConnectEndpointId: string;
  public abstract readonly instanceConnectEndpointArn: string;
  public abstract readonly connections: ec2.Connections;

  public grantOpenTunnel(grantee: iam.IGrantable, options: OpenTunnelOptions = {}): iam.Grant {
    validateOpenTunnelOptions(this, 'grantOpenTunnel options', options);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [OPEN_TUNNEL],
      resourceArns: [this.instanceConnectEndpointArn],
      conditions: openTunnelConditions(options),
    });
  }

  public grantManage(grantee: iam.IGrantable): iam.Grant {
    const describe = iam.Grant.addToPrincipal({
      grantee,
      actions: [DESCRIBE_ENDPOINTS],
      resourceArns: ['*'],
    });
    const manage = iam.Grant.addToPrincipal({
      grantee,
      actions: [MODIFY_ENDPOINT, DELETE_ENDPOINT],
      resourceArns: [this.instanceConnectEndpointArn],
    });
    return describe.combine(manage);
  }

  public allowConnectionsTo(target: ec2.IConnectable, port: ec2.Port = ec2.Port.tcp(22)): void {
    validateConnectionPort(this, 'allowConnectionsTo port', port);
    this.connections.allowTo(target, port, 'EC2 Instance Connect Endpoint');
  }

  protected formatEndpointArn(instanceConnectEndpointId: string): string {
    return Stack.of(this).formatArn({
      service: 'ec2',
      resource: 'instance-connect-endpoint',
      resourceName: instanceConnectEndpointId,
    });
  }
}

/**
 * An EC2 Instance Connect Endpoint, with a security group that lets traffic out only to the targets you allow.
 *
 * @resource AWS::EC2::InstanceConnectEndpoint
 * @example
 * declare const vpc: ec2.IVpc;
 * declare const instance: ec2.Instance;
 * declare const role: iam.Role;
 *
 * const endpoint = new InstanceConnectEndpoint(this, 'Endpoint', { vpc });
 * endpoint.allowConnectionsTo(instance);
 * endpoint.grantOpenTunnel(role, { privateIpAddresses: [`${instance.instancePrivateIp}/32`] });
 */
export class InstanceConnectEndpoint extends InstanceConnectEndpointBase {
  /**
   * Imports an existing endpoint.
   *
   * @param scope the parent construct
   * @param id the construct ID
   * @param attrs the endpoint's ID and security groups
   */
  public static fromInstanceConnectEndpointAttributes(
    scope: Construct,
    id: string,
    attrs: InstanceConnectEndpointAttributes,
  ): IInstanceConnectEndpoint {
    class Import extends InstanceConnectEndpointBase {
      public readonly instanceConnectEndpointId = attrs.instanceConnectEndpointId;
      public readonly instanceConnectEndpointArn = this.formatEndpointArn(attrs.instanceConnectEndpointId);
      public readonly connections = new ec2.Connections({ securityGroups: attrs.securityGroups, defaultPort: ec2.Port.tcp(22) });
      public readonly preserveClientIp = attrs.preserveClientIp;
    }
    return new Import(scope, id);
  }

  public readonly instanceConnectEndpointId: string;
  public readonly instanceConnectEndpointArn: string;

  /**
   * The security groups of the endpoint, with SSH (tcp/22) as the default port.
   */
  public readonly connections: ec2.Connections;

  /**
   * The subnet the endpoint was placed in.
   */
  public readonly subnet: ec2.ISubnet;

  /**
   * The VPC of the endpoint.
   */
  public readonly vpc: ec2.IVpc;

  /**
   * Whether the endpoint preserves the client's IP address (always known for an endpoint defined here).
   */
  public readonly preserveClientIp?: boolean;

  constructor(scope: Construct, id: string, props: InstanceConnectEndpointProps) {
    super(scope, id);
    // So that guardrails protect the security group this endpoint defines by tag.
    protectByTag(this);
    this.vpc = props.vpc;
    this.preserveClientIp = props.preserveClientIp ?? false;
    this.subnet = this.chooseSubnet(props.vpc, props.vpcSubnets);

    let securityGroups = props.securityGroups ?? [
      new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: props.vpc,
        description: `EC2 Instance Connect Endpoint ${this.node.path}: outbound only to allowed targets`,
        allowAllOutbound: false,
        allowAllIpv6Outbound: false,
      }),
    ];
    if (securityGroups.length === 0 || securityGroups.length > MAX_SECURITY_GROUPS) {
      throw validationError(this,
        `securityGroups must have 1 to ${MAX_SECURITY_GROUPS} security groups, got ${securityGroups.length}`);
    }
    // SecurityGroupIds must be unique: the same group given twice (or the same ID imported twice) counts once.
    securityGroups = securityGroups.filter((sg, i) => securityGroups.findIndex(other => other === sg ||
      (!Token.isUnresolved(sg.securityGroupId) && other.securityGroupId === sg.securityGroupId)) === i);
    this.connections = new ec2.Connections({ securityGroups, defaultPort: ec2.Port.tcp(22) });
    registerEndpoint(this, props.vpc);

    const resource = new ec2.CfnInstanceConnectEndpoint(this, 'Resource', {
      subnetId: this.subnet.subnetId,
      // Fixed at creation: changing this list replaces the endpoint, and a replacement fails (one per VPC).
      securityGroupIds: securityGroups.map(sg => sg.securityGroupId),
      // Always rendered: AWS sources have disagreed on the service default.
      preserveClientIp: this.preserveClientIp,
      clientToken: props.clientToken,
    });
    this.instanceConnectEndpointId = resource.ref;
    this.instanceConnectEndpointArn = this.formatEndpointArn(resource.ref);
  }

  private chooseSubnet(vpc: ec2.IVpc, selection: ec2.SubnetSelection | undefined): ec2.ISubnet {
    if (selection?.subnets === undefined && vpc.publicSubnets.length + vpc.privateSubnets.length + vpc.isolatedSubnets.length === 0) {
      throw validationError(this, `vpc ${vpc.node.path} has no subnets to place the endpoint in: import it with its subnet IDs ` +
        '(privateSubnetIds or isolatedSubnetIds in ec2.Vpc.fromVpcAttributes, or ec2.Vpc.fromLookup), or pass vpcSubnets: { subnets: [...] }');
    }
    // Name our property before aws-cdk-lib's own error on a subnet type the VPC lacks.
    const type = selection?.subnetType;
    const ofType: Record<string, ec2.ISubnet[]> = {
      [ec2.SubnetType.PUBLIC]: vpc.publicSubnets,
      [ec2.SubnetType.PRIVATE_WITH_EGRESS]: vpc.privateSubnets,
      [ec2.SubnetType.PRIVATE_ISOLATED]: vpc.isolatedSubnets,
    };
    if (type !== undefined && selection?.subnets === undefined && ofType[type]?.length === 0) {
      throw validationError(this, `vpcSubnets selects subnet type ${type}, but vpc ${vpc.node.path} has no subnet of that type, got ${show(selectionSummary(selection))}`);
    }
    const selected = vpc.selectSubnets(selection);
    if (selected.subnets.length === 0) {
      throw validationError(this, `vpcSubnets selected no subnet of vpc ${vpc.node.path}, got ${show(selectionSummary(selection))}`);
    }
    const subnet = selected.subnets[0];
    if (selected.isPendingLookup) {
      return subnet;
    }
    if (vpc.publicSubnets.some(s => s === subnet || (!Token.isUnresolved(s.subnetId) && s.subnetId === subnet.subnetId))) {
      Annotations.of(this).addWarningV2('cdk-instance-connect-access:publicSubnet',
        `the endpoint is placed in public subnet ${subnet.node.path}; it needs no internet access, so a private subnet is the safer place`);
    }
    Annotations.of(this).addInfo(
      `EC2 Instance Connect Endpoint placed in subnet ${subnet.node.path}` +
      (selected.subnets.length > 1 ? ` (the first of ${selected.subnets.length} selected subnets)` : ''));
    return subnet;
  }
}

/** The parts of a subnet selection worth showing in an error message. */
function selectionSummary(selection: ec2.SubnetSelection | undefined): unknown {
  if (!selection) {
    return 'the default selection (private subnets)';
  }
  return {
    subnetType: selection.subnetType,
    subnetGroupName: selection.subnetGroupName,
    availabilityZones: selection.availabilityZones,
    subnets: selection.subnets?.length,
  };
}
