import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { InstanceConnectAccess, InstanceConnectEndpoint } from '../../lib';
import { evaluate, Expected, Request } from '../iam/simulate';
import { ACCOUNT, REGION, TemplateWorld } from '../iam/template-world';
import { testInstance, testStack, testVpc } from '../util';

export const OFFICE = '203.0.113.0/24';
export const OFFICE_IP = '203.0.113.7';

/**
 * Rights an attacker typically holds besides the grant: ordinary tagging (team roles tag their resources), AWS's
 * own EC2InstanceConnect policy, EC2 power (AmazonEC2FullAccess), PowerUserAccess. Each is an identity policy the
 * attack adds to the role's synthesized ones; the library's denies must hold against them.
 */
export const EXTRA_RIGHTS: Record<string, any> = {
  tagging: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['ec2:CreateTags', 'ec2:DeleteTags', 'autoscaling:CreateOrUpdateTags', 'autoscaling:DeleteTags'], Resource: '*' }],
  },
  awsEc2InstanceConnect: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2-instance-connect:SendSSHPublicKey'], Resource: '*' }],
  },
  ec2Full: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] },
  powerUser: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }] },
};

/**
 * The world the attacks run in: VPC A with the L3, an SSH fleet (web, db by tag team=web), a Windows host (RDP, by
 * tag team=win), operator roles of each kind, and VPC B next door with its own endpoint.
 */
export function buildWorld() {
  const stack = testStack();
  const vpc = testVpc(stack);
  const web = testInstance(stack, vpc, 'Web');
  const db = testInstance(stack, vpc, 'Db');
  const win = testInstance(stack, vpc, 'Win');
  const stray = new ec2.Instance(stack, 'Stray', {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
    machineImage: ec2.MachineImage.latestAmazonLinux2023(),
  });
  const access = new InstanceConnectAccess(stack, 'Access', { vpc });
  access.allowConnectionsTo(web);
  access.allowConnectionsTo(db);
  access.allowConnectionsTo(win, ec2.Port.tcp(3389));

  const neighbourVpc = new ec2.Vpc(stack, 'NeighbourVpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.1.0.0/16'),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const neighbourEndpoint = new InstanceConnectEndpoint(stack, 'NeighbourEndpoint', { vpc: neighbourVpc });

  const roles: Record<string, iam.IRole> = {
    OnCall: access.addOperatorRole('OnCall', {
      instances: [web], osUsers: ['ec2-user'], sourceIpRanges: [OFFICE], maxTunnelDuration: Duration.minutes(30),
    }),
    WebTeam: access.addOperatorRole('WebTeam', { instanceTags: { team: 'web' }, osUsers: ['ec2-user'], sourceIpRanges: [OFFICE] }),
    WinTeam: access.addOperatorRole('WinTeam', {
      instanceTags: { team: 'win' }, osUsers: ['Administrator'], remotePorts: [3389], sourceIpRanges: [OFFICE],
    }),
    Narrowed: access.addOperatorRole('Narrowed', {
      instanceTags: { team: 'web' }, osUsers: ['ec2-user'], targetSubnets: { subnets: [vpc.privateSubnets[0]] },
    }),
    ControlPlane: access.controlPlaneRole,
  };
  const world = new TemplateWorld(stack);
  return { stack, vpc, web, db, win, stray, access, neighbourVpc, neighbourEndpoint, roles, world };
}

export type World = ReturnType<typeof buildWorld>;

/** The requests of the world, as the AWS CLI (or the service) sends them. */
export function requests(w: World) {
  const arn = (type: string, id: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:${type}/${id}`;
  const endpointId = w.world.id(w.access.endpoint.node.defaultChild as any);
  const ids = {
    endpoint: endpointId,
    endpointArn: arn('instance-connect-endpoint', endpointId),
    neighbourEndpointArn: arn('instance-connect-endpoint', w.world.id(w.neighbourEndpoint.node.defaultChild as any)),
    subnet: w.world.id(w.vpc.privateSubnets[0].node.defaultChild as any),
    neighbourSubnet: w.world.id(w.neighbourVpc.isolatedSubnets[0].node.defaultChild as any),
  };
  const ip = (instance: ec2.Instance) => w.world.privateIp(instance);
  const instanceArn = (instance: ec2.Instance) => arn('instance', w.world.id(instance));
  return {
    ids,
    arn,
    ip,
    instanceArn,
    tunnel: (address: string, extra: Record<string, string> = {}): Request => ({
      action: 'ec2-instance-connect:OpenTunnel',
      resource: ids.endpointArn,
      context: {
        'ec2-instance-connect:remotePort': '22',
        'ec2-instance-connect:privateIpAddress': address,
        'ec2-instance-connect:maxTunnelDuration': '1800',
        'aws:SourceIp': OFFICE_IP,
        ...extra,
      },
    }),
    pushKey: (instance: ec2.Instance | string, osUser: string, extra: Record<string, string> = {}): Request => ({
      action: 'ec2-instance-connect:SendSSHPublicKey',
      resource: typeof instance === 'string' ? instance : instanceArn(instance),
      context: { 'ec2:osuser': osUser, 'aws:SourceIp': OFFICE_IP, ...extra },
    }),
    tag: (action: string, resource: string, keys: string[] | undefined): Request => ({
      action, resource, context: keys === undefined ? {} : { 'aws:TagKeys': keys },
    }),
    call: (action: string, resource: string, context: Record<string, string | string[]> = {}): Request => ({ action, resource, context }),
  };
}

/** The synthesized identity policies of each role of the world. */
export function policiesByRole(w: World): Record<string, Array<{ name: string; policy: any }>> {
  return Object.fromEntries(Object.entries(w.roles).map(([name, role]) => [name, w.world.policiesOf(role)]));
}

/** An attack (or the legitimate request next to it): who sends what, with which extra rights, and IAM's answer. */
export interface Attempt {
  readonly hole: number;
  readonly name: string;
  readonly role: string;
  readonly extra?: Array<keyof typeof EXTRA_RIGHTS>;
  readonly request: Request;
  readonly expected: Expected;
  /** A legitimate request: proves the defence still lets the intended access through. */
  readonly legitimate?: boolean;
}

/** IAM's answer to an attempt against the role's synthesized policies plus the attacker's extra rights. */
export function answer(policies: Record<string, Array<{ name: string; policy: any }>>, attempt: Attempt): Expected {
  const extra = (attempt.extra ?? []).map(name => ({ name: `extra-${String(name)}`, policy: EXTRA_RIGHTS[name] }));
  return evaluate([...policies[attempt.role], ...extra], attempt.request);
}
