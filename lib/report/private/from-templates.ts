import * as fs from 'fs';
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
  const app = new App();
  const used = new Set<string>();
  for (const file of [...templatePaths].sort()) {
    let id = path.basename(file).replace(TEMPLATE_SUFFIX, '').replace(/\.json$/, '');
    if (used.has(id)) {
      id = `${path.basename(path.dirname(file))}.${id}`;
    }
    used.add(id);
    const stack = new Stack(app, id);
    try {
      new CfnInclude(stack, 'Template', { templateFile: file });
    } catch (e) {
      throw new Error(`The access report cannot read the template ${file}: ${(e as Error).message}`);
    }
  }
  return buildAccessReport(app);
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
