import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { App, Stack } from 'aws-cdk-lib';
import { IdentityCenterPrincipal, InstanceConnectGuardrails, InstanceConnectPermissionSet } from '../../lib';
import { Expected, Request } from '../iam/simulate';
import { STRICT_VALIDATION } from '../util';

export const MANAGEMENT = '999988887777';
export const ACCOUNT_A = '111122223333';
export const ACCOUNT_B = '444455556666';
export const OU = 'ou-ab12-cdefgh34';
export const INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-0123456789abcdef';
export const OFFICE_IP = '203.0.113.7';

/** The management account's stack: the permission set, its assignment, and the guardrails on the workloads OU. */
export function buildOrganization() {
  const app = new App({ context: STRICT_VALIDATION });
  const stack = new Stack(app, 'Org', { env: { account: MANAGEMENT, region: 'us-east-1' } });
  const permissionSet = new InstanceConnectPermissionSet(stack, 'InstanceConnect', {
    instanceArn: INSTANCE_ARN,
    name: 'InstanceConnect',
    osUsers: ['ec2-user'],
    instanceTagAttributes: { team: 'team' },
    sourceIpRanges: ['203.0.113.0/24'],
    maxTunnelDuration: undefined,
  });
  permissionSet.assign(IdentityCenterPrincipal.group('0123456789-a1b2c3d4-0000-0000-0000-000000000000'), [ACCOUNT_A, ACCOUNT_B]);
  const guardrails = new InstanceConnectGuardrails(stack, 'Guardrails', {
    targetIds: [OU],
    connectPermissionSets: ['InstanceConnect'],
    accessTagKeys: ['team', 'instance-connect-access:endpoint'],
    deploymentRoles: ['arn:aws:iam::*:role/Deployer'],
    breakGlassRoles: ['arn:aws:iam::*:role/BreakGlass'],
  });
  const resolve = (doc: unknown) => JSON.parse(JSON.stringify(stack.resolve(doc)).replace(/\{"Ref":"AWS::Partition"\}/g, '"aws"'),
    (_k, v) => (v && typeof v === 'object' && Array.isArray(v['Fn::Join']) ? v['Fn::Join'][1].join(v['Fn::Join'][0]) : v));
  return {
    app,
    stack,
    permissionSet,
    guardrails,
    permissionSetPolicy: resolve(permissionSet.policyDocument.toJSON()),
    scps: guardrails.documents.map(d => resolve(d.toJSON())),
  };
}

export type Organization = ReturnType<typeof buildOrganization>;

const FULL_AWS_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** A principal of a workload account: its ARN (as IAM reports it, path included) and its identity policies. */
export interface Caller {
  readonly name: string;
  readonly arn: string;
  readonly account: string;
  readonly policies: Array<{ name: string; policy: unknown }>;
  readonly tags?: Record<string, string>;
  /** Whether the account is under the guardrails (the management account, or an OU without them, is not). */
  readonly unguarded?: boolean;
}

/**
 * IAM's answer for a request from `caller`, with the organisation's SCPs (root and account: FullAWSAccess; the OU:
 * FullAWSAccess and the guardrails). `aws:PrincipalArn` and the principal's tags are passed as Identity Center
 * makes them: the evaluator does not derive them.
 */
export async function decide(org: Organization, caller: Caller, request: Request): Promise<Expected> {
  const tags = Object.fromEntries(Object.entries(caller.tags ?? {}).map(([k, v]) => [`aws:PrincipalTag/${k}`, v]));
  const simulation = {
    request: {
      principal: caller.arn,
      action: request.action,
      resource: { resource: request.resource, accountId: caller.account },
      contextVariables: { 'aws:PrincipalArn': caller.arn, 'aws:PrincipalAccount': caller.account, ...tags, ...request.context },
    },
    identityPolicies: caller.policies,
    serviceControlPolicies: [
      { orgIdentifier: 'r-ab12', policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }] },
      { orgIdentifier: OU, policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }, ...(caller.unguarded ? [] : org.scps.map((policy, i) => ({ name: `guardrails${i}`, policy })))] },
      { orgIdentifier: caller.account, policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }] },
    ],
    resourceControlPolicies: [],
  };
  if (!request.action.startsWith('kms:')) {
    // The unvalidated engine: the validated one mis-reads EC2 Instance Connect's condition keys.
    return runUnsafeSimulation(simulation, {}) as Expected;
  }
  // A KMS key needs its key policy to allow as well (the default one, which delegates to IAM), and only the validated
  // engine takes a resource policy.
  const result = await runSimulation({ ...simulation, resourcePolicy: defaultKeyPolicy(caller.account) }, {});
  if (result.resultType !== 'single') {
    throw new Error(`simulation did not run: ${JSON.stringify(result)}`);
  }
  return result.overallResult as Expected;
}

/** The key policy KMS gives a key by default: the account's IAM policies decide. */
function defaultKeyPolicy(account: string) {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
  };
}
