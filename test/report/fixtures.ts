import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { InstanceConnectAccess } from '../../lib';

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
