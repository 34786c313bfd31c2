import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { buildAccessReport } from './build';
import { AccessReport } from './model';

const TEMPLATE_SUFFIX = '.template.json';

/**
 * The access review of synthesized templates: each is loaded into a fresh stack with `CfnInclude`, so the semantic
 * core reads the same typed resources as it does in a construct tree. Each stack is named after its template file,
 * as the assembly names it, so rows from either path carry the same IDs.
 */
export function accessReportOfTemplates(templatePaths: readonly string[]): AccessReport {
  const used = new Set<string>();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'eic-access-report-'));
  // Never synthesized: under the CDK CLI (CDK_OUTDIR set) an App would otherwise synthesize itself into the user's
  // cloud assembly when the process exits.
  const app = new App({ autoSynth: false, outdir: path.join(work, 'never-synthesized') });
  try {
    for (const file of [...templatePaths].sort()) {
      let id = path.basename(file).replace(TEMPLATE_SUFFIX, '').replace(/\.json$/, '');
      if (used.has(id)) {
        id = `${path.basename(path.dirname(file))}.${id}`;
      }
      used.add(id);
      // The construct ID names the rows; the stack name only has to be one CloudFormation accepts.
      const stack = new Stack(app, id, { stackName: `T${id.replace(/[^A-Za-z0-9-]/g, '-')}`.slice(0, 128), env: environmentOf(file) });
      try {
        const slim = path.join(work, `${used.size}.json`);
        fs.writeFileSync(slim, JSON.stringify(slimmed(JSON.parse(fs.readFileSync(file, 'utf8')))));
        new CfnInclude(stack, 'Template', { templateFile: slim });
      } catch (e) {
        throw new Error(`The access report cannot read the template ${file}: ${(e as Error).message}`);
      }
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return buildAccessReport(app);
}

/**
 * The account and Region the assembly's manifest gives the template's stack, when it names both: an export is unique
 * only within one, so an import is read in its own.
 */
function environmentOf(file: string): { account: string; region: string } | undefined {
  const manifest = path.join(path.dirname(file), 'manifest.json');
  if (!fs.existsSync(manifest)) return undefined;
  try {
    const artifacts = (JSON.parse(fs.readFileSync(manifest, 'utf8')).artifacts ?? {}) as Record<string, { environment?: string; properties?: { templateFile?: string } }>;
    const artifact = Object.values(artifacts).find(a => a?.properties?.templateFile === path.basename(file));
    const match = /^aws:\/\/(\d{12})\/([a-z0-9-]+)$/.exec(artifact?.environment ?? '');
    return match && match[2] !== 'unknown-region' ? { account: match[1], region: match[2] } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The resource types whose properties the report reads: IAM principals and policies, permission sets and SCPs, and
 * what decides the network side: endpoints, security groups and their rules, subnets, VPCs, prefix lists, network
 * interfaces and aws-cdk-lib's custom resource that empties a default group.
 */
const READ_TYPES = new RegExp(['^AWS::(IAM|SSO)::', '^AWS::Organizations::Policy$', '^Custom::VpcRestrictDefaultSG$',
  '^AWS::EC2::(InstanceConnectEndpoint|SecurityGroup|SecurityGroupIngress|SecurityGroupEgress|Subnet|SubnetCidrBlock|VPC|PrefixList|NetworkInterface|NetworkInterfaceAttachment)$'].join('|'));

/**
 * Types of which the report reads a few properties: only those are kept (with the ones CloudFormation requires), so
 * a fleet's user data and block devices are not parsed.
 */
const READ_PROPERTIES: Record<string, { readonly keep: string[]; readonly nested?: Record<string, string[]> }> = {
  'AWS::EC2::Instance': { keep: ['SubnetId', 'SecurityGroupIds', 'NetworkInterfaces', 'LaunchTemplate', 'Tags'] },
  'AWS::EC2::LaunchTemplate': {
    keep: ['LaunchTemplateName', 'LaunchTemplateData'],
    nested: { LaunchTemplateData: ['SecurityGroupIds', 'NetworkInterfaces', 'TagSpecifications'] },
  },
  'AWS::AutoScaling::LaunchConfiguration': { keep: ['ImageId', 'InstanceType', 'SecurityGroups', 'AssociatePublicIpAddress'] },
  'AWS::AutoScaling::AutoScalingGroup': {
    keep: ['MinSize', 'MaxSize', 'VPCZoneIdentifier', 'LaunchConfigurationName', 'LaunchTemplate', 'MixedInstancesPolicy', 'Tags'],
  },
};

/** A resource type with no required properties, standing for one the report does not read. */
const STUB_TYPE = 'AWS::CloudFormation::WaitConditionHandle';

/**
 * The template with only what the report reads: the types above in full, the properties above of the others it
 * reads, and a stub for each other resource they name, so references still resolve (and render as the same `<…>`
 * unknowns). `CfnInclude` then need not parse a fleet's user data and block devices, which would take longer than
 * the review itself. Of the outputs only exports are kept; rules name nothing the report reads.
 */
function slimmed(template: Record<string, unknown>): Record<string, unknown> {
  const resources = (template.Resources ?? {}) as Record<string, { Type?: string; Condition?: unknown; DependsOn?: unknown; Properties?: unknown }>;
  const kept: Record<string, unknown> = {};
  const referenced = new Set<string>();
  for (const [id, resource] of Object.entries(resources)) {
    if (typeof resource?.Type !== 'string') {
      continue;
    }
    const properties = READ_PROPERTIES[resource.Type];
    if (READ_TYPES.test(resource.Type) || properties) {
      // Ordering does not change what a policy grants or a rule admits, and the resources it names may be left out.
      const { DependsOn: _dependsOn, ...read } = resource;
      kept[id] = properties ? { ...read, Properties: picked(read.Properties, properties.keep, properties.nested) } : read;
      referencesIn(kept[id], referenced);
    }
  }
  // Exports stay: a reference across stacks is an `Fn::ImportValue` of one, and the index follows it.
  const outputs = Object.fromEntries(Object.entries((template.Outputs ?? {}) as Record<string, { Export?: unknown }>)
    .filter(([, output]) => output?.Export !== undefined));
  referencesIn(outputs, referenced);
  for (const id of referenced) {
    const resource = resources[id];
    if (resource !== undefined && kept[id] === undefined) {
      kept[id] = { Type: STUB_TYPE, ...(resource.Condition !== undefined ? { Condition: resource.Condition } : {}) };
    }
  }
  const rest: Record<string, unknown> = { ...template, Resources: kept, Outputs: outputs };
  delete rest.Rules;
  return rest;
}

/** The named properties of a resource (and of the nested objects named), left out when absent. */
function picked(properties: unknown, keep: string[], nested: Record<string, string[]> = {}): Record<string, unknown> {
  const from = (properties ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of keep) {
    const value = from[key];
    if (value === undefined) continue;
    const inner = nested[key];
    out[key] = inner && value !== null && typeof value === 'object' && !Array.isArray(value) ? picked(value, inner) : value;
  }
  return out;
}

/** The logical IDs a value names by `Ref`, `Fn::GetAtt` or `Fn::Sub`. */
function referencesIn(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    value.forEach(v => referencesIn(v, into));
    return;
  }
  if (value === null || typeof value !== 'object') {
    return;
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'Ref' && typeof v === 'string') into.add(v);
    if (key === 'Fn::GetAtt') into.add(Array.isArray(v) ? String(v[0]) : String(v).split('.')[0]);
    if (key === 'Fn::Sub') {
      const text = Array.isArray(v) ? v[0] : v;
      if (typeof text === 'string') for (const m of text.matchAll(/\$\{([^!}][^}.]*)/g)) into.add(m[1]);
    }
    referencesIn(v, into);
  }
}

/** Every `*.template.json` under a cloud assembly directory (nested assemblies of stages included), sorted. */
export function templatesUnder(directory: string): string[] {
  if (!fs.existsSync(directory) || !fs.statSync(directory).isDirectory()) {
    throw new Error(`Not a cloud assembly directory: ${directory}`);
  }
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(TEMPLATE_SUFFIX)) found.push(full);
    }
  };
  walk(directory);
  return found;
}
