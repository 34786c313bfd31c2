import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { InstanceConnectAccess } from '../../lib';
import { buildAccessReport } from '../../lib/report/private/build';
import { NetworkPath } from '../../lib/report/private/model';

export const ENV = { account: '111122223333', region: 'us-east-1' };

/** A fresh scratch directory under test/.tmp. */
export function scratch(name: string): string {
  const dir = path.join(__dirname, '..', '.tmp', 'report', `${name}-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Options that vary between the "before" and "after" assemblies of the diff tests. */
export interface FleetOptions {
  readonly remotePorts?: number[];
  readonly osUsers?: string[];
  readonly sourceIpRanges?: string[];
  /** The hand-written over-broad key push (on `*`, no OS user). */
  readonly overBroad?: boolean;
  /** Whether the on-call role exists at all. */
  readonly onCall?: boolean;
  /** Ports the endpoint may reach the web instance on (`allowConnectionsTo`); none by default. */
  readonly networkPorts?: number[];
}

/** An app with the library's access (an operator role) and, optionally, a hand-written over-broad grant. */
export function fleetApp(outdir: string | undefined, options: FleetOptions = {}): App {
  // Path metadata on, as the CDK CLI sets it, so the review names constructs.
  const app = new App({ ...(outdir ? { outdir } : {}), context: { [cxapi.PATH_METADATA_ENABLE_CONTEXT]: true } });
  const stack = new Stack(app, 'Fleet', { env: ENV });
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1 });
  const access = new InstanceConnectAccess(stack, 'Access', { vpc, auditTrail: false });
  const web = new ec2.Instance(stack, 'Web', {
    vpc,
    instanceType: new ec2.InstanceType('t3.micro'),
    machineImage: ec2.MachineImage.latestAmazonLinux2023(),
  });
  if (options.onCall ?? true) {
    access.addOperatorRole('OnCall', {
      instances: [web],
      osUsers: options.osUsers ?? ['ec2-user'],
      sourceIpRanges: options.sourceIpRanges ?? ['203.0.113.0/24'],
      remotePorts: options.remotePorts ?? [22],
    });
  }
  for (const port of options.networkPorts ?? []) {
    access.allowConnectionsTo(web, ec2.Port.tcp(port));
  }
  if (options.overBroad) {
    const role = new iam.Role(stack, 'HandWritten', { assumedBy: new iam.AccountRootPrincipal(), roleName: 'hand-written' });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['ec2-instance-connect:SendSSHPublicKey'], resources: ['*'] }));
  }
  return app;
}

/** A hand-written VPC for the network side's tests: 10.0.0.0/16, the endpoint in 10.0.1.0/24, targets in 10.0.2.0/24. */
export class Network {
  public readonly app: App;
  public readonly stack: Stack;
  public readonly vpc: ec2.CfnVPC;
  public readonly endpointSubnet: ec2.CfnSubnet;
  public readonly targetSubnet: ec2.CfnSubnet;

  constructor(outdir?: string, stage?: string) {
    this.app = new App(outdir ? { outdir } : {});
    this.stack = new Stack(stage ? new Stage(this.app, stage) : this.app, 'Net', { env: ENV });
    this.vpc = new ec2.CfnVPC(this.stack, 'Vpc', { cidrBlock: '10.0.0.0/16' });
    this.endpointSubnet = new ec2.CfnSubnet(this.stack, 'EndpointSubnet', { vpcId: this.vpc.ref, cidrBlock: '10.0.1.0/24' });
    this.targetSubnet = new ec2.CfnSubnet(this.stack, 'TargetSubnet', { vpcId: this.vpc.ref, cidrBlock: '10.0.2.0/24' });
  }

  public group(id: string, props: Partial<ec2.CfnSecurityGroupProps> = {}): ec2.CfnSecurityGroup {
    return new ec2.CfnSecurityGroup(this.stack, id, { groupDescription: id, vpcId: this.vpc.ref, ...props });
  }

  public endpoint(groups?: ec2.CfnSecurityGroup[], preserveClientIp = false): ec2.CfnInstanceConnectEndpoint {
    return new ec2.CfnInstanceConnectEndpoint(this.stack, 'Endpoint', {
      subnetId: this.endpointSubnet.ref,
      preserveClientIp,
      securityGroupIds: groups?.map(g => g.attrGroupId),
    });
  }

  public instance(id: string, groups?: ec2.CfnSecurityGroup[], subnet: ec2.CfnSubnet = this.targetSubnet): ec2.CfnInstance {
    return new ec2.CfnInstance(this.stack, id, { imageId: 'ami-12345678', subnetId: subnet.ref, securityGroupIds: groups?.map(g => g.attrGroupId) });
  }

  public paths(): NetworkPath[] {
    return buildAccessReport(this.app).networkPaths;
  }
}

export const tcp = (from: number, to: number, cidrIp: string) => ({ ipProtocol: 'tcp', fromPort: from, toPort: to, cidrIp });
