import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { InstanceConnectAccess, InstanceConnectClassicAccess } from '../../lib';
import { testInstance, testStack, testVpc } from '../util';

/** Every resource of a stack. */
function resources(stack: Stack): Record<string, any> {
  return Template.fromStack(stack).toJSON().Resources;
}

describe('InstanceConnectClassicAccess', () => {
  test('defines what InstanceConnectAccess with createEndpoint: false defined, resource for resource', () => {
    // GIVEN the same app, once with each construct
    const build = (classic: boolean) => {
      const stack = testStack();
      const vpc = testVpc(stack);
      const web = testInstance(stack, vpc, 'Web');
      const role = new iam.Role(stack, 'Existing', { assumedBy: new iam.AccountRootPrincipal() });
      // WHEN
      const access = classic
        ? new InstanceConnectClassicAccess(stack, 'Access', { vpc })
        : new InstanceConnectAccess(stack, 'Access', { vpc, createEndpoint: false });
      access.allowConnectionsFromNetwork(web, ['10.20.0.0/16']);
      access.addOperatorRole('Martha', { instances: [web], osUsers: ['ec2-user'], sourceIpRanges: ['198.51.100.0/24'], viaEndpoint: classic ? undefined : false });
      access.grantConnect(role, { instanceTags: { team: 'web' }, osUsers: ['ec2-user'], viaEndpoint: false });
      return resources(stack);
    };
    // THEN the templates are the same: the new shape changes no deployed resource
    expect(build(true)).toEqual(build(false));
  });

  test('defines no endpoint and no control-plane role', () => {
    const stack = testStack();
    const vpc = testVpc(stack);
    const web = testInstance(stack, vpc, 'Web');
    const access = new InstanceConnectClassicAccess(stack, 'Access', { vpc, auditTrail: false });
    access.addOperatorRole('Martha', { instances: [web], osUsers: ['ec2-user'] });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::InstanceConnectEndpoint', 0);
    template.resourceCountIs('AWS::CloudTrail::Trail', 0);
    const actions = JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(actions).not.toContain('ec2-instance-connect:OpenTunnel"');
    expect(actions).toContain('ec2-instance-connect:SendSSHPublicKey');
  });

  test('fails when a grant asks for the endpoint it does not have', () => {
    const stack = testStack();
    const vpc = testVpc(stack);
    const web = testInstance(stack, vpc, 'Web');
    const access = new InstanceConnectClassicAccess(stack, 'Access', { vpc });
    expect(() => access.addOperatorRole('Martha', { instances: [web], osUsers: ['ec2-user'], viaEndpoint: true }))
      .toThrow(/addOperatorRole Martha props.viaEndpoint must be false or unset: InstanceConnectClassicAccess has no endpoint, got true/);
    expect(() => access.grantConnect(new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() }), {
      instances: [web], osUsers: ['ec2-user'], remotePorts: [22],
    })).toThrow(/grantConnect options.remotePorts bounds tunnels through the endpoint, and a grant with viaEndpoint: false opens none; got \[22\]/);
  });

  test('allows the console\'s prefix list only', () => {
    const stack = testStack();
    stack.node.setContext(
      'cc-api-provider:account=111122223333:expectedMatchCount=exactly-one:propertiesToReturn.0=PrefixListId:' +
      'propertyMatch.PrefixListName=com.amazonaws.us-east-1.ec2-instance-connect:region=us-east-1:typeName=AWS$:$:EC2$:$:PrefixList',
      [{ PrefixListId: 'pl-0e4bcff02b13bef1e' }]);
    const vpc = testVpc(stack);
    const web = testInstance(stack, vpc, 'Web');
    new InstanceConnectClassicAccess(stack, 'Access', { vpc }).allowConsoleConnections(web, ec2.Port.tcp(22));
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      SourcePrefixListId: 'pl-0e4bcff02b13bef1e', FromPort: 22, ToPort: 22, IpProtocol: 'tcp',
    });
  });
});
