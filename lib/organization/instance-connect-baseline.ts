import { Annotations, DefaultStackSynthesizer, Fn, Stack, StackProps, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { InstanceConnectAccess } from '../access/instance-connect-access';
import { FORWARDED_EVENT_PATTERN } from '../audit/event-patterns';
import { acknowledge } from '../private/acknowledge';
import { show, validationError } from '../private/errors';
import { protectByTag, PROTECTED_IAM_PATH } from '../private/protected-tag';
import { validatePort } from '../private/validation';

/**
 * What every account of an organisation gets: the EC2 Instance Connect Endpoint of its VPC, the targets groups, the
 * control-plane role and the audit capture, with the VPC read from SSM parameters at deploy time (the landing-zone
 * convention), so one template serves every account and Region.
 */
export interface InstanceConnectBaselineOptions {
  /**
   * The SSM parameter that holds the VPC's ID in each account.
   *
   * @default '/instance-connect/vpc-id'
   */
  readonly vpcIdParameterName?: string;

  /**
   * The SSM parameter that holds the VPC's IPv4 CIDR in each account, for grants on `access` by instance ID or tag,
   * whose tunnels are bounded by the CIDR (the landing-zone convention names it `/instance-connect/vpc-cidr`).
   *
   * @default - no CIDR: such a grant fails at synth with an error naming the missing CIDR
   */
  readonly vpcCidrParameterName?: string;

  /**
   * The SSM parameter that holds the ID of the private subnet the endpoint goes in.
   *
   * @default '/instance-connect/endpoint-subnet-id'
   */
  readonly endpointSubnetIdParameterName?: string;

  /**
   * The TCP ports the endpoint reaches: a targets security group is defined for each, and its ID written to the SSM
   * parameter `<targetsSecurityGroupParameterPrefix><port>`, for the account's workloads to join.
   *
   * @default [22]
   */
  readonly targetPorts?: number[];

  /**
   * The prefix of the SSM parameters that receive the targets groups' IDs.
   *
   * @default '/instance-connect/targets-security-group/'
   */
  readonly targetsSecurityGroupParameterPrefix?: string;

  /**
   * Tags to put on the endpoint, for `InstanceConnectPermissionSet`.
   *
   * @default - `{ 'instance-connect-access:endpoint': 'true' }`
   */
  readonly endpointTags?: { [key: string]: string };

  /**
   * Whether each account gets a CloudTrail trail of its own. An organisation usually has an organisation trail, and
   * a second trail is a paid second copy of every management event.
   *
   * @default false
   */
  readonly createTrail?: boolean;

  /**
   * With `createTrail`, the Region the multi-Region trail is defined in (the template is the same in every Region).
   *
   * @default - required with createTrail when the baseline is deployed to several Regions
   */
  readonly trailHomeRegion?: string;

  /**
   * The ARN of the central event bus (`InstanceConnectCentralAlerts`) to forward EC2 Instance Connect events to.
   *
   * @default - no forwarding
   */
  readonly centralEventBusArn?: string;

  /**
   * Whether each account also keeps an audit of its own (`InstanceConnectAuditTrail`): a customer-managed key, an
   * encrypted event log and three alarms, about $1.30 a month per account and Region. With a central event bus, the
   * security account keeps the log and the alarms for every account, and a member account and Region costs nothing
   * fixed; turn this on where a compliance pack asks for a customer-managed key in every account.
   *
   * @default - true without `centralEventBusArn` or with `createTrail`, false otherwise
   */
  readonly localAudit?: boolean;
}

/**
 * Properties of `InstanceConnectBaseline`.
 */
export interface InstanceConnectBaselineProps extends InstanceConnectBaselineOptions, StackProps {}

/**
 * The per-account baseline of EC2 Instance Connect as a stack whose template is self-contained (no asset, no
 * Lambda-backed custom resource, no CDK bootstrap check, no account or Region literal), so that CloudFormation
 * StackSets can deploy it to every account of an OU and every Region (see `InstanceConnectStackSet`).
 */
export class InstanceConnectBaseline extends Stack {
  /** The access construct of the account's VPC. */
  public readonly access: InstanceConnectAccess;

  constructor(scope: Construct, id: string, props: InstanceConnectBaselineProps = {}) {
    super(scope, id, {
      ...props,
      // StackSets does not publish assets nor have the CDK bootstrap stack in the target accounts.
      synthesizer: props.synthesizer ?? new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
      analyticsReporting: props.analyticsReporting ?? false,
    });
    const ports = props.targetPorts ?? [22];
    const localAudit = validateBaselineProps(this, props, ports);

    // Deploy-time values: no synth-time assumption about the VPC's subnets, their number or their CIDRs.
    const vpcId = ssm.StringParameter.valueForStringParameter(this, props.vpcIdParameterName ?? '/instance-connect/vpc-id');
    const subnetId = ssm.StringParameter.valueForStringParameter(this, props.endpointSubnetIdParameterName ?? '/instance-connect/endpoint-subnet-id');
    // One Availability Zone as a string, not the list token Fn.getAzs() (which draws aws-cdk-lib's warning): the
    // baseline names its one subnet by ID, and nothing reads the VPC's zones. The CIDR bounds the tunnels of grants by
    // tag or ID only, so it is given only when its parameter is named; without it such a grant fails with
    // InstanceConnectAccess's error about the missing vpcCidrBlock.
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId,
      availabilityZones: [Fn.select(0, Fn.getAzs())],
      vpcCidrBlock: props.vpcCidrParameterName === undefined
        ? undefined
        : ssm.StringParameter.valueForStringParameter(this, props.vpcCidrParameterName),
    });

    const endpointSubnet = ec2.Subnet.fromSubnetId(this, 'EndpointSubnet', subnetId);
    // The endpoint needs the subnet's ID only; nothing reads its route table, which an SSM parameter does not name.
    Annotations.of(endpointSubnet).acknowledgeWarning('@aws-cdk/aws-ec2:noSubnetRouteTableId',
      'the endpoint needs only the subnet\'s ID; nothing in the baseline reads its route table');
    this.access = new InstanceConnectAccess(this, 'Access', {
      vpc,
      endpointSubnets: { subnets: [endpointSubnet] },
      endpointTags: props.endpointTags,
      auditTrail: localAudit,
      auditTrailProps: localAudit ? { createTrail: props.createTrail ?? false, trailHomeRegion: props.trailHomeRegion } : undefined,
    });
    if (!(props.createTrail ?? false)) {
      acknowledge(this.access, 'InstanceConnect-EIC12', 'the baseline relies on the organisation trail, which records every member ' +
        'account\'s management events, OpenTunnel and SendSSHPublicKey included (set createTrail for a trail of the account\'s own)');
    }
    const prefix = props.targetsSecurityGroupParameterPrefix ?? '/instance-connect/targets-security-group/';
    for (const port of ports) {
      const group = this.access.targetsSecurityGroupFor(ec2.Port.tcp(port));
      new ssm.StringParameter(this, `TargetsSecurityGroup${port}Parameter`, {
        parameterName: `${prefix}${port}`,
        stringValue: group.securityGroupId,
        description: `The security group instances join to be reached by EC2 Instance Connect on port ${port}`,
      });
    }

    // So that guardrails protect the forwarding rule by tag too (the access construct tags its own resources).
    protectByTag(this);
    if (props.centralEventBusArn) {
      forwardToCentralBus(this, props.centralEventBusArn);
    }
  }
}

/** Refuses props that contradict each other or that AWS would refuse; returns whether the account keeps its own audit. */
function validateBaselineProps(scope: Construct, props: InstanceConnectBaselineProps, ports: number[]): boolean {
  if (ports.length === 0) {
    throw validationError(scope, 'targetPorts must name at least one port, got []');
  }
  ports.forEach((port, i) => validatePort(scope, `targetPorts[${i}]`, port));
  validateParameterNames(scope, props, ports);
  if (props.centralEventBusArn !== undefined && !Token.isUnresolved(props.centralEventBusArn) && !EVENT_BUS_ARN.test(props.centralEventBusArn)) {
    throw validationError(scope, 'centralEventBusArn must be an event bus ARN such as arn:aws:events:eu-west-1:111111111111:event-bus/instance-connect, ' +
      `got ${show(props.centralEventBusArn)}`);
  }
  if (props.trailHomeRegion && !props.createTrail) {
    throw validationError(scope, 'trailHomeRegion configures the trail; it needs createTrail: true');
  }
  const localAudit = props.localAudit ?? (props.createTrail === true || props.centralEventBusArn === undefined);
  if (!localAudit && props.createTrail) {
    throw validationError(scope, 'createTrail defines the trail in the account\'s own audit; it needs localAudit: true, got localAudit: false');
  }
  if (!localAudit && props.centralEventBusArn === undefined) {
    throw validationError(scope, 'localAudit: false leaves the account with no record of its connections: forward them with ' +
      'centralEventBusArn, or keep the local audit');
  }
  return localAudit;
}

/** Forwards EC2 Instance Connect events to the organisation's central event bus. */
function forwardToCentralBus(scope: Construct, centralEventBusArn: string): void {
  // A role for the cross-account target: EventBridge puts events on the central bus as this account.
  // Under the path guardrails protect: the role and its policy are what keeps forwarding on.
  const role = new iam.Role(scope, 'ForwardEventsRole', { assumedBy: new iam.ServicePrincipal('events.amazonaws.com'), path: PROTECTED_IAM_PATH });
  // A managed policy, as everywhere in the library: compliance packs refuse inline policies.
  new iam.ManagedPolicy(scope, 'ForwardEventsPolicy', {
    path: PROTECTED_IAM_PATH,
    description: 'Put EC2 Instance Connect events on the organisation\'s central event bus only',
    roles: [role],
    statements: [new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [centralEventBusArn] })],
  });
  new events.Rule(scope, 'ForwardEventsRule', {
    description: 'EC2 Instance Connect connections, refusals and endpoint changes, to the central event bus',
    eventPattern: FORWARDED_EVENT_PATTERN,
    // aws-cdk-lib's target, with a role it may not add an inline policy to: the managed policy above grants PutEvents.
    targets: [new targets.EventBus(events.EventBus.fromEventBusArn(scope, 'CentralEventBus', centralEventBusArn), { role: role.withoutPolicyUpdates() })],
  });
}

/** An event bus's ARN (AWS::Events::Rule target, IAM resource). */
const EVENT_BUS_ARN = /^arn:aws[a-z-]*:events:[a-z]{2}(-[a-z]+)+-\d:\d{12}:event-bus\/[\w.\-/]{1,256}$/;
/** SSM parameter names: PutParameter's characters and length, at most 15 levels. */
const PARAMETER_NAME = /^[A-Za-z0-9_.\-/]{1,1011}$/;

/**
 * SSM parameter names that PutParameter would refuse (for those the baseline writes) or that cannot exist (for those
 * it reads): other characters, more than 1,011 characters or 15 levels, a path without its leading slash, and for
 * written names, a first part beginning with `aws` or `ssm` in any letter case, which SSM reserves.
 */
function validateParameterNames(scope: Construct, props: InstanceConnectBaselineProps, ports: number[]): void {
  const read = {
    vpcIdParameterName: props.vpcIdParameterName,
    vpcCidrParameterName: props.vpcCidrParameterName,
    endpointSubnetIdParameterName: props.endpointSubnetIdParameterName,
  };
  const written = Object.fromEntries(ports.map(port => [`targetsSecurityGroupParameterPrefix (for port ${port})`,
    props.targetsSecurityGroupParameterPrefix === undefined ? undefined : `${props.targetsSecurityGroupParameterPrefix}${port}`]));
  for (const [property, name, writes] of [
    ...Object.entries(read).map(([k, v]) => [k, v, false] as const),
    ...Object.entries(written).map(([k, v]) => [k, v, true] as const),
  ]) {
    if (name === undefined || Token.isUnresolved(name)) {
      continue;
    }
    const problem = !PARAMETER_NAME.test(name) ? 'letters, digits and _.-/ only, at most 1,011 characters'
      : name.includes('/') && !name.startsWith('/') ? 'a path that starts with /'
        : name.split('/').filter(Boolean).length > 15 ? 'at most 15 levels'
          : writes && /^\/?(aws|ssm)/i.test(name) ? 'a first part that does not begin with aws or ssm (SSM reserves them)'
            : undefined;
    if (problem) {
      throw validationError(scope, `${property} must name an SSM parameter with ${problem}, got ${show(name)}`);
    }
  }
}
