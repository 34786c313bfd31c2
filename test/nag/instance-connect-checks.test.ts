import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IApplyRule, NagMessageLevel } from 'cdk-nag';
import { nagStack, violations } from './utils';
import { InstanceConnectAccess, InstanceConnectChecks } from '../../lib';
import { STRICT_VALIDATION, testInstance, testVpc } from '../util';

describe('InstanceConnectChecks', () => {
  test('the pack: its name and every rule with its level', () => {
    const applied: Array<[string, NagMessageLevel]> = [];
    class Recording extends InstanceConnectChecks {
      protected applyRule(params: IApplyRule): void {
        applied.push([params.ruleSuffixOverride!, params.level]);
      }
    }
    const stack = nagStack();
    new ec2.CfnVPC(stack, 'Vpc', { cidrBlock: '10.0.0.0/16' });
    const pack = new Recording();
    pack.validateScope(stack);

    expect(pack.readPackName).toEqual('InstanceConnect');
    expect(pack.name).toEqual('InstanceConnect');
    expect(applied).toEqual([
      ['EIC1', NagMessageLevel.ERROR], ['EIC2', NagMessageLevel.WARN], ['EIC9', NagMessageLevel.ERROR],
      ['EIC3', NagMessageLevel.ERROR], ['EIC4', NagMessageLevel.ERROR], ['EIC5', NagMessageLevel.WARN],
      ['EIC6', NagMessageLevel.ERROR], ['EIC7', NagMessageLevel.ERROR], ['EIC8', NagMessageLevel.ERROR],
      ['EIC14', NagMessageLevel.WARN], ['EIC10', NagMessageLevel.WARN], ['EIC11', NagMessageLevel.WARN], ['EIC12', NagMessageLevel.WARN],
      ['EIC13', NagMessageLevel.ERROR],
    ]);
  });

  test('as a validation plugin, an app that opens SSH to the world, grants OpenTunnel on * and mixes planes fails cdk synth', () => {
    const app = new App({ context: STRICT_VALIDATION });
    const stack = new Stack(app, 'Bad', { env: { account: '111122223333', region: 'us-east-1' } });
    new ec2.CfnSecurityGroup(stack, 'Sg', { groupDescription: 'ssh', securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '0.0.0.0/0' }] });
    new iam.CfnManagedPolicy(stack, 'Ops', {
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['ec2-instance-connect:OpenTunnel', 'ec2:CreateInstanceConnectEndpoint'], Resource: '*' }],
      },
    });
    Validations.of(app).addPlugins(new InstanceConnectChecks(app));

    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = String(e);
    }
    for (const id of ['InstanceConnect-EIC9', 'InstanceConnect-EIC3', 'InstanceConnect-EIC4', 'InstanceConnect-EIC8']) {
      expect(message).toContain(id);
    }
  });

  test('as a validation plugin, the library\'s secure output synthesizes', () => {
    const app = new App({ context: STRICT_VALIDATION });
    const stack = new Stack(app, 'Good', { env: { account: '111122223333', region: 'us-east-1' } });
    const vpc = testVpc(stack);
    const web = testInstance(stack, vpc);
    const access = new InstanceConnectAccess(stack, 'Access', { vpc });
    access.allowConnectionsTo(web);
    access.addOperatorRole('OnCall', { instances: [web], osUsers: ['ec2-user'], sourceIpRanges: ['203.0.113.0/24'] });
    Validations.of(app).addPlugins(new InstanceConnectChecks(app));

    expect(() => app.synth()).not.toThrow();
  });

  test('an acknowledgement with its reason silences a finding, for validateScope and the plugin alike', () => {
    const app = new App({ context: STRICT_VALIDATION });
    const stack = new Stack(app, 'Roaming', { env: { account: '111122223333', region: 'us-east-1' } });
    const vpc = testVpc(stack);
    const access = new InstanceConnectAccess(stack, 'Access', { vpc });
    const role = access.addOperatorRole('Roaming', { instances: [testInstance(stack, vpc)], osUsers: ['ec2-user'] });
    expect(violations(stack, 'EIC10')).toHaveLength(1);

    Validations.of(role).acknowledge({ id: 'InstanceConnect-EIC10', reason: 'on-call engineers connect from anywhere, with MFA' });

    expect(violations(stack, 'EIC10')).toEqual([]);
    Validations.of(app).addPlugins(new InstanceConnectChecks(app));
    expect(() => app.synth()).not.toThrow();
  });
});
