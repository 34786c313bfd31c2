/*
 * Synthesis benchmark: InstanceConnectAccess against a hand-written L1 equivalent of the same access, for 1 to 1,000
 * targets. Run it with `npx projen bench` (add `-- --write` to update BENCHMARKS.md, `-- --runs 3 --sizes 1,10` to
 * try it quickly). Timing lives here and only here: no test asserts a duration.
 *
 * What is timed, per implementation: defining the access layer (the library's calls, or the L1 resources) plus the
 * access stack's share of `app.synth()`: reference discovery on its elements, rendering and writing its template, and
 * the aspects the access layer added (the library tags fleets with one). The rest of `app.synth()` (walking and
 * writing the fleet stacks, which hold up to 1,000 instances, and validating every template) is the same work for
 * both implementations, whose templates are equivalent, and would drown the difference in noise: it is reported,
 * whole-app, for context only.
 *
 * Two layouts, because one operator role that names every instance (`instances`) and targets that join the shared
 * security group (`allowConnectionsTo(instance)`) point at each other, so they cannot live in different stacks while
 * the grant names instances one by one (up to 100):
 * - by-tag: network <- access <- fleet. Every instance joins the targets group (`allowConnectionsTo` each
 *   instance); the operator role is granted by a tag the fleet stacks put on their instances.
 * - by-instance: network <- fleet <- access. The operator role names every instance (`instances`); the network
 *   path goes to each fleet stack's security group (`allowConnectionsTo` each group, one per 200 instances).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aspects, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { InstanceConnectAccess } from '../lib';
import { TemplateWorld } from '../test/iam/template-world';

const STRICT_VALIDATION = { '@aws-cdk/core:validateAgainstDefaultRules': true };
/** AWS quotas the results are checked against. */
const LIMITS = { resourcesPerStack: 500, rulesPerGroupPerDirection: 60, charsPerManagedPolicy: 6144, managedPoliciesPerRole: 10 };
/** Instances per fleet stack: an instance and its instance profile are two of a stack's 500 resources. */
const INSTANCES_PER_STACK = 200;
/**
 * Instances per fleet stack when a grant in another stack names them one by one: each instance then exports its ID
 * and its private IP, and a stack has at most 200 outputs (with 100 instances and the group's ID, 201 fails).
 */
const NAMED_INSTANCES_PER_STACK = 99;
/** The library switches a grant that names more instances than this to a tag and subnet CIDRs; so does the baseline. */
const FLEET_THRESHOLD = 100;
const OFFICE = '203.0.113.0/24';
const TEAM_TAG = { key: 'team', value: 'bench' };
const GRANT_TAG_KEY = 'instance-connect-access:grant';
const PORT = 22;

type Layout = 'by-tag' | 'by-instance';
type Variant = 'library' | 'hand-written L1';

interface World {
  readonly app: App;
  readonly outdir: string;
  readonly vpc: ec2.Vpc;
  readonly accessStack: Stack;
  readonly instances: ec2.Instance[];
  readonly fleetGroups: ec2.SecurityGroup[];
}

// ---------------------------------------------------------------------------------------------------------------
// The app around the access layer: identical for every variant.

function buildWorld(layout: Layout, targets: number): World {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-bench-'));
  const app = new App({ context: STRICT_VALIDATION, outdir });
  const network = new Stack(app, 'Network');
  const vpc = new ec2.Vpc(network, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 20 }],
  });
  const accessStack = new Stack(app, 'Access');
  const instances: ec2.Instance[] = [];
  const fleetGroups: ec2.SecurityGroup[] = [];
  const machineImage = ec2.MachineImage.latestAmazonLinux2023();
  const instanceType = ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO);
  const perStack = layout === 'by-instance' && targets <= FLEET_THRESHOLD ? NAMED_INSTANCES_PER_STACK : INSTANCES_PER_STACK;
  for (let first = 0; first < targets; first += perStack) {
    const fleet = new Stack(app, `Fleet${first}`);
    if (layout === 'by-tag') {
      Tags.of(fleet).add(TEAM_TAG.key, TEAM_TAG.value);
    }
    // Instances share a role and a security group, so each fleet stack stays within CloudFormation's limits.
    const role = new iam.Role(fleet, 'InstanceRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    const securityGroup = new ec2.SecurityGroup(fleet, 'InstanceSg', { vpc, allowAllOutbound: false });
    fleetGroups.push(securityGroup);
    for (let i = first; i < Math.min(targets, first + perStack); i++) {
      instances.push(new ec2.Instance(fleet, `Instance${i}`, { vpc, instanceType, machineImage, role, securityGroup }));
    }
  }
  return { app, outdir, vpc, accessStack, instances, fleetGroups };
}

// ---------------------------------------------------------------------------------------------------------------
// (a) The library.

function libraryAccess(world: World, layout: Layout): void {
  const access = new InstanceConnectAccess(world.accessStack, 'Access', { vpc: world.vpc, auditTrail: false });
  if (layout === 'by-tag') {
    for (const instance of world.instances) {
      access.allowConnectionsTo(instance);
    }
    access.addOperatorRole('Operator', {
      instanceTags: { [TEAM_TAG.key]: TEAM_TAG.value },
      osUsers: ['ec2-user'],
      sourceIpRanges: [OFFICE],
    });
  } else {
    for (const group of world.fleetGroups) {
      access.allowConnectionsTo(group);
    }
    access.addOperatorRole('Operator', { instances: world.instances, osUsers: ['ec2-user'], sourceIpRanges: [OFFICE] });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// (b) The same access, written by hand with L1 resources: the statements, conditions, rules and resources the
// library produces, without its validation, packing or bookkeeping.

function handWrittenAccess(world: World, layout: Layout): void {
  const stack = world.accessStack;
  const arn = (resource: string, name: string) => `arn:${stack.partition}:ec2:${stack.region}:${stack.account}:${resource}/${name}`;
  const rootPrincipal = {
    Version: '2012-10-17',
    Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: `arn:${stack.partition}:iam::${stack.account}:root` } }],
  };
  const noTraffic = { cidrIp: '255.255.255.255/32', description: 'Disallow all traffic', ipProtocol: 'icmp', fromPort: 252, toPort: 86 };

  // The endpoint and its security group (outbound rules only, as separate resources).
  const endpointSg = new ec2.CfnSecurityGroup(stack, 'EndpointSg', {
    groupDescription: 'EC2 Instance Connect Endpoint: outbound only to allowed targets',
    vpcId: world.vpc.vpcId,
  });
  const endpoint = new ec2.CfnInstanceConnectEndpoint(stack, 'Endpoint', {
    subnetId: world.vpc.isolatedSubnets[0].subnetId,
    securityGroupIds: [endpointSg.attrGroupId],
    preserveClientIp: false,
  });
  const allowPath = (id: string, targetGroupId: string) => {
    new ec2.CfnSecurityGroupEgress(stack, `${id}Egress`, {
      groupId: endpointSg.attrGroupId,
      destinationSecurityGroupId: targetGroupId,
      ipProtocol: 'tcp',
      fromPort: PORT,
      toPort: PORT,
      description: 'EC2 Instance Connect Endpoint',
    });
    new ec2.CfnSecurityGroupIngress(stack, `${id}Ingress`, {
      groupId: targetGroupId,
      sourceSecurityGroupId: endpointSg.attrGroupId,
      ipProtocol: 'tcp',
      fromPort: PORT,
      toPort: PORT,
      description: 'EC2 Instance Connect Endpoint',
    });
  };

  // The control plane: manage endpoints in this VPC, never the data plane.
  const controlPlaneRole = new iam.CfnRole(stack, 'ControlPlaneRole', {
    assumeRolePolicyDocument: rootPrincipal,
    description: 'Manages EC2 Instance Connect Endpoints; may not open tunnels or push keys',
  });
  new iam.CfnManagedPolicy(stack, 'ControlPlanePolicy', {
    description: 'EC2 Instance Connect Endpoint control plane: manage endpoints; data plane explicitly denied',
    roles: [controlPlaneRole.ref],
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ManageEndpoints', Effect: 'Allow', Action: ['ec2:CreateInstanceConnectEndpoint', 'ec2:ModifyInstanceConnectEndpoint', 'ec2:DeleteInstanceConnectEndpoint'], Resource: arn('instance-connect-endpoint', '*') },
        { Sid: 'UseThisVpc', Effect: 'Allow', Action: ['ec2:CreateInstanceConnectEndpoint', 'ec2:ModifyInstanceConnectEndpoint', 'ec2:CreateNetworkInterface'], Resource: [arn('subnet', '*'), arn('security-group', '*')], Condition: { StringEquals: { 'ec2:Vpc': arn('vpc', world.vpc.vpcId) } } },
        { Sid: 'CreateEndpointNetworkInterface', Effect: 'Allow', Action: 'ec2:CreateNetworkInterface', Resource: arn('network-interface', '*') },
        { Sid: 'TagNewEndpoints', Effect: 'Allow', Action: 'ec2:CreateTags', Resource: [arn('instance-connect-endpoint', '*'), arn('network-interface', '*')], Condition: { StringEquals: { 'ec2:CreateAction': ['CreateInstanceConnectEndpoint', 'CreateNetworkInterface'] } } },
        { Sid: 'DescribeEndpoints', Effect: 'Allow', Action: 'ec2:DescribeInstanceConnectEndpoints', Resource: '*' },
        { Sid: 'CreateServiceLinkedRole', Effect: 'Allow', Action: 'iam:CreateServiceLinkedRole', Resource: `arn:${stack.partition}:iam::${stack.account}:role/aws-service-role/ec2-instance-connect.amazonaws.com/*`, Condition: { StringEquals: { 'iam:AWSServiceName': 'ec2-instance-connect.amazonaws.com' } } },
        { Sid: 'DenyDataPlane', Effect: 'Deny', Action: ['ec2-instance-connect:OpenTunnel', 'ec2-instance-connect:SendSSHPublicKey', 'ec2-instance-connect:SendSerialConsoleSSHPublicKey'], Resource: '*' },
      ],
    },
  });

  // The data plane: one operator role.
  const operator = new iam.CfnRole(stack, 'OperatorRole', {
    assumeRolePolicyDocument: rootPrincipal,
    maxSessionDuration: 3600,
    description: 'Connects to instances through EC2 Instance Connect; may not manage endpoints',
  });
  const sourceIp = { IpAddress: { 'aws:SourceIp': OFFICE } };
  const openTunnel = (privateIps: string | string[]) => ({
    Effect: 'Allow',
    Action: 'ec2-instance-connect:OpenTunnel',
    Resource: arn('instance-connect-endpoint', endpoint.ref),
    Condition: {
      NumericEquals: { 'ec2-instance-connect:remotePort': String(PORT) },
      NumericLessThanEquals: { 'ec2-instance-connect:maxTunnelDuration': '3600' },
      IpAddress: { 'ec2-instance-connect:privateIpAddress': privateIps, 'aws:SourceIp': OFFICE },
    },
  });
  const sendKeyByTag = (tagKey: string, tagValue: string) => ({
    Effect: 'Allow',
    Action: 'ec2-instance-connect:SendSSHPublicKey',
    Resource: arn('instance', '*'),
    Condition: { StringEquals: { 'ec2:osuser': 'ec2-user', [`aws:ResourceTag/${tagKey}`]: tagValue }, ...sourceIp },
  });
  const common = (tagKey?: string) => [
    { Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2:DescribeInstanceConnectEndpoints'], Resource: '*', Condition: sourceIp },
    { Sid: 'DenyRootLogin', Effect: 'Deny', Action: 'ec2-instance-connect:SendSSHPublicKey', Resource: '*', Condition: { StringEquals: { 'ec2:osuser': 'root' } } },
    ...(tagKey ? [{ Sid: 'DenyAccessTagChanges', Effect: 'Deny', Action: ['ec2:CreateTags', 'ec2:DeleteTags', 'autoscaling:CreateOrUpdateTags', 'autoscaling:DeleteTags'], Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': tagKey } } }] : []),
    { Sid: 'DenyControlPlane', Effect: 'Deny', Action: ['ec2:CreateInstanceConnectEndpoint', 'ec2:ModifyInstanceConnectEndpoint', 'ec2:DeleteInstanceConnectEndpoint'], Resource: '*' },
  ];
  const operatorPolicies: unknown[][] = [];

  if (layout === 'by-tag') {
    const targetsSg = new ec2.CfnSecurityGroup(stack, 'TargetsSg', {
      groupDescription: 'Instance Connect targets: inbound from the EC2 Instance Connect Endpoint only',
      vpcId: world.vpc.vpcId,
      securityGroupEgress: [noTraffic],
    });
    allowPath('Targets', targetsSg.attrGroupId);
    const targets = ec2.SecurityGroup.fromSecurityGroupId(stack, 'TargetsSgRef', targetsSg.attrGroupId, { mutable: false });
    for (const instance of world.instances) {
      instance.addSecurityGroup(targets);
    }
    operatorPolicies.push([openTunnel(world.vpc.vpcCidrBlock), sendKeyByTag(TEAM_TAG.key, TEAM_TAG.value), ...common(TEAM_TAG.key)]);
  } else {
    world.fleetGroups.forEach((group, i) => allowPath(`Fleet${i}`, group.securityGroupId));
    if (world.instances.length > FLEET_THRESHOLD) {
      // Too many to name: tag them, and allow tunnels to their subnets.
      const subnets = world.vpc.isolatedSubnets;
      const cidrs = new Set<string>();
      for (const instance of world.instances) {
        const cfn = instance.node.defaultChild as ec2.CfnInstance;
        cfn.tags.setTag(GRANT_TAG_KEY, 'bench-operator');
        cidrs.add(subnets.find(s => s.subnetId === cfn.subnetId)!.ipv4CidrBlock);
      }
      operatorPolicies.push([openTunnel(single([...cidrs])), sendKeyByTag(GRANT_TAG_KEY, 'bench-operator'), ...common(GRANT_TAG_KEY)]);
    } else {
      // Named one by one: 40 instances' ARNs and addresses fit a 6,144-character policy comfortably.
      for (let first = 0; first < world.instances.length; first += 40) {
        const chunk = world.instances.slice(first, first + 40);
        operatorPolicies.push([
          openTunnel(single(chunk.map(i => `${i.instancePrivateIp}/32`))),
          {
            Effect: 'Allow',
            Action: 'ec2-instance-connect:SendSSHPublicKey',
            Resource: single(chunk.map(i => arn('instance', i.instanceId))),
            Condition: { StringEquals: { 'ec2:osuser': 'ec2-user' }, ...sourceIp },
          },
        ]);
      }
      operatorPolicies[0].push(...common());
    }
  }
  operatorPolicies.forEach((statements, i) => new iam.CfnManagedPolicy(stack, `OperatorPolicy${i + 1}`, {
    description: 'EC2 Instance Connect data plane: connect only; control plane explicitly denied',
    roles: [operator.ref],
    policyDocument: { Version: '2012-10-17', Statement: statements },
  }));
}

/** A one-element list as its element, as IAM policies are usually written (and as the library writes them). */
function single<T>(values: T[]): T | T[] {
  return values.length === 1 ? values[0] : values;
}

// ---------------------------------------------------------------------------------------------------------------
// Measurement.

/**
 * A stopwatch for the synthesis work done for the access stack inside `app.synth()`: reference discovery on its
 * elements (`findTokens`, in the prepare phase), its template rendering and writing (its synthesizer), and the
 * aspects the access layer added (the library's fleet tags). Nested intervals count once.
 */
class AccessSynthClock {
  public accessStack?: Stack;
  public aspects = new Set<unknown>();
  public totalMs = 0;
  private depth = 0;
  private start = 0;

  constructor() {
    // aws-cdk-lib calls its private modules through their exports object, so this wraps every caller. The module is
    // not among aws-cdk-lib's package exports: it is loaded by file path, as a mutable CommonJS exports object.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const resolveModule = require(path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')), 'core/lib/private/resolve.js'));
    const findTokens = resolveModule.findTokens;
    if (typeof findTokens !== 'function') {
      throw new Error('aws-cdk-lib/core/lib/private/resolve.js has no findTokens any more: update the benchmark\'s clock');
    }
    resolveModule.findTokens = (scope: any, fn: any) => (this.accessStack && Stack.of(scope) === this.accessStack
      ? this.time(() => findTokens(scope, fn))
      : findTokens(scope, fn));
  }

  /** Starts a run: times this stack's synthesis and `aspects` from now on. */
  public reset(accessStack: Stack | undefined, aspects: Set<unknown>): void {
    this.accessStack = accessStack;
    this.aspects = aspects;
    this.totalMs = 0;
    if (accessStack) {
      const synthesizer = accessStack.synthesizer as any;
      const synthesize = synthesizer.synthesize.bind(synthesizer);
      synthesizer.synthesize = (session: unknown) => this.time(() => synthesize(session));
    }
    for (const aspect of aspects as Set<any>) {
      const visit = aspect.visit.bind(aspect);
      aspect.visit = (node: unknown) => this.time(() => visit(node));
    }
  }

  public time<T>(fn: () => T): T {
    if (this.depth++ === 0) {
      this.start = performance.now();
    }
    try {
      return fn();
    } finally {
      if (--this.depth === 0) {
        this.totalMs += performance.now() - this.start;
      }
    }
  }
}

const clock = new AccessSynthClock();

/** The aspects applied anywhere in the app, to tell those the access layer adds. */
function allAspects(app: App): Set<unknown> {
  return new Set(app.node.findAll().flatMap(c => Aspects.of(c).all));
}

interface Timing {
  /** Defining the access layer: the library's calls, or the L1 resources. */
  readonly defineMs: number;
  /** The access stack's share of `app.synth()`. */
  readonly synthMs: number;
  /** `app.synth()` of the whole app (every stack, strict validation). */
  readonly appSynthMs: number;
}

/** Builds the app (untimed), defines the access layer and synthesizes the app, timing each part. */
function timedRun(layout: Layout, targets: number, variant: Variant): { timing: Timing; world: World } {
  const world = buildWorld(layout, targets);
  const before = allAspects(world.app);
  const start = performance.now();
  if (variant === 'library') {
    libraryAccess(world, layout);
  } else {
    handWrittenAccess(world, layout);
  }
  const defineMs = performance.now() - start;
  const added = new Set([...allAspects(world.app)].filter(a => !before.has(a)));
  clock.reset(world.accessStack, added);
  const synthStart = performance.now();
  world.app.synth();
  const appSynthMs = performance.now() - synthStart;
  const timing = { defineMs, synthMs: clock.totalMs, appSynthMs };
  clock.reset(undefined, new Set());
  return { timing, world };
}

interface Sizes {
  resources: number;
  rules: number;
  maxRulesPerGroup: number;
  policies: number;
  maxPoliciesPerRole: number;
  largestPolicy: number;
  totalPolicyChars: number;
  maxResourcesPerStack: number;
}

/** Counts on the synthesized templates; policy lengths as IAM counts them (resolved, no white space). */
function measure(world: World): Sizes {
  const templates = world.app.synth().stacks.map(s => ({ name: s.stackName, template: s.template }));
  const access = templates.find(t => t.name === 'Access')!.template;
  const resources = Object.entries<any>(access.Resources);

  // Rules: separate resources, and inline rules other than aws-cdk-lib's "no traffic" placeholder.
  let rules = 0;
  const perGroup = new Map<string, number>();
  const count = (group: unknown, direction: string) => {
    const key = `${JSON.stringify(group)} ${direction}`;
    perGroup.set(key, (perGroup.get(key) ?? 0) + 1);
  };
  for (const { name, template } of templates) {
    for (const [logicalId, r] of Object.entries<any>(template.Resources)) {
      const inAccess = name === 'Access';
      if (r.Type === 'AWS::EC2::SecurityGroupIngress' || r.Type === 'AWS::EC2::SecurityGroupEgress') {
        rules += inAccess ? 1 : 0;
        count(globalGroupId(name, r.Properties.GroupId), r.Type);
      } else if (r.Type === 'AWS::EC2::SecurityGroup') {
        const inline = [
          ...(r.Properties.SecurityGroupIngress ?? []).map(() => 'AWS::EC2::SecurityGroupIngress'),
          ...(r.Properties.SecurityGroupEgress ?? []).filter((e: any) => e.CidrIp !== '255.255.255.255/32').map(() => 'AWS::EC2::SecurityGroupEgress'),
        ];
        rules += inAccess ? inline.length : 0;
        inline.forEach(direction => count(globalGroupId(name, { 'Fn::GetAtt': [logicalId, 'GroupId'] }), direction));
      }
    }
  }

  // Policies: the managed policies of each role of the access stack, resolved as IAM would store them.
  const world2 = new TemplateWorld(world.accessStack);
  const byRole = new Map<string, number[]>();
  for (const [, r] of resources) {
    if (r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy') {
      const length = JSON.stringify(world2.resolve(r.Properties.PolicyDocument)).length;
      for (const role of r.Properties.Roles ?? []) {
        byRole.set(role.Ref, [...(byRole.get(role.Ref) ?? []), length]);
      }
    }
  }
  const lengths = [...byRole.values()].flat();
  return {
    resources: resources.length,
    rules,
    maxRulesPerGroup: Math.max(0, ...perGroup.values()),
    policies: lengths.length,
    maxPoliciesPerRole: Math.max(0, ...[...byRole.values()].map(l => l.length)),
    largestPolicy: Math.max(0, ...lengths),
    totalPolicyChars: lengths.reduce((a, b) => a + b, 0),
    maxResourcesPerStack: Math.max(...templates.map(t => Object.keys(t.template.Resources).length)),
  };
}

/** A security group's identity across stacks: an import of another stack's export names that stack's group. */
function globalGroupId(stackName: string, groupId: any): string {
  const imported = groupId?.['Fn::ImportValue'];
  if (typeof imported === 'string') {
    const [producer, exportName] = imported.split(':');
    const match = /FnGetAtt(.+?)GroupId/.exec(exportName);
    return `${producer}/${match ? match[1] : exportName}`;
  }
  return `${stackName}/${groupId?.['Fn::GetAtt']?.[0] ?? JSON.stringify(groupId)}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Row {
  layout: Layout;
  targets: number;
  variant: Variant;
  /** Median of define + the access stack's share of synthesis, and its min and max over the runs. */
  accessMs: number;
  spreadMs: [number, number];
  defineMs: number;
  synthMs: number;
  appSynthMs: number;
  sizes: Sizes;
}

function bench(layout: Layout, targets: number, runs: number): Row[] {
  const variants: Variant[] = ['library', 'hand-written L1'];
  const timings = new Map<Variant, Timing[]>(variants.map(v => [v, []]));
  const sizes = new Map<Variant, Sizes>();
  // Two warm-up rounds (not recorded; the first also measures the templates), then the timed rounds, alternating
  // the order. Small sizes take milliseconds, where one GC pause is a large share: they get more rounds.
  const rounds = targets >= 1000 ? runs : targets >= 100 ? 2 * runs : 4 * runs;
  for (let round = -2; round < rounds; round++) {
    for (const variant of round % 2 === 0 ? [...variants].reverse() : variants) {
      const { timing, world } = timedRun(layout, targets, variant);
      if (round === -2) {
        sizes.set(variant, measure(world));
      } else if (round >= 0) {
        timings.get(variant)!.push(timing);
      }
      fs.rmSync(world.outdir, { recursive: true, force: true });
    }
  }
  return variants.map(variant => {
    const own = timings.get(variant)!;
    const access = own.map(t => t.defineMs + t.synthMs);
    return {
      layout,
      targets,
      variant,
      accessMs: median(access),
      spreadMs: [Math.min(...access), Math.max(...access)] as [number, number],
      defineMs: median(own.map(t => t.defineMs)),
      synthMs: median(own.map(t => t.synthMs)),
      appSynthMs: median(own.map(t => t.appSynthMs)),
      sizes: sizes.get(variant)!,
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Report.

function table(rows: Row[]): string {
  const lines = [
    '| layout | targets | implementation | access layer: define + synth, median (min–max) | define | synth | whole-app `app.synth()` | resources in access stack | SG rules in access stack | most rules on one SG, per direction | managed policies (most per role) | largest policy (chars) | all policies (chars) |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const s = r.sizes;
    lines.push(`| ${r.layout} | ${r.targets.toLocaleString('en-US')} | ${r.variant} | ${ms(r.accessMs)} (${ms(r.spreadMs[0])}–${ms(r.spreadMs[1])}) | ` +
      `${ms(r.defineMs)} | ${ms(r.synthMs)} | ${ms(r.appSynthMs)} | ${s.resources} | ${s.rules} | ${s.maxRulesPerGroup} | ${s.policies} (${s.maxPoliciesPerRole}) | ` +
      `${s.largestPolicy.toLocaleString('en-US')} | ${s.totalPolicyChars.toLocaleString('en-US')} |`);
  }
  return lines.join('\n');
}

function ratios(rows: Row[]): string {
  const lines = [
    '| layout | targets | library / hand-written: access layer (define + synth) | within 1.2× | library − hand-written | whole-app `app.synth()` ratio (context: fleet-dominated, noisy) |',
    '|---|---:|---:|---|---:|---:|',
  ];
  for (let i = 0; i < rows.length; i += 2) {
    const [lib, l1] = [rows[i], rows[i + 1]];
    const ratio = lib.accessMs / l1.accessMs;
    lines.push(`| ${lib.layout} | ${lib.targets.toLocaleString('en-US')} | ${ratio.toFixed(2)}× | ${ratio <= 1.2 ? 'yes' : '**no**'} | ` +
      `${ms(lib.accessMs - l1.accessMs)} | ${(lib.appSynthMs / l1.appSynthMs).toFixed(2)}× |`);
  }
  return lines.join('\n');
}

function limits(rows: Row[]): string {
  const worst = (f: (s: Sizes) => number) => Math.max(...rows.map(r => f(r.sizes)));
  const check = (value: number, limit: number) => `${value.toLocaleString('en-US')} of ${limit.toLocaleString('en-US')}: ${value <= limit ? 'within' : '**over**'}`;
  return [
    `- resources per stack (any stack of the app): ${check(worst(s => s.maxResourcesPerStack), LIMITS.resourcesPerStack)}`,
    `- rules on one security group, per direction: ${check(worst(s => s.maxRulesPerGroup), LIMITS.rulesPerGroupPerDirection)}`,
    `- characters in one managed policy: ${check(worst(s => s.largestPolicy), LIMITS.charsPerManagedPolicy)}`,
    `- managed policies on one role: ${check(worst(s => s.maxPoliciesPerRole), LIMITS.managedPoliciesPerRole)}`,
  ].join('\n');
}

function ms(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')} ms`;
}

function machine(runs: number): string {
  const cpus = os.cpus();
  const cdkVersion = JSON.parse(fs.readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf-8')).version;
  return [
    `- date: ${new Date().toISOString().slice(0, 10)}`,
    `- machine: ${os.availableParallelism()} CPUs (\`nproc\`), ${cpus[0]?.model ?? 'unknown CPU'}, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, ${os.type()} ${os.release()}`,
    `- Node.js ${process.version}, aws-cdk-lib ${cdkVersion}, ` +
      'strict CloudFormation validation on (`@aws-cdk/core:validateAgainstDefaultRules`)',
    `- timed rounds after two warm-up rounds: ${4 * runs} for 1 and 10 targets, ${2 * runs} for 100, ${runs} for 1,000; ` +
      'the two implementations in alternating order, no forced GC (a forced full GC flushes compiled code and slows ' +
      'whatever runs next: it inflated the library\'s define time two- to threefold)',
  ].join('\n');
}

function main(): void {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const runs = Number(option('runs') ?? 5);
  const sizes = (option('sizes') ?? '1,10,100,1000').split(',').map(Number);
  const rows: Row[] = [];
  for (const layout of ['by-tag', 'by-instance'] as Layout[]) {
    for (const targets of sizes) {
      process.stderr.write(`${layout}, ${targets} targets...\n`);
      rows.push(...bench(layout, targets, runs));
    }
  }
  const report = [
    '<!-- bench:start (generated by `npx projen bench -- --write`; edit bench/synth-bench.ts, not this block) -->',
    machine(runs),
    '',
    table(rows),
    '',
    ratios(rows),
    '',
    'AWS limits, the worst case over every row:',
    '',
    limits(rows),
    '<!-- bench:end -->',
  ].join('\n');
  process.stdout.write(`${report}\n`);
  if (args.includes('--write')) {
    const file = path.join(__dirname, '..', 'BENCHMARKS.md');
    const current = fs.readFileSync(file, 'utf-8');
    const updated = current.replace(/<!-- bench:start[\s\S]*?<!-- bench:end -->/, report);
    if (updated === current && !current.includes(report)) {
      throw new Error(`${file} has no <!-- bench:start --> … <!-- bench:end --> block to replace`);
    }
    fs.writeFileSync(file, updated);
    process.stderr.write(`wrote ${file}\n`);
  }
}

main();
