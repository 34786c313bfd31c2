import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { validationError } from '../../private/errors';

// One registry per construct tree (app), so separate apps in one process (tests) do not collide.
const ENDPOINTS_BY_ROOT = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Records that `endpoint` is the Instance Connect Endpoint of `vpc`, and throws if the app already has one.
 *
 * AWS allows one endpoint per VPC; a second one fails at deploy time, an hour too late.
 */
export function registerEndpoint(endpoint: IConstruct, vpc: ec2.IVpc): void {
  const root = endpoint.node.root;
  let endpoints = ENDPOINTS_BY_ROOT.get(root);
  if (!endpoints) {
    endpoints = new Map();
    ENDPOINTS_BY_ROOT.set(root, endpoints);
  }
  const key = vpcKey(vpc);
  const existing = endpoints.get(key);
  if (existing !== undefined) {
    throw validationError(endpoint,
      `vpc ${vpc.node.path} already has an EC2 Instance Connect Endpoint (${existing}); AWS allows one endpoint per VPC, so reuse it (for example with InstanceConnectAccess's 'endpoint' prop)`);
  }
  endpoints.set(key, endpoint.node.path);
}

/** The same VPC, whether it is one construct or the same concrete VPC ID imported twice. */
function vpcKey(vpc: ec2.IVpc): string {
  if (Token.isUnresolved(vpc.vpcId)) {
    return `construct:${vpc.node.path}`;
  }
  const stack = Stack.of(vpc);
  return `vpc:${stack.account}/${stack.region}/${vpc.vpcId}`;
}
