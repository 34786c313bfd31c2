import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The integration apps, `integ/integ.*.ts`, sorted. */
export const INTEG_DIR = path.join(__dirname, '..', '..', 'integ');

export function integAppFiles(): string[] {
  return fs.readdirSync(INTEG_DIR).filter(f => /^integ\..+\.ts$/.test(f) && !f.endsWith('.d.ts')).sort();
}

/** A synthesized integration app: its cloud assembly directory, stack artifacts and templates. */
export interface SynthesizedIntegApp {
  /** The cloud assembly directory (`CDK_OUTDIR`). */
  readonly outdir: string;
  /** The CloudFormation stack artifacts of the manifest, with the artifacts each depends on. */
  readonly stacks: Record<string, string[]>;
  /** The integ manifest's test cases (`integ.json`). */
  readonly testCases: unknown;
  /** Every `*.template.json` of the assembly, by file name. */
  readonly templates: Record<string, any>;
  /** The paths of the template files. */
  readonly templatePaths: string[];
}

const synthesized = new Map<string, SynthesizedIntegApp>();

/**
 * Runs the real app file in this process, as `cdk synth` would run it (`app.synth()` at its end writes the assembly
 * to `CDK_OUTDIR`), and reads the assembly back. Each file runs once per jest test file (jest's module registry).
 */
export function synthIntegApp(file: string): SynthesizedIntegApp {
  const cached = synthesized.get(file);
  if (cached) {
    return cached;
  }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `${file}-`));
  const previous = process.env.CDK_OUTDIR;
  process.env.CDK_OUTDIR = outdir;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path.join(INTEG_DIR, file));
  } finally {
    if (previous === undefined) {
      delete process.env.CDK_OUTDIR;
    } else {
      process.env.CDK_OUTDIR = previous;
    }
  }
  if (!fs.existsSync(path.join(outdir, 'manifest.json'))) {
    throw new Error(`${file} wrote no cloud assembly to CDK_OUTDIR: does it end with app.synth() on an App that reads CDK_OUTDIR?`);
  }
  const manifest = readJson(path.join(outdir, 'manifest.json'));
  const stacks: Record<string, string[]> = {};
  for (const [id, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack') {
      stacks[id] = [...(artifact.dependencies ?? [])].sort();
    }
  }
  const templateFiles = fs.readdirSync(outdir).filter(f => f.endsWith('.template.json')).sort();
  const result: SynthesizedIntegApp = {
    outdir,
    stacks,
    testCases: readJson(path.join(outdir, 'integ.json')).testCases,
    templates: Object.fromEntries(templateFiles.map(f => [f, readJson(path.join(outdir, f))])),
    templatePaths: templateFiles.map(f => path.join(outdir, f)),
  };
  synthesized.set(file, result);
  return result;
}

/** Removes the assemblies written so far. */
export function cleanUpIntegApps(): void {
  for (const { outdir } of synthesized.values()) {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  synthesized.clear();
}

/** An asset hash (SHA-256, hex): asset S3 keys, `AssetParameters…` names and `asset.<hash>` paths. */
const ASSET_HASH = /[0-9a-f]{64}/g;

/**
 * A template with the fields that change without a change to the app replaced by placeholders:
 * - `salt` of the assertion custom resources: `Date.now()` at every synth, so that assertions always re-run;
 * - asset hashes: they change with the assertion provider's bundled code, i.e. with any integ-tests-alpha release;
 * - the `AWS::CDK::Metadata` resource and its condition, present only when the CLI turns version reporting on.
 */
export function normalizeTemplate(template: any): any {
  const copy = JSON.parse(JSON.stringify(template).replace(ASSET_HASH, '<asset-hash>'));
  for (const resource of Object.values<any>(copy.Resources ?? {})) {
    if (resource.Properties && 'salt' in resource.Properties) {
      resource.Properties.salt = '<salt>';
    }
  }
  delete copy.Resources?.CDKMetadata;
  delete copy.Conditions?.CDKMetadataAvailable;
  if (copy.Conditions && Object.keys(copy.Conditions).length === 0) {
    delete copy.Conditions;
  }
  return copy;
}

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf-8'));
}
