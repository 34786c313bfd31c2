import { cleanUpIntegApps, integAppFiles, normalizeTemplate, synthIntegApp } from './integ-apps';

/*
 * The integration apps' synthesized output, checked against committed snapshots (integ-runner cannot read the cloud
 * assemblies of this aws-cdk-lib, see docs/testing.md, "Integration tests"). CI runs jest with --ci, so a missing or changed
 * snapshot fails the build; `npx projen integ:update` records a change on purpose.
 */
afterAll(cleanUpIntegApps);

test('there are integration apps to check', () => {
  expect(integAppFiles()).toEqual(expect.arrayContaining(['integ.access.ts', 'integ.endpoint-ssh.ts']));
});

describe.each(integAppFiles())('%s', (file) => {
  test('stacks and test cases match the snapshot', () => {
    const app = synthIntegApp(file);

    expect({ stacks: app.stacks, testCases: app.testCases }).toMatchSnapshot();
  });

  test('templates match the snapshot', () => {
    const app = synthIntegApp(file);

    const templates = Object.fromEntries(Object.entries(app.templates).map(([name, t]) => [name, normalizeTemplate(t)]));
    expect(templates).toMatchSnapshot();
  });
});

describe('normalizeTemplate', () => {
  test('replaces the salt, asset hashes and version metadata, and nothing else', () => {
    const hash = 'ab'.repeat(32);
    const template = {
      Conditions: { CDKMetadataAvailable: { 'Fn::Equals': ['a', 'a'] } },
      Resources: {
        CDKMetadata: { Type: 'AWS::CDK::Metadata', Properties: { Analytics: 'v2:deflate64:…' } },
        Call: { Type: 'Custom::DeployAssert@SdkCallEC2describe', Properties: { salt: '1795357090777', api: 'describe' } },
        Handler: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Key: `${hash}.zip` }, Timeout: 120 } },
      },
    };

    expect(normalizeTemplate(template)).toEqual({
      Resources: {
        Call: { Type: 'Custom::DeployAssert@SdkCallEC2describe', Properties: { salt: '<salt>', api: 'describe' } },
        Handler: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Key: '<asset-hash>.zip' }, Timeout: 120 } },
      },
    });
  });
});
