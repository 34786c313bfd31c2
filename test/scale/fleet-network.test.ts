import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { InstanceConnectAccess } from '../../lib';
import { fleetInstances, testStack, testVpc } from '../util';

/** AWS quotas: resources per stack; inbound (and, separately, outbound) rules per security group. */
const MAX_RESOURCES_PER_STACK = 500;
const MAX_RULES_PER_SECURITY_GROUP = 60;

/** Auto Scaling groups per fleet stack (each is five resources). */
const ASGS_PER_STACK = 50;

/**
 * `targets` targets, nine in ten instances and one in ten Auto Scaling groups, in fleet stacks that depend on a
 * network stack and the access stack: network <- access <- fleet.
 */
function fleet(targets: number) {
  const network = testStack('Network');
  const app = network.node.root as App;
  const env = { account: network.account, region: network.region };
  const vpc = testVpc(network);
  const accessStack = new Stack(app, 'AccessStack', { env });
  const access = new InstanceConnectAccess(accessStack, 'Access', { vpc });
  const asgs = Math.floor(targets / 10);
  const instances = targets - asgs;
  const machineImage = ec2.MachineImage.latestAmazonLinux2023();
  const instanceType = ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO);

  const fleetStacks = fleetInstances(app, vpc, instances, instance => access.allowConnectionsTo(instance));
  for (let first = 0; first < asgs; first += ASGS_PER_STACK) {
    const stack = new Stack(app, `Asgs${first}`, { env });
    fleetStacks.push(stack);
    for (let i = first; i < Math.min(asgs, first + ASGS_PER_STACK); i++) {
      access.allowConnectionsTo(new autoscaling.AutoScalingGroup(stack, `Asg${i}`, { vpc, instanceType, machineImage }));
    }
  }
  // Auto Scaling groups' instances are not known at synth time: they get access by tag.
  access.addOperatorRole('Operators', { instanceTags: { 'instance-connect': 'allowed' }, osUsers: ['ec2-user'] });
  return { access, accessStack, fleetStacks };
}

/** Rules of one security group, inline and as separate resources, per direction. */
function ruleCounts(stacks: Stack[], groupId: unknown) {
  let ingress = 0;
  let egress = 0;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const stack of stacks) {
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, any>;
    for (const [logicalId, r] of Object.entries(resources)) {
      if (r.Type === 'AWS::EC2::SecurityGroupIngress' && same(r.Properties.GroupId, groupId)) ingress++;
      if (r.Type === 'AWS::EC2::SecurityGroupEgress' && same(r.Properties.GroupId, groupId)) egress++;
      if (r.Type === 'AWS::EC2::SecurityGroup' && same({ 'Fn::GetAtt': [logicalId, 'GroupId'] }, groupId)) {
        ingress += (r.Properties.SecurityGroupIngress ?? []).length;
        egress += (r.Properties.SecurityGroupEgress ?? []).filter((e: any) => e.CidrIp !== '255.255.255.255/32').length;
      }
    }
  }
  return { ingress, egress };
}

describe('the network path stays constant as the fleet grows', () => {
  test.each([10, 100, 1000])('%i targets', (targets) => {
    const { access, accessStack, fleetStacks } = fleet(targets);

    const accessResources = Object.keys(Template.fromStack(accessStack).toJSON().Resources).length;
    const endpointSg = accessStack.resolve(access.endpoint.connections.securityGroups[0].securityGroupId);
    const targetsSg = accessStack.resolve((access.node.findChild('TargetsSecurityGroup') as ec2.SecurityGroup).securityGroupId);
    const stacks = [accessStack, ...fleetStacks];
    const endpointRules = ruleCounts(stacks, endpointSg);
    const targetsRules = ruleCounts(stacks, targetsSg);

    // One rule each way, whatever the number of targets.
    expect(endpointRules).toEqual({ ingress: 0, egress: 1 });
    expect(targetsRules).toEqual({ ingress: 1, egress: 0 });
    expect(endpointRules.egress).toBeLessThanOrEqual(MAX_RULES_PER_SECURITY_GROUP);
    expect(accessResources).toBeLessThanOrEqual(MAX_RESOURCES_PER_STACK);
    for (const stack of fleetStacks) {
      expect(Object.keys(Template.fromStack(stack).toJSON().Resources).length).toBeLessThanOrEqual(MAX_RESOURCES_PER_STACK);
    }
    process.stdout.write(`${targets} targets: access stack ${accessResources} resources; endpoint group ${endpointRules.egress} egress rule(s), ` +
      `targets group ${targetsRules.ingress} ingress rule(s)\n`);
  });
});
