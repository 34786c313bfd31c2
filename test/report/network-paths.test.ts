import { App, CfnCondition, CfnParameter, CfnResource, Fn, Stack, Tags } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { ENV, fleetApp, Network, scratch, tcp } from './fixtures';
import { InstanceConnectAccess } from '../../lib';
import { main } from '../../lib/report/cli';
import { buildAccessReport } from '../../lib/report/private/build';
import { accessReportOfTemplates, templatesUnder } from '../../lib/report/private/from-templates';
import { renderHtml, renderJson, renderMarkdown } from '../../lib/report/private/render';


describe('the access review\'s network side', () => {
  test('the library\'s allowConnectionsTo shows as the ports it opens, from the endpoint\'s group, named by construct', () => {
    const paths = buildAccessReport(fleetApp(undefined, { networkPorts: [22, 3389] })).networkPaths;
    expect(paths).toEqual([expect.objectContaining({
      endpoint: expect.stringMatching(/^Fleet\/AccessEndpoint/),
      target: expect.stringMatching(/^Fleet\/Web/),
      targetType: 'AWS::EC2::Instance',
      construct: 'Fleet/Web',
      ports: ['22', '3389'],
      from: [expect.stringMatching(/^security group Fleet\/AccessEndpointSecurityGroup/)],
      unknownAtSynth: [],
    })]);
  });

  test('an IAM grant with no network path shows no path: the two sides are reported apart', () => {
    const report = buildAccessReport(fleetApp(undefined, {}));
    expect(report.principals.length).toBeGreaterThan(0);
    expect(report.networkPaths).toEqual([]);
  });

  test('a hand-written group open to the VPC on every port, with the endpoint\'s implied allow-all egress, is every port', () => {
    const net = new Network();
    net.endpoint([net.group('EndpointGroup')]);
    net.instance('Wide', [net.group('WideGroup', { securityGroupIngress: [tcp(0, 65535, '10.0.0.0/16')] })]);
    expect(net.paths()).toEqual([expect.objectContaining({ target: 'Net/Wide', ports: ['any'], from: ['10.0.0.0/16'], unknownAtSynth: [] })]);
  });

  test('both rules must admit: the endpoint\'s egress bounds the target\'s ingress, port by port', () => {
    const net = new Network();
    net.endpoint([net.group('EndpointGroup', { securityGroupEgress: [tcp(20, 25, '10.0.2.0/24')] })]);
    net.instance('Target', [net.group('TargetGroup', { securityGroupIngress: [tcp(22, 3389, '10.0.1.0/24')] })]);
    expect(net.paths()).toEqual([expect.objectContaining({ ports: ['22-25'], from: ['10.0.1.0/24'] })]);
  });

  test('a range that holds neither the endpoint\'s subnet nor the target admits nothing', () => {
    const net = new Network();
    net.endpoint([net.group('EndpointGroup')]);
    net.instance('Elsewhere', [net.group('Group', { securityGroupIngress: [tcp(22, 22, '10.0.9.0/24')] })]);
    expect(net.paths()).toEqual([]);
  });

  test('a range that overlaps the endpoint\'s subnet in part is counted, and said to be unknown at synth', () => {
    const net = new Network();
    net.endpoint([net.group('EndpointGroup')]);
    net.instance('Part', [net.group('Group', { securityGroupIngress: [tcp(22, 22, '10.0.1.128/25')] })]);
    expect(net.paths()).toEqual([expect.objectContaining({ ports: ['22'], unknownAtSynth: ['whether 10.0.1.128/25 holds 10.0.1.0/24'] })]);
  });

  test('with client IP preservation the target admits the clients\' ranges, not the endpoint\'s subnet', () => {
    const net = new Network();
    net.endpoint([net.group('EndpointGroup')], true);
    net.instance('Target', [net.group('Group', { securityGroupIngress: [tcp(22, 22, '203.0.113.0/24')] })]);
    expect(net.paths()).toEqual([expect.objectContaining({ ports: ['22'], from: ['clients in 203.0.113.0/24'], preserveClientIp: true })]);
  });

  test('an endpoint and an instance with no groups share the VPC\'s default group, which admits its own members', () => {
    const net = new Network();
    net.endpoint();
    net.instance('Bare');
    expect(net.paths()).toEqual([expect.objectContaining({ ports: ['any'], from: ['security group default of Net/Vpc'] })]);
  });

  test('aws-cdk-lib\'s restrictDefaultSecurityGroup empties the default group, and the path goes', () => {
    const net = new Network();
    net.endpoint();
    net.instance('Bare');
    new CfnResource(net.stack, 'Restrict', {
      type: 'Custom::VpcRestrictDefaultSG',
      properties: { ServiceToken: 'arn:aws:lambda:us-east-1:111122223333:function:f', DefaultSecurityGroupId: net.vpc.attrDefaultSecurityGroup },
    });
    expect(net.paths()).toEqual([]);
  });

  test('an Auto Scaling group is a target through the groups of its launch template', () => {
    const net = new Network();
    const endpointGroup = net.group('EndpointGroup');
    net.endpoint([endpointGroup]);
    const fleetGroup = net.group('FleetGroup');
    new ec2.CfnSecurityGroupIngress(net.stack, 'FromEndpoint', {
      groupId: fleetGroup.attrGroupId, ipProtocol: 'tcp', fromPort: 3389, toPort: 3389, sourceSecurityGroupId: endpointGroup.attrGroupId,
    });
    const template = new ec2.CfnLaunchTemplate(net.stack, 'Template', { launchTemplateData: { imageId: 'ami-12345678', securityGroupIds: [fleetGroup.attrGroupId] } });
    new autoscaling.CfnAutoScalingGroup(net.stack, 'Fleet', {
      minSize: '0',
      maxSize: '2',
      vpcZoneIdentifier: [net.targetSubnet.ref],
      launchTemplate: { launchTemplateId: template.ref, version: template.attrLatestVersionNumber },
    });
    expect(net.paths()).toEqual([expect.objectContaining({
      target: 'Net/Fleet', targetType: 'AWS::AutoScaling::AutoScalingGroup', ports: ['3389'], from: ['security group Net/EndpointGroup'],
    })]);
  });

  test('an instance launched from a launch template gets the template\'s groups', () => {
    const net = new Network();
    net.endpoint([net.group('EndpointGroup')]);
    const group = net.group('Group', { securityGroupIngress: [tcp(22, 22, '10.0.1.0/24')] });
    const template = new ec2.CfnLaunchTemplate(net.stack, 'Template', { launchTemplateData: { imageId: 'ami-12345678', securityGroupIds: [group.attrGroupId] } });
    new ec2.CfnInstance(net.stack, 'FromTemplate', {
      subnetId: net.targetSubnet.ref,
      launchTemplate: { launchTemplateId: template.ref, version: template.attrLatestVersionNumber },
    });
    expect(net.paths()).toEqual([expect.objectContaining({ target: 'Net/FromTemplate', ports: ['22'], from: ['10.0.1.0/24'] })]);
  });

  test('a rule created under a template condition counts: the review shows what any deployment can open', () => {
    const net = new Network();
    net.endpoint([net.group('EndpointGroup')]);
    const group = net.group('Group');
    const rule = new ec2.CfnSecurityGroupIngress(net.stack, 'Maybe', { groupId: group.attrGroupId, ...tcp(22, 22, '10.0.0.0/16') });
    rule.cfnOptions.condition = new CfnCondition(net.stack, 'Open', { expression: Fn.conditionEquals(Fn.ref('AWS::Region'), 'us-east-1') });
    net.instance('Target', [group]);
    expect(net.paths()).toEqual([expect.objectContaining({ ports: ['22'] })]);
  });

  test('targets in another VPC are not listed', () => {
    const net = new Network();
    net.endpoint([net.group('EndpointGroup')]);
    const other = new ec2.CfnVPC(net.stack, 'Other', { cidrBlock: '10.1.0.0/16' });
    const subnet = new ec2.CfnSubnet(net.stack, 'OtherSubnet', { vpcId: other.ref, cidrBlock: '10.1.0.0/24' });
    const group = new ec2.CfnSecurityGroup(net.stack, 'OtherGroup', { groupDescription: 'o', vpcId: other.ref, securityGroupIngress: [tcp(22, 22, '0.0.0.0/0')] });
    net.instance('Far', [group], subnet);
    expect(net.paths()).toEqual([]);
  });

  test('an egress range that holds part of the target\'s subnet is counted, and said to be unknown at synth', () => {
    const net = new Network();
    net.endpoint([net.group('EndpointGroup', { securityGroupEgress: [tcp(22, 22, '10.0.2.0/25')] })]);
    net.instance('Target', [net.group('Group', { securityGroupIngress: [tcp(22, 22, '10.0.1.0/24')] })]);
    expect(net.paths()).toEqual([expect.objectContaining({ ports: ['22'], unknownAtSynth: ['whether 10.0.2.0/25 holds 10.0.2.0/24'] })]);
  });

  test('a target in a subnet from outside the app is placed by its group\'s VPC, its address unknown at synth', () => {
    const net = new Network();
    net.endpoint([net.group('EndpointGroup', { securityGroupEgress: [tcp(22, 22, '10.0.0.0/16')] })]);
    new ec2.CfnInstance(net.stack, 'Imported', {
      imageId: 'ami-12345678',
      subnetId: 'subnet-0123456789abcdef0',
      securityGroupIds: [net.group('Group', { securityGroupIngress: [tcp(22, 22, '10.0.1.0/24')] }).attrGroupId],
    });
    expect(net.paths()).toEqual([expect.objectContaining({
      target: 'Net/Imported', ports: ['22'], unknownAtSynth: ['whether 10.0.0.0/16 holds <subnet "subnet-0123456789abcdef0">'],
    })]);
  });

  test('a target in another stack, its groups and subnet imported from the access stack\'s exports, is found', () => {
    const app = new App({ outdir: scratch('network-stacks'), context: { [cxapi.PATH_METADATA_ENABLE_CONTEXT]: true } });
    const net = new Stack(app, 'Shared', { env: ENV });
    const vpc = new ec2.Vpc(net, 'Vpc', { natGateways: 0, maxAzs: 1 });
    const access = new InstanceConnectAccess(net, 'Access', { vpc, auditTrail: false });
    const fleet = new Stack(app, 'Apps', { env: ENV });
    const web = new ec2.Instance(fleet, 'Web', { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() });
    access.allowConnectionsTo(web, ec2.Port.tcp(3389));
    access.endpoint.grantOpenTunnel(new iam.Role(fleet, 'Desk', { assumedBy: new iam.AccountRootPrincipal() }), { remotePorts: [3389] });
    const directory = app.synth().directory;
    const tree = buildAccessReport(app);
    // The role names the endpoint through the access stack's export, and the review follows it to the construct.
    const desk = tree.principals.find(p => p.id.startsWith('Apps/Desk'))!;
    expect(desk.rows.find(r => r.action.endsWith('OpenTunnel'))!.constructs).toEqual(['Shared/Access/Endpoint']);
    expect(tree.networkPaths).toEqual([expect.objectContaining({ endpoint: expect.stringMatching(/^Shared\//), target: expect.stringMatching(/^Apps\/Web/), ports: ['3389'] })]);
    expect(renderJson(accessReportOfTemplates(templatesUnder(directory)))).toBe(renderJson(tree));
  });

  test('a range written as the VPC\'s CidrBlock is read as the VPC\'s literal range, in its stack and across stacks', () => {
    const app = new App({ outdir: scratch('network-cidr-ref') });
    const shared = new Stack(app, 'Shared', { env: ENV });
    const vpc = new ec2.Vpc(shared, 'Vpc', { natGateways: 0, maxAzs: 1, ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16') });
    const access = new InstanceConnectAccess(shared, 'Access', { vpc, auditTrail: false });
    access.endpoint.connections.allowTo(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.allTcp());
    const machine = { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() };
    new ec2.Instance(shared, 'Near', machine).connections.allowFrom(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.allTcp());
    const apps = new Stack(app, 'Apps', { env: ENV });
    new ec2.Instance(apps, 'Far', machine).connections.allowFrom(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(3389));
    const directory = app.synth().directory;
    const tree = buildAccessReport(app);
    expect(tree.networkPaths.map(p => [p.target.replace(/[0-9A-F]{8}$/, ''), p.ports, p.from, p.unknownAtSynth])).toEqual([
      ['Apps/Far', ['3389'], ['10.0.0.0/16'], []],
      ['Shared/Near', ['any'], ['10.0.0.0/16'], []],
    ]);
    expect(renderJson(accessReportOfTemplates(templatesUnder(directory)))).toBe(renderJson(tree));
  });

  test('a range synth cannot read is counted, and named under unknown at synth', () => {
    const net = new Network();
    const parameter = new CfnParameter(net.stack, 'AdminRange', { type: 'String' });
    net.endpoint([net.group('EndpointGroup')]);
    net.instance('Target', [net.group('Group', { securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: parameter.valueAsString }] })]);
    expect(net.paths()).toEqual([expect.objectContaining({ ports: ['22'], from: ['<AdminRange>'], unknownAtSynth: ['whether <AdminRange> holds 10.0.1.0/24'] })]);
  });

  test('the templates give the same network side as the construct tree, and Markdown and HTML show every path', () => {
    const app = fleetApp(scratch('network-same'), { networkPorts: [22, 3389] });
    const tree = buildAccessReport(app);
    const fromTemplates = accessReportOfTemplates(templatesUnder(app.synth().directory));
    expect(fromTemplates.networkPaths).toEqual(tree.networkPaths);
    const markdown = renderMarkdown(tree);
    const html = renderHtml(tree).split('<h2>Network paths</h2>')[1];
    for (const p of tree.networkPaths) {
      expect(markdown).toContain(`| ${p.endpoint} (${p.endpointConstruct}) | ${p.target} (${p.targetType}) | ${p.construct} | ${p.ports.join(', ')} |`);
      expect(html).toContain(`<li>ports: ${p.ports.join(', ')}</li>`);
      const breakable = (t: string) => t.replace(/([:/,|=])/g, '$1<wbr>');
      expect(html).toContain(`<tr><th scope="row">${breakable(`${p.target} (${p.targetType}, ${p.construct})`)}</th><td><ul><li>ports: ${p.ports.join(', ')}</li>`);
    }
  });
});

describe('the access diff\'s network side', () => {
  const run = (argv: string[]) => {
    let out = '';
    const code = main(argv, t => { out += t; });
    return { code, out };
  };
  const base = fleetApp(scratch('net-base'), { networkPorts: [22] }).synth().directory;

  test('a port the endpoint may newly reach is a gain, and exits 1', () => {
    const { code, out } = run(['diff', base, fleetApp(scratch('net-wider'), { networkPorts: [22, 3389] }).synth().directory]);
    expect(code).toBe(1);
    expect(out).toMatch(/## Access gained[\s\S]*Fleet\/AccessEndpoint\S* \| network path \| Fleet\/Web\S* \| ports: \+ 3389/);
  });

  test('a path removed is a loss, and exits 0', () => {
    const { code, out } = run(['diff', base, fleetApp(scratch('net-none'), {}).synth().directory]);
    expect(code).toBe(0);
    expect(out).toMatch(/## Access lost[\s\S]*\| network path \| Fleet\/Web\S* \| path removed: ports 22/);
  });
});

describe('targets resolved to constructs', () => {
  test('a tag-scoped grant lists the instances and Auto Scaling groups whose tags it admits, from the tree and the templates', () => {
    const app = new App({ outdir: scratch('tagged'), context: { [cxapi.PATH_METADATA_ENABLE_CONTEXT]: true } });
    const stack = new Stack(app, 'Tagged', { env: ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1 });
    const machine = { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() };
    Tags.of(new ec2.Instance(stack, 'Web', machine)).add('Team', 'web');
    Tags.of(new ec2.Instance(stack, 'Db', machine)).add('Team', 'db');
    new ec2.Instance(stack, 'Untagged', machine);
    const template = new ec2.LaunchTemplate(stack, 'Template', { ...machine });
    Tags.of(new autoscaling.AutoScalingGroup(stack, 'Workers', { vpc, launchTemplate: template })).add('Team', 'web');
    const role = new iam.Role(stack, 'WebTeam', { assumedBy: new iam.AccountRootPrincipal() });
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['ec2-instance-connect:SendSSHPublicKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:ResourceTag/Team': 'web', 'ec2:osuser': 'ec2-user' } },
    }));
    const directory = app.synth().directory;
    const tree = buildAccessReport(app);
    const row = tree.principals.find(p => p.id.startsWith('Tagged/WebTeam'))!.rows[0];
    expect(row.target).toBe('instances tagged Team=web');
    expect(row.constructs).toEqual(['Tagged/Web', 'Tagged/Workers/ASG']);
    expect(renderJson(accessReportOfTemplates(templatesUnder(directory)))).toBe(renderJson(tree));
  });

  test('an instance takes the instance tags of its launch template, named by ID or by its literal name', () => {
    const app = new App();
    const stack = new Stack(app, 'Lt', { env: ENV });
    const template = new ec2.CfnLaunchTemplate(stack, 'Template', {
      launchTemplateName: 'web-template',
      launchTemplateData: { tagSpecifications: [{ resourceType: 'instance', tags: [{ key: 'Team', value: 'web' }] }] },
    });
    new ec2.CfnInstance(stack, 'ById', { launchTemplate: { launchTemplateId: template.ref, version: '1' } });
    new ec2.CfnInstance(stack, 'ByName', { launchTemplate: { launchTemplateName: 'web-template', version: '1' } });
    new ec2.CfnInstance(stack, 'Other', { launchTemplate: { launchTemplateName: 'other-template', version: '1' } });
    new iam.CfnRole(stack, 'Role', {
      assumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' }] },
      policies: [{
        policyName: 'p',
        policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2-instance-connect:SendSSHPublicKey', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/Team': 'web' } } }] },
      }],
    });
    expect(buildAccessReport(app).principals[0].rows[0].constructs).toEqual(['Lt/ById', 'Lt/ByName']);
  });

  test('a fleet reached by a tag is listed in full in the JSON, and the pages show ten and count the rest', () => {
    const app = new App();
    const stack = new Stack(app, 'Many', { env: ENV });
    for (let i = 0; i < 12; i++) {
      new ec2.CfnInstance(stack, `I${i}`, { imageId: 'ami-12345678', tags: [{ key: 'Team', value: 'web' }] });
    }
    new iam.CfnRole(stack, 'Role', {
      assumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' }] },
      policies: [{
        policyName: 'p',
        policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2-instance-connect:SendSSHPublicKey', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/Team': 'web' } } }] },
      }],
    });
    const report = buildAccessReport(app);
    expect(report.principals[0].rows[0].constructs).toHaveLength(12);
    expect(renderHtml(report)).toContain('<li>constructs: Many/I0, Many/I1, Many/I10, Many/I11, Many/I2, Many/I3, Many/I4, Many/I5, Many/I6, Many/I7, and 2 more (all in the JSON)</li>');
    expect(renderMarkdown(report)).toContain('Many/I7, and 2 more (all in the JSON) |');
  });

  test('a tunnel grant bounded by private address ranges lists the app\'s subnets inside them', () => {
    const net = new Network();
    const endpoint = net.endpoint([net.group('EndpointGroup')]);
    new ec2.CfnSubnet(net.stack, 'Wider', { vpcId: net.vpc.ref, cidrBlock: '10.0.0.0/20' });
    new iam.CfnRole(net.stack, 'Tunnels', {
      assumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' }] },
      policies: [{
        policyName: 'tunnels',
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{
            Effect: 'Allow',
            Action: 'ec2-instance-connect:OpenTunnel',
            Resource: `arn:aws:ec2:us-east-1:111122223333:instance-connect-endpoint/${endpoint.ref}`,
            Condition: { IpAddress: { 'ec2-instance-connect:privateIpAddress': ['10.0.1.0/24', '10.0.2.0/24'] }, NumericEquals: { 'ec2-instance-connect:remotePort': 22 } },
          }],
        },
      }],
    });
    const row = buildAccessReport(net.app).principals.find(p => p.id.startsWith('Net/Tunnels'))!.rows[0];
    expect(row.privateAddresses).toEqual(['10.0.1.0/24', '10.0.2.0/24']);
    // Both subnets and the endpoint its ARN names; not the /20 that only overlaps them.
    expect(row.constructs).toEqual(['Net/Endpoint', 'Net/EndpointSubnet', 'Net/TargetSubnet']);
  });
});
