#!/usr/bin/env node
// Makes each language's generated README read as that language's: jsii-pacmak copies the package's README into every
// language (with the examples translated), so the Install section, the first app's entry point and the repository's
// quick start would tell Python and Go users to run npm. Then checks the Python README: no npm, and every name it
// imports from the package exists in the generated module.
// Usage: node scripts/language-readmes.cjs dist/languages
const fs = require('fs');
const path = require('path');

const out = process.argv[2];
const WHEEL = '<repository>/dist/python/cdk_instance_connect_access-0.0.0-py3-none-any.whl';

const INSTALL = {
  python: [
    '## Install', '',
    '```sh', 'pip install cdk-instance-connect-access aws-cdk-lib constructs cdk-nag', '```', '',
    'The module is `cdk_instance_connect_access`; it needs aws-cdk-lib 2.269.0 or later, constructs 10.8.1 or later and',
    'cdk-nag 3. Until the package is published, build the wheel from the repository (its README says how) and install it:',
    `\`pip install ${WHEEL}\`.`, '',
  ],
  go: [
    '## Install', '',
    '```sh', 'go get example.invalid/cdk-instance-connect-access-go/cdkinstanceconnectaccess', '```', '',
    'The module path is a placeholder until the project has a public home; the repository generates the Go code only.', '',
  ],
};

const PYTHON_APP = [
  '<!-- first-app: app.py -->',
  '```python',
  '#!/usr/bin/env python3',
  'import aws_cdk as cdk',
  'from cdk_instance_connect_access import InstanceConnectAccessReport, InstanceConnectChecks',
  'from access_stack import AccessStack',
  '',
  'app = cdk.App()',
  'AccessStack(app, "AccessStack")',
  '# cdk synth fails on any finding of the checks (docs/checks.md) and writes the access review into cdk.out',
  '# (docs/access-reviews.md).',
  'cdk.Validations.of(app).add_plugins(InstanceConnectChecks(app), InstanceConnectAccessReport())',
  'app.synth()',
  '```',
  '',
  '<!-- first-app: cdk.json -->',
  '```json',
  '{',
  '  "app": "python3 app.py",',
  '  "context": {',
  '    "@aws-cdk/core:validateAgainstDefaultRules": true',
  '  }',
  '}',
  '```',
];

/**
 * The access reviews section without the diff command, which ships in the npm package only: its `bin` is not part of
 * the other languages' packages.
 */
const ACCESS_REVIEWS = [
  '## Access reviews, and the access diff on a pull request', '',
  'The first app\'s `InstanceConnectAccessReport` writes the access review into `cdk.out` on every `cdk synth`: every',
  'principal that can use EC2 Instance Connect, with its targets, ports, OS users, sources, tunnel length, MFA and time',
  'window, and which targets admit which ports from which endpoint. The command that diffs two assemblies for a pull',
  'request ships in the npm package; the CI job, the formats and what the review cannot know are in',
  '[access reviews](docs/access-reviews.md).', '',
];

/** Replaces the `## title` section (up to the next `## `) with `lines`, or removes it when `lines` is empty. */
function replaceSection(text, title, lines) {
  const start = text.indexOf(`\n## ${title}`);
  if (start < 0) {
    throw new Error(`no "## ${title}" section`);
  }
  const next = text.indexOf('\n## ', start + 1);
  return text.slice(0, start + 1) + (lines.length ? lines.join('\n') + '\n' : '') + (next < 0 ? '' : text.slice(next + 1));
}

function rewrite(file, language) {
  let text = fs.readFileSync(file, 'utf8');
  text = replaceSection(text, 'Install', INSTALL[language]);
  text = replaceSection(text, 'Quick start (this repository)', []);
  text = replaceSection(text, 'Access reviews, and the access diff on a pull request', ACCESS_REVIEWS);
  if (language === 'python') {
    // The first app's entry point and cdk.json, in Python; the stack above them is translated by jsii-rosetta.
    text = text.replace(/<!-- first-app: bin\/app\.ts -->\n+```[^\n]*\n[\s\S]*?\n```\n+<!-- first-app: cdk\.json -->\n+```json\n[\s\S]*?\n```/, PYTHON_APP.join('\n'))
      .replace('<!-- first-app: lib/access-stack.ts -->', '<!-- first-app: access_stack.py -->');
  }
  fs.writeFileSync(file, text);
  return text;
}

const python = rewrite(path.join(out, 'python', 'README.md'), 'python');
rewrite(path.join(out, 'go', 'cdkinstanceconnectaccess', 'README.md'), 'go');

const problems = [];
if (/npm (install|i )|npx /.test(python)) {
  problems.push('the Python README still mentions npm');
}
if (!python.includes('<!-- first-app: app.py -->')) {
  problems.push('the Python README has no Python entry point for the first app');
}
const pythonModule = fs.readFileSync(path.join(out, 'python', 'src', 'cdk_instance_connect_access', '__init__.py'), 'utf8');
for (const [, names] of python.matchAll(/^from cdk_instance_connect_access import (.+)$/gm)) {
  const list = names.split(',').map(n => n.trim());
  if (new Set(list).size !== list.length) {
    problems.push(`the Python README imports a name twice: ${names}`);
  }
  for (const name of list) {
    if (!new RegExp(`^class ${name}\\b`, 'm').test(pythonModule)) {
      problems.push(`the Python README imports ${name}, which the module does not define`);
    }
  }
}
if (problems.length > 0) {
  console.error(`language-readmes: ${problems.join('; ')}`);
  process.exit(1);
}
console.log(`language-readmes: the Python and Go READMEs install with pip and go; the Python README's ${(python.match(/^from cdk_instance_connect_access import/gm) || []).length} imports exist`);
