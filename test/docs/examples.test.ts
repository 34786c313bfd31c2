/**
 * Every TypeScript example of the README and docs/ compiles against the library's API, as jsii-rosetta compiles the
 * README's at every build: each block is put in its fixture (`rosetta/<fixture>.ts-fixture`, `default` unless the
 * block names one, none with `nofixture`) and type-checked with the tests' compiler options. The README's first app
 * is also synthesized under the real CDK CLI by the consumer check.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'test', '.tmp', 'examples');
const DOCUMENTS = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter(f => f.endsWith('.md')).map(f => `docs/${f}`)];

interface Example {
  readonly document: string;
  readonly line: number;
  readonly file: string;
}

/** The TypeScript blocks of `document`, each written into its fixture as a file of its own. */
function examples(document: string): Example[] {
  const lines = fs.readFileSync(path.join(ROOT, document), 'utf8').split('\n');
  const found: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript)\b(.*)$/.exec(lines[i]);
    if (!open) {
      continue;
    }
    const end = lines.indexOf('```', i + 1);
    const block = lines.slice(i + 1, end);
    const parameters = open[2];
    const fixtureName = /\bfixture=(\S+)/.exec(parameters)?.[1] ?? 'default';
    // As jsii-rosetta does: imports and ambient declarations go to the top of the fixture, the rest in its place.
    const hoisted = (l: string) => l.startsWith('import ') || l.startsWith('declare ');
    const imports = block.filter(hoisted);
    const body = block.filter(l => !hoisted(l));
    const source = /\bnofixture\b/.test(parameters)
      ? block.join('\n')
      : fs.readFileSync(path.join(ROOT, 'rosetta', `${fixtureName}.ts-fixture`), 'utf8')
        .replace(/^/, `${imports.join('\n')}\n`)
        .replace(/^[ \t]*\/\/\/[ \t]*here[ \t]*$/m, body.join('\n'));
    const file = path.join(OUT, `${document.replace(/[^A-Za-z0-9]/g, '_')}_${i + 1}.ts`);
    // Examples import the package by name, as users do: here, its sources.
    fs.writeFileSync(file, source.replace(/from 'cdk-instance-connect-access'/g, `from '${path.relative(OUT, path.join(ROOT, 'lib')).split(path.sep).join('/')}'`));
    found.push({ document, line: i + 1, file });
    i = end;
  }
  return found;
}

describe('the examples of the README and docs/', () => {
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const all = DOCUMENTS.flatMap(examples);

  test('there are examples in the README and in docs/', () => {
    expect(all.some(e => e.document === 'README.md')).toBe(true);
    expect(new Set(all.map(e => e.document)).size).toBeGreaterThan(4);
  });

  test('every example compiles', () => {
    const config = ts.readConfigFile(path.join(ROOT, 'test', 'tsconfig.json'), ts.sys.readFile);
    const options = ts.parseJsonConfigFileContent(config.config, ts.sys, path.join(ROOT, 'test')).options;
    const program = ts.createProgram(all.map(e => e.file), { ...options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false });
    const errors = ts.getPreEmitDiagnostics(program)
      .filter(d => d.file && all.some(e => path.resolve(e.file) === path.resolve(d.file!.fileName)))
      .map(d => {
        const example = all.find(e => path.resolve(e.file) === path.resolve(d.file!.fileName))!;
        return `${example.document}:${example.line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    expect(errors).toEqual([]);
  });
});
