/**
 * Attacks on the network path: which ports each target admits from the endpoint, evaluated over the synthesized
 * security groups (egress of the endpoint's groups, ingress of the target's), as EC2 evaluates them.
 */
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { answer, buildWorld, policiesByRole, requests } from './world';
import { InstanceConnectAccess } from '../../lib';
import { testInstance, testStack, testVpc } from '../util';

/**
 * The TCP ports on which the endpoint can open a connection to `instance`: an egress rule of one of the endpoint's
 * groups towards one of the instance's groups, and an ingress rule of one of the instance's groups from one of the
 * endpoint's, both covering the port. (Security groups are stateful: replies need nothing.)
 */
export function reachablePorts(template: any, endpointLogicalId: string, instanceLogicalId: string, ports = [22, 3389, 80, 443, 8080]): number[] {
  const resources = template.Resources as Record<string, any>;
  const groupOf = (value: any) => value?.['Fn::GetAtt']?.[0] ?? value?.Ref;
  const endpointGroups: string[] = resources[endpointLogicalId].Properties.SecurityGroupIds.map(groupOf);
  const instanceGroups: string[] = resources[instanceLogicalId].Properties.SecurityGroupIds.map(groupOf);
  const covers = (rule: any, port: number) => (rule.IpProtocol === '-1') ||
    (rule.IpProtocol === 'tcp' && rule.FromPort <= port && port <= rule.ToPort);
  const standalone = (type: string) => Object.values(resources).filter((res: any) => res.Type === type).map((res: any) => res.Properties);
  const egress = [
    ...standalone('AWS::EC2::SecurityGroupEgress'),
    ...endpointGroups.flatMap(g => (resources[g].Properties.SecurityGroupEgress ?? []).map((e: any) => ({ ...e, GroupId: { 'Fn::GetAtt': [g, 'GroupId'] } }))),
  ].filter(e => endpointGroups.includes(groupOf(e.GroupId)));
  const ingress = [
    ...standalone('AWS::EC2::SecurityGroupIngress'),
    ...instanceGroups.flatMap(g => (resources[g].Properties.SecurityGroupIngress ?? []).map((i: any) => ({ ...i, GroupId: { 'Fn::GetAtt': [g, 'GroupId'] } }))),
  ].filter(i => instanceGroups.includes(groupOf(i.GroupId)));
  return ports.filter(port =>
    egress.some(e => covers(e, port) && (instanceGroups.includes(groupOf(e.DestinationSecurityGroupId)) || e.CidrIp === '0.0.0.0/0')) &&
    ingress.some(i => covers(i, port) && endpointGroups.includes(groupOf(i.SourceSecurityGroupId))));
}

describe('attacks on the network path', () => {
  const w = buildWorld();
  const template = Template.fromStack(w.stack).toJSON();
  const id = (c: any) => w.stack.getLogicalId(c.node.defaultChild);
  const endpoint = id(w.access.endpoint);
  const r = requests(w);
  const policies = policiesByRole(w);

  test('an SSH-only target does not admit RDP from the endpoint', () => {
    expect(reachablePorts(template, endpoint, id(w.web))).toEqual([22]);
  });

  test('an RDP-only target does not admit SSH from the endpoint', () => {
    expect(reachablePorts(template, endpoint, id(w.win))).toEqual([3389]);
  });

  test('an instance never given a path admits nothing from the endpoint', () => {
    expect(reachablePorts(template, endpoint, id(w.stray))).toEqual([]);
  });

  test('what a tag grant\'s tunnel still reaches in IAM (WebTeam to the Windows host on 22) the network refuses', () => {
    // OpenTunnel cannot see tags: IAM lets WebTeam tunnel to any address of its targets' subnet on port 22...
    expect(answer(policies, { hole: 4, role: 'WebTeam', name: '', request: r.tunnel(r.ip(w.win)), expected: 'Allowed' })).toEqual('Allowed');
    // ...and only the per-port groups keep SSH off a host that was allowed RDP only.
    expect(reachablePorts(template, endpoint, id(w.win))).not.toContain(22);
  });

  test('the rules stay one each way per port however many targets join', () => {
    const stack = testStack();
    const vpc = testVpc(stack);
    const access = new InstanceConnectAccess(stack, 'Access', { vpc });
    for (let i = 0; i < 30; i++) {
      access.allowConnectionsTo(testInstance(stack, vpc, `Ssh${i}`));
      access.allowConnectionsTo(testInstance(stack, vpc, `Rdp${i}`), ec2.Port.tcp(3389));
    }
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::EC2::SecurityGroupIngress', 2);
    t.resourceCountIs('AWS::EC2::SecurityGroupEgress', 2);
  });
});
