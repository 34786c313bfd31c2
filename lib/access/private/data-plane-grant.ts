import { Annotations, Duration, Names, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { buildDataPlanePolicy, DATA_PLANE_WILDCARD_REASONS } from './data-plane-policy';
import { GrantLedger } from './grant-ledger';
import { grantWithManagedPolicies } from './managed-policy-grant';
import { NetworkPaths } from './network-paths';
import { IInstanceConnectEndpoint } from '../../endpoint/instance-connect-endpoint';
import { ConnectOptions } from '../../grants/connect-options';
import { validateConnectOptions } from '../../grants/grant-options-validation';
import { show, validationError } from '../../private/errors';
import { assertNotIdentityCenterRole } from '../../private/identity-center';
import { OperatorRoleOptions } from '../operator-role-options';

/** Where data-plane grants apply, and where they are recorded. */
export interface DataPlaneGrantTarget {
  readonly vpc: ec2.IVpc;
  /** The endpoint, or undefined when the VPC is reached without one. */
  readonly endpoint?: IInstanceConnectEndpoint;
  readonly paths: NetworkPaths;
  readonly ledger: GrantLedger;
}

/** One data-plane grant, made in `scope` (the grant's own construct, or the operator role). */
export interface DataPlaneGrant {
  readonly scope: Construct;
  readonly grantee: iam.IGrantable;
  /** The options, already validated. */
  readonly options: ConnectOptions;
  /** Operator roles the library defines are also denied the control plane. */
  readonly isOperatorRole: boolean;
  /** How the options are named in messages. */
  readonly property: string;
}

/**
 * Makes a validated data-plane grant: the policy, the fleet tag on its instances, the annotations that say what it
 * reaches, its record in the ledger, and the customer-managed policies that carry it.
 */
export function grantDataPlane(owner: Construct, target: DataPlaneGrantTarget, grant: DataPlaneGrant): iam.Grant {
  const { scope, grantee, options, property } = grant;
  const viaEndpoint = options.viaEndpoint ?? true;
  if (viaEndpoint && !target.endpoint) {
    throw validationError(owner, `${property} grants tunnels through the endpoint, but createEndpoint is false: set viaEndpoint: false ` +
      '(classic EC2 Instance Connect over Direct Connect, VPN or the console)');
  }
  const policy = buildDataPlanePolicy(owner, {
    endpointArn: viaEndpoint ? target.endpoint!.instanceConnectEndpointArn : '',
    vpc: target.vpc,
    grantId: Names.uniqueResourceName(scope, { maxLength: 64 }),
    denyControlPlane: grant.isOperatorRole,
    tunnelAddresses: ports => target.paths.tunnelAddresses(ports),
  }, options, property);
  for (const instance of policy.instancesToTag) {
    Tags.of(instance).add(policy.fleetTagKey!, 'true');
  }
  if (policy.instancesToTag.length > 0) {
    Annotations.of(scope).addInfo(`EC2 Instance Connect grant: ${policy.summary}`);
  }
  if (policy.unnarrowedTunnels !== undefined) {
    Annotations.of(scope).addWarningV2('cdk-instance-connect-access:tunnelsNotNarrowedByIdOrTag',
      `${property} names targets by instanceIds or instanceTags, which OpenTunnel cannot see (its only resource is the endpoint): ` +
      `its tunnels reach ${policy.unnarrowedTunnels}, on ports ${show(options.remotePorts ?? [22])}; the IDs and tags narrow only key pushes ` +
      '(SendSSHPublicKey), and so nothing for RDP. Name the addresses with privateIpAddresses or targetSubnets to narrow tunnels.');
  }
  if (viaEndpoint) {
    target.ledger.record(property, options);
  }
  return grantWithManagedPolicies(scope, grantee, {
    allows: policy.allows,
    denies: policy.denies,
    description: `EC2 Instance Connect data plane for ${grantee.grantPrincipal.toString()}: connect only; control plane ` +
      `${grant.isOperatorRole ? 'explicitly denied' : 'not granted'}`,
    wildcardReasons: DATA_PLANE_WILDCARD_REASONS,
  });
}

/**
 * `grantConnect`: validates the options and grants them to an existing principal, in a construct named after it
 * (so reordering grants does not rename their policies).
 */
export function grantConnect(owner: Construct, target: DataPlaneGrantTarget, grantee: iam.IGrantable, options: ConnectOptions): iam.Grant {
  assertNotIdentityCenterRole(owner, grantee);
  const node = (grantee as unknown as Partial<IConstruct>).node;
  const base = `Connect${node ? Names.nodeUniqueId(node).slice(-40) : 'Principal'}`;
  let id = base;
  for (let n = 2; owner.node.tryFindChild(id); n++) {
    id = `${base}${n}`;
  }
  const property = 'grantConnect options';
  validateConnectOptions(owner, options, property, { vpc: target.vpc, grantee });
  return grantDataPlane(owner, target, { scope: new Construct(owner, id), grantee, options, isOperatorRole: false, property });
}

/** `addOperatorRole`: a role that may connect as `props` says, explicitly denied the control plane. */
export function addOperatorRole(owner: Construct, target: DataPlaneGrantTarget, id: string, props: OperatorRoleOptions): iam.Role {
  const property = `addOperatorRole ${id} props`;
  const session = props.maxSessionDuration;
  if (session && !session.isUnresolved() && (session.toSeconds() < 3600 || session.toSeconds() > 43200)) {
    throw validationError(owner, `${property}.maxSessionDuration must be from 1 to 12 hours, got ${session.toHumanString()}`);
  }
  const role = new iam.Role(owner, id, {
    assumedBy: props.assumedBy ?? new iam.AccountRootPrincipal(),
    roleName: props.roleName,
    maxSessionDuration: props.maxSessionDuration ?? Duration.hours(1),
    description: 'Connects to instances through EC2 Instance Connect; may not manage endpoints',
  });
  validateConnectOptions(owner, props, property, { vpc: target.vpc, grantee: role });
  grantDataPlane(owner, target, { scope: role, grantee: role, options: props, isOperatorRole: true, property });
  return role;
}
