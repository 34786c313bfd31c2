import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { TemplateWorld } from './template-world';
import { InstanceConnectAccess } from '../../lib';
import { fleetInstances, testStack, testVpc } from '../util';

/** IAM quotas: characters per managed policy (white space excluded), managed policies per role. */
const MAX_POLICY_LENGTH = 6144;
const MAX_POLICIES_PER_ROLE = 10;

function fleet(size: number) {
  // Three tiers, so references only point one way: network <- fleet <- access.
  const network = testStack('Network');
  const app = network.node.root as App;
  const vpc = testVpc(network);
  const instances: ec2.Instance[] = [];
  fleetInstances(app, vpc, size, instance => instances.push(instance));
  const env = { account: network.account, region: network.region };
  const stack = new Stack(app, 'Test', { env });
  const access = new InstanceConnectAccess(stack, 'Access', { vpc });
  const operator = access.addOperatorRole('Operator', { instances, osUsers: ['ec2-user'], sourceIpRanges: ['203.0.113.0/24'] });
  const world = new TemplateWorld(stack);
  // The deployed length: resolved with concrete IDs and addresses, white space excluded (JSON.stringify adds none).
  const lengths = world.policiesOf(operator).map(p => JSON.stringify(p.policy).length);
  return { stack, operator, lengths };
}

describe('operator policies stay within IAM quotas as the fleet grows', () => {
  test.each([1, 10, 100, 1000])('%i instances', (size) => {
    const { lengths } = fleet(size);

    expect(lengths.length).toBeGreaterThanOrEqual(1);
    expect(lengths.length).toBeLessThanOrEqual(MAX_POLICIES_PER_ROLE);
    for (const length of lengths) {
      expect(length).toBeLessThanOrEqual(MAX_POLICY_LENGTH);
    }
    // Recorded for the closing note and the benchmark.
    process.stdout.write(`policy size at ${size} instances: ${lengths.length} managed policies, ${lengths.join(' + ')} characters\n`);
  });

  test('100 instances are named one by one, split across policies', () => {
    const { lengths, stack } = fleet(100);

    expect(lengths.length).toBeGreaterThan(1);
    Annotations.fromStack(stack).hasNoInfo('*', Match.stringLikeRegexp('named by the tag'));
  });

  test('past 100 instances the grant switches to a tag and subnet CIDRs, and says so', () => {
    const { lengths, stack } = fleet(101);

    expect(lengths.length).toBe(1);
    Annotations.fromStack(stack).hasInfo('/Test/Access/Operator', Match.stringLikeRegexp(
      '101 instances \\(more than 100\\) are named by the tag instance-connect-access:grant:.*=true and their subnets\' CIDRs'));
  });
});
