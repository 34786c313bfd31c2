/**
 * 6. Two fleet grants over the same instances: each names them by a tag of its own, so neither overwrites the other
 * and neither holder can use the other's.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { InstanceConnectAccess } from '../../lib';
import { evaluate } from '../iam/simulate';
import { ACCOUNT, REGION, TemplateWorld } from '../iam/template-world';
import { fleetInstances, testStack, testVpc } from '../util';

describe('6. two fleet grants over the same 101 instances', () => {
  const network = testStack('Network');
  const app = network.node.root as App;
  const vpc = testVpc(network);
  const instances: ec2.Instance[] = [];
  const [fleetStack] = fleetInstances(app, vpc, 101, instance => instances.push(instance));
  const stack = new Stack(app, 'Test', { env: { account: ACCOUNT, region: REGION } });
  const access = new InstanceConnectAccess(stack, 'Access', { vpc });
  const oncall = access.addOperatorRole('OnCall', { instances, osUsers: ['ec2-user'] });
  const audit = access.addOperatorRole('Audit', { instances, osUsers: ['auditor'] });
  const world = new TemplateWorld(stack);

  // The tags the first instance is launched with, as its resource tags in the key push's request context.
  const fleet = Template.fromStack(fleetStack).toJSON();
  const first = fleet.Resources[fleetStack.getLogicalId(instances[0].node.defaultChild as ec2.CfnInstance)];
  const grantTags = (first.Properties.Tags as Array<{ Key: string; Value: string }>).filter(t => t.Key.startsWith('instance-connect-access:grant:'));
  const resourceTags = Object.fromEntries(grantTags.map(t => [`aws:ResourceTag/${t.Key}`, t.Value]));
  const instanceArn = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${world.resolve(fleetStack.resolve(instances[0].instanceId))}`;
  const pushKey = (osUser: string, tags: Record<string, string>) => ({
    action: 'ec2-instance-connect:SendSSHPublicKey', resource: instanceArn, context: { 'ec2:osuser': osUser, ...tags },
  });

  test('every instance carries one tag per grant', () => {
    expect(grantTags).toHaveLength(2);
    expect(new Set(grantTags.map(t => t.Key)).size).toBe(2);
  });

  test('both holders keep their key pushes (the second grant did not overwrite the first)', () => {
    expect(evaluate(world.policiesOf(oncall), pushKey('ec2-user', resourceTags))).toBe('Allowed');
    expect(evaluate(world.policiesOf(audit), pushKey('auditor', resourceTags))).toBe('Allowed');
  });

  test('a holder cannot push keys through the other grant\'s tag alone', () => {
    for (const [role, osUser] of [[oncall, 'ec2-user'], [audit, 'auditor']] as const) {
      const own = world.policiesOf(role);
      const ownKey = JSON.stringify(own).match(/instance-connect-access:grant:[A-Za-z0-9]+/)![0];
      const others = Object.fromEntries(Object.entries(resourceTags).filter(([k]) => !k.endsWith(ownKey)));
      expect(evaluate(own, pushKey(osUser, others))).toBe('ImplicitlyDenied');
    }
  });

  test('a holder cannot re-tag an instance with the other grant\'s key in any letter case to widen its own access', () => {
    const tagging = { name: 'tagging', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:CreateTags', Resource: '*' }] } };
    const ownKey = JSON.stringify(world.policiesOf(oncall)).match(/instance-connect-access:grant:[A-Za-z0-9]+/)![0];
    expect(evaluate([...world.policiesOf(oncall), tagging], { action: 'ec2:CreateTags', resource: instanceArn, context: { 'aws:TagKeys': [ownKey.toUpperCase()] } }))
      .toBe('ExplicitlyDenied');
  });
});
