import * as fs from 'fs';
import * as path from 'path';
import { diffReports, renderDiffMarkdown } from './private/diff';
import { accessReportOfTemplates, templatesUnder } from './private/from-templates';
import { RENDERERS } from './private/write';

const USAGE = `usage:
  instance-connect-access-report report <cdk.out> [--format json|md|html] [--out <file>]
      print (or write) the access review of every *.template.json under the assembly
  instance-connect-access-report diff <before cdk.out> <after cdk.out> [--out <file>]
      print who gained or lost EC2 Instance Connect access as Markdown; exit 1 when access widened`;

/** Runs the command; returns the exit code (0 done, 1 access widened, 2 bad usage or input). */
export function main(argv: string[], write: (text: string) => void = t => process.stdout.write(t)): number {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    write(`${USAGE}\n`);
    return 0;
  }
  const option = (name: string) => {
    const i = rest.indexOf(name);
    if (i < 0) return undefined;
    const v = rest[i + 1];
    rest.splice(i, 2);
    return v;
  };
  const format = option('--format') ?? 'md';
  const out = option('--out');
  const emit = (text: string) => (out ? fs.writeFileSync(path.resolve(out), text) : write(text));
  try {
    if (command === 'report' && rest.length === 1 && RENDERERS[format]) {
      emit(RENDERERS[format](accessReportOfTemplates(templatesUnder(rest[0]))));
      return 0;
    }
    if (command === 'diff' && rest.length === 2) {
      const changes = diffReports(accessReportOfTemplates(templatesUnder(rest[0])), accessReportOfTemplates(templatesUnder(rest[1])));
      emit(renderDiffMarkdown(changes));
      return changes.some(c => c.kind === 'gained') ? 1 : 0;
    }
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
