import { App, CfnCondition, CfnOutput, Fn, Stack, Stage } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ENV, Network, scratch, tcp } from './fixtures';
import { buildAccessReport } from '../../lib/report/private/build';
import { accessReportOfTemplates, templatesUnder } from '../../lib/report/private/from-templates';

// Red-team cases for the network side: each is a template EC2 would treat differently from what the review once said.
const fromGroup = (group: ec2.CfnSecurityGroup, port = 22) => ({ ipProtocol: 'tcp', fromPort: port, toPort: port, sourceSecurityGroupId: group.attrGroupId });

describe('network side, red team', () => {
  // CFN AWS::EC2::Instance NetworkInterface.NetworkInterfaceId attaches an existing interface; its GroupSet
  // (AWS::EC2::NetworkInterface) are the groups EC2 applies to that interface's traffic.
  test('an instance whose interface is an AWS::EC2::NetworkInterface gets that interface\'s groups and subnet', () => {
    const net = new Network();
    const endpointGroup = net.group('EndpointGroup');
    net.endpoint([endpointGroup]);
    const eni = new ec2.CfnNetworkInterface(net.stack, 'Eni', {
      subnetId: net.targetSubnet.ref,
      groupSet: [net.group('EniGroup', { securityGroupIngress: [fromGroup(endpointGroup)] }).attrGroupId],
    });
    new ec2.CfnInstance(net.stack, 'WithEni', { imageId: 'ami-12345678', networkInterfaces: [{ deviceIndex: '0', networkInterfaceId: eni.ref }] });
    expect(net.paths()).toEqual([expect.objectContaining({ target: 'Net/WithEni', ports: ['22'] })]);
  });

  // CFN AWS::EC2::Instance LaunchTemplate: the instance takes what the template's data sets, its network
  // interfaces' SubnetId included; EUG eice-security-groups: endpoint egress "to the VPC IPv4 CIDR" is a documented setup.
  test('an instance whose subnet comes from its launch template is reached by an egress rule to the VPC\'s range', () => {
    const net = new Network();
    const endpointGroup = net.group('EndpointGroup', { securityGroupEgress: [tcp(22, 22, '10.0.0.0/16')] });
    net.endpoint([endpointGroup]);
    const targetGroup = net.group('TargetGroup', { securityGroupIngress: [fromGroup(endpointGroup)] });
    const template = new ec2.CfnLaunchTemplate(net.stack, 'Template', {
      launchTemplateData: { networkInterfaces: [{ deviceIndex: 0, subnetId: net.targetSubnet.ref, groups: [targetGroup.attrGroupId] }] },
    });
    new ec2.CfnInstance(net.stack, 'FromTemplate', { launchTemplate: { launchTemplateId: template.ref, version: template.attrLatestVersionNumber } });
    expect(net.paths()).toEqual([expect.objectContaining({ target: 'Net/FromTemplate', ports: ['22'] })]);
  });

  // CFN AWS::EC2::SecurityGroupIngress: a rule admits traffic from "the IP addresses that are specified by a prefix
  // list"; a customer-managed list from outside the app may hold the endpoint's subnet. docs/access-reviews.md
  // promises such a list is "named under unknown at synth".
  test('an ingress rule from a prefix list outside the app is a possible path, named as unknown at synth', () => {
    const net = new Network();
    net.endpoint([net.group('EndpointGroup')]);
    net.instance('Target', [net.group('TargetGroup', {
      securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, sourcePrefixListId: 'pl-0123456789abcdef0' }],
    })]);
    expect(net.paths()).toEqual([expect.objectContaining({
      target: 'Net/Target', ports: ['22'], unknownAtSynth: [expect.stringContaining('pl-0123456789abcdef0')],
    })]);
  });

  // aws-facts 3.1: with client IP preservation "the source IPv4 address is the address of the client"; a rule from
  // the company's managed prefix list of client ranges admits those clients.
  test('with client IP preservation, a prefix list of client ranges from outside the app admits its clients', () => {
    const net = new Network();
    net.endpoint([net.group('EndpointGroup')], true);
    net.instance('Target', [net.group('TargetGroup', {
      securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, sourcePrefixListId: 'pl-0123456789abcdef0' }],
    })]);
    expect(net.paths()).toEqual([expect.objectContaining({ target: 'Net/Target', ports: ['22'], preserveClientIp: true })]);
  });

  // CFN AWS::EC2::SecurityGroup Ingress: CidrIpv6 is "the IPv6 address range"; aws-facts 3.3: an endpoint in an
  // IPv4-only subnet is `ipv4`, so its traffic has an IPv4 source that an IPv6 range cannot hold.
  test('an ingress rule from ::/0 does not admit an IPv4-only endpoint', () => {
    const net = new Network();
    net.endpoint([net.group('EndpointGroup')]);
    net.instance('Target', [net.group('TargetGroup', {
      securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv6: '::/0' }],
    })]);
    expect(net.paths()).toEqual([]);
  });

  // aws-facts 3.2: client IP preservation is only supported on IPv4 endpoints, so the client's address is IPv4.
  test('with client IP preservation, an IPv6 range admits no client', () => {
    const net = new Network();
    net.endpoint([net.group('EndpointGroup')], true);
    net.instance('Target', [net.group('TargetGroup', {
      securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv6: '::/0' }],
    })]);
    expect(net.paths()).toEqual([]);
  });

  // CFN intrinsic Fn::If: SecurityGroupIds takes the branch the condition picks; either branch can be deployed.
  test('an instance whose groups are chosen by Fn::If is reached through either branch', () => {
    const net = new Network();
    const endpointGroup = net.group('EndpointGroup');
    net.endpoint([endpointGroup]);
    const open = new CfnCondition(net.stack, 'Open', { expression: Fn.conditionEquals(Fn.ref('AWS::Region'), 'eu-west-1') });
    const a = net.group('A', { securityGroupIngress: [fromGroup(endpointGroup)] });
    const b = net.group('B');
    new ec2.CfnInstance(net.stack, 'Chosen', {
      imageId: 'ami-12345678',
      subnetId: net.targetSubnet.ref,
      securityGroupIds: Fn.conditionIf(open.logicalId, [a.attrGroupId], [b.attrGroupId]) as unknown as string[],
    });
    expect(net.paths()).toEqual([expect.objectContaining({ target: 'Net/Chosen', ports: ['22'] })]);
  });

  // CFN AWS::AutoScaling::AutoScalingGroup LaunchTemplateOverrides.LaunchTemplateSpecification: "Provides a launch
  // template for the specified instance type", used instead of the group's LaunchTemplateSpecification.
  test('an Auto Scaling group launches from the launch template of a mixed instances override too', () => {
    const net = new Network();
    const endpointGroup = net.group('EndpointGroup');
    net.endpoint([endpointGroup]);
    const base = new ec2.CfnLaunchTemplate(net.stack, 'Base', { launchTemplateData: { securityGroupIds: [net.group('Closed').attrGroupId] } });
    const arm = new ec2.CfnLaunchTemplate(net.stack, 'Arm', {
      launchTemplateData: { securityGroupIds: [net.group('Open', { securityGroupIngress: [fromGroup(endpointGroup)] }).attrGroupId] },
    });
    new autoscaling.CfnAutoScalingGroup(net.stack, 'Fleet', {
      minSize: '1',
      maxSize: '2',
      vpcZoneIdentifier: [net.targetSubnet.ref],
      mixedInstancesPolicy: {
        launchTemplate: {
          launchTemplateSpecification: { launchTemplateId: base.ref, version: base.attrLatestVersionNumber },
          overrides: [
            { instanceType: 'm5.large' },
            { instanceType: 'm6g.large', launchTemplateSpecification: { launchTemplateId: arm.ref, version: arm.attrLatestVersionNumber } },
          ],
        },
      },
    });
    expect(net.paths()).toEqual([expect.objectContaining({ target: 'Net/Fleet', ports: ['22'] })]);
  });
});

describe('network side, red team: what must stay', () => {
  // aws-facts 3.3: an endpoint's IP address type defaults from its subnet, dual-stack when the subnet has an IPv6 range.
  test('an endpoint in a dual-stack subnet is still admitted by ::/0, from a literal range or an AWS::EC2::SubnetCidrBlock', () => {
    const net = new Network();
    new ec2.CfnSubnetCidrBlock(net.stack, 'EndpointIpv6', { subnetId: net.endpointSubnet.ref, ipv6CidrBlock: '2001:db8:0:1::/64' });
    net.endpoint([net.group('EndpointGroup')]);
    net.instance('Target', [net.group('TargetGroup', {
      securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv6: '::/0' }],
    })]);
    expect(net.paths()).toEqual([expect.objectContaining({ target: 'Net/Target', ports: ['22'], from: ['::/0'] })]);
  });

  test('an IPv4 rule still holds a dual-stack subnet\'s IPv4 range, with nothing unknown', () => {
    const net = new Network();
    net.endpointSubnet.ipv6CidrBlock = '2001:db8:0:1::/64';
    net.endpoint([net.group('EndpointGroup')]);
    net.instance('Target', [net.group('TargetGroup', { securityGroupIngress: [tcp(22, 22, '10.0.0.0/16'), tcp(80, 80, '192.168.0.0/16')] })]);
    expect(net.paths()).toEqual([expect.objectContaining({ ports: ['22'], from: ['10.0.0.0/16'], unknownAtSynth: [] })]);
  });
});

describe('network side, red team: the templates read as the tree', () => {
  const cases: Record<string, (net: Network) => void> = {
    'attached interface, Fn::If groups, launch-template subnet, mixed override': net => {
      const endpointGroup = net.group('EndpointGroup', { securityGroupEgress: [tcp(22, 22, '10.0.0.0/16')] });
      net.endpoint([endpointGroup]);
      const open = net.group('OpenGroup', { securityGroupIngress: [fromGroup(endpointGroup)] });
      const eni = new ec2.CfnNetworkInterface(net.stack, 'Eni', { subnetId: net.targetSubnet.ref, groupSet: [open.attrGroupId] });
      new ec2.CfnInstance(net.stack, 'WithEni', { imageId: 'ami-12345678', networkInterfaces: [{ deviceIndex: '0', networkInterfaceId: eni.ref }] });
      const cond = new CfnCondition(net.stack, 'Open', { expression: Fn.conditionEquals(Fn.ref('AWS::Region'), 'eu-west-1') });
      new ec2.CfnInstance(net.stack, 'Chosen', {
        imageId: 'ami-12345678',
        subnetId: net.targetSubnet.ref,
        securityGroupIds: Fn.conditionIf(cond.logicalId, [open.attrGroupId], [net.group('Shut').attrGroupId]) as unknown as string[],
      });
      const template = new ec2.CfnLaunchTemplate(net.stack, 'Template', {
        launchTemplateData: { networkInterfaces: [{ deviceIndex: 0, subnetId: net.targetSubnet.ref, groups: [open.attrGroupId] }] },
      });
      new ec2.CfnInstance(net.stack, 'FromTemplate', { launchTemplate: { launchTemplateId: template.ref, version: template.attrLatestVersionNumber } });
      new autoscaling.CfnAutoScalingGroup(net.stack, 'Fleet', {
        minSize: '1',
        maxSize: '2',
        vpcZoneIdentifier: [net.targetSubnet.ref],
        mixedInstancesPolicy: {
          launchTemplate: {
            launchTemplateSpecification: { launchTemplateId: 'lt-0123456789abcdef0', version: '1' },
            overrides: [{ instanceType: 'm6g.large', launchTemplateSpecification: { launchTemplateId: template.ref, version: '1' } }],
          },
        },
      });
    },
    'launch template by literal name, and one from outside the app': net => {
      const endpointGroup = net.group('EndpointGroup');
      net.endpoint([endpointGroup]);
      new ec2.CfnLaunchTemplate(net.stack, 'Template', {
        launchTemplateName: 'web',
        launchTemplateData: { securityGroupIds: [net.group('Open', { securityGroupIngress: [fromGroup(endpointGroup)] }).attrGroupId] },
      });
      new autoscaling.CfnAutoScalingGroup(net.stack, 'Fleet', {
        minSize: '1', maxSize: '2', vpcZoneIdentifier: [net.targetSubnet.ref], launchTemplate: { launchTemplateName: 'web', version: '1' },
      });
      new ec2.CfnInstance(net.stack, 'Outside', {
        imageId: 'ami-12345678', subnetId: net.targetSubnet.ref, launchTemplate: { launchTemplateId: 'lt-0123456789abcdef0', version: '1' },
      });
    },
    'dual-stack subnet by AWS::EC2::SubnetCidrBlock, outside prefix list': net => {
      new ec2.CfnSubnetCidrBlock(net.stack, 'EndpointIpv6', { subnetId: net.endpointSubnet.ref, ipv6CidrBlock: '2001:db8:0:1::/64' });
      net.endpoint([net.group('EndpointGroup')]);
      net.instance('Target', [net.group('TargetGroup', {
        securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv6: '::/0' },
          { ipProtocol: 'tcp', fromPort: 3389, toPort: 3389, sourcePrefixListId: 'pl-0123456789abcdef0' }],
      })]);
    },
  };
  for (const [name, build] of Object.entries(cases)) {
    test(`${name}, in a stage`, () => {
      const net = new Network(scratch(`red-${Object.keys(cases).indexOf(name)}`), 'Beta');
      build(net);
      const tree = buildAccessReport(net.app).networkPaths;
      expect(tree.length).toBeGreaterThan(0);
      expect(accessReportOfTemplates(templatesUnder(net.app.synth().directory)).networkPaths).toEqual(tree);
    });
  }
});

describe('network side, red team: launch templates the review cannot place', () => {
  // CFN AWS::AutoScaling::AutoScalingGroup LaunchTemplateSpecification: "You must specify either a LaunchTemplateId or a
  // LaunchTemplateName"; a name written as a literal names the app's template whose LaunchTemplateName it is.
  test('an Auto Scaling group naming the app\'s launch template by its literal name gets that template\'s groups', () => {
    const net = new Network();
    const endpointGroup = net.group('EndpointGroup');
    net.endpoint([endpointGroup]);
    new ec2.CfnLaunchTemplate(net.stack, 'Template', {
      launchTemplateName: 'web',
      launchTemplateData: { securityGroupIds: [net.group('Open', { securityGroupIngress: [fromGroup(endpointGroup)] }).attrGroupId] },
    });
    new autoscaling.CfnAutoScalingGroup(net.stack, 'Fleet', {
      minSize: '1', maxSize: '2', vpcZoneIdentifier: [net.targetSubnet.ref], launchTemplate: { launchTemplateName: 'web', version: '1' },
    });
    expect(net.paths()).toEqual([expect.objectContaining({ target: 'Net/Fleet', ports: ['22'] })]);
  });

  // CFN AWS::EC2::Instance SecurityGroupIds / LaunchTemplate: an instance launched from a template takes the template's
  // groups; only when neither names one does it get the VPC's default group, so a template from outside the app leaves
  // its groups unknown at synth, not the default group.
  test('an Auto Scaling group launching from a template outside the app is not said to be in the default group', () => {
    const net = new Network();
    net.endpoint(); // the VPC's default group, which admits its own members
    new autoscaling.CfnAutoScalingGroup(net.stack, 'Fleet', {
      minSize: '1', maxSize: '2', vpcZoneIdentifier: [net.targetSubnet.ref], launchTemplate: { launchTemplateId: 'lt-0123456789abcdef0', version: '1' },
    });
    const paths = net.paths();
    expect(paths.flatMap(p => p.unknownAtSynth).join(' ')).toContain('lt-0123456789abcdef0');
  });
});

describe('network side, red team: exports across environments', () => {
  // CFN Fn::ImportValue: exports are unique per account and Region, and a stack imports only from its own account and
  // Region; so two stages in two accounts may export the same name, and each import reads its own.
  test('an import reads the export of its own environment when two stages export the same name', () => {
    const app = new App({ outdir: scratch('red-exports') });
    for (const [stage, account, port] of [['Beta', '111111111111', 22], ['Prod', '222222222222', 3389]] as const) {
      const env = { account, region: 'us-east-1' };
      const access = new Stack(new Stage(app, stage), 'Access', { env });
      const vpc = new ec2.CfnVPC(access, 'Vpc', { cidrBlock: '10.0.0.0/16' });
      const subnet = new ec2.CfnSubnet(access, 'Subnet', { vpcId: vpc.ref, cidrBlock: '10.0.1.0/24' });
      const endpointGroup = new ec2.CfnSecurityGroup(access, 'EndpointGroup', { groupDescription: 'e', vpcId: vpc.ref });
      new ec2.CfnInstanceConnectEndpoint(access, 'Endpoint', { subnetId: subnet.ref, securityGroupIds: [endpointGroup.attrGroupId] });
      new CfnOutput(access, 'EndpointGroupId', { value: endpointGroup.attrGroupId, exportName: 'EndpointGroupId' });
      new CfnOutput(access, 'SubnetId', { value: subnet.ref, exportName: 'TargetSubnetId' });
      new CfnOutput(access, 'VpcId', { value: vpc.ref, exportName: 'VpcId' });
      const fleet = new Stack(app.node.findChild(stage) as Stage, 'Fleet', { env });
      const group = new ec2.CfnSecurityGroup(fleet, 'Group', {
        groupDescription: 'g',
        vpcId: Fn.importValue('VpcId'),
        securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: port, toPort: port, sourceSecurityGroupId: Fn.importValue('EndpointGroupId') }],
      });
      new ec2.CfnInstance(fleet, 'Web', { imageId: 'ami-12345678', subnetId: Fn.importValue('TargetSubnetId'), securityGroupIds: [group.attrGroupId] });
    }
    const tree = buildAccessReport(app).networkPaths;
    expect(tree.map(p => `${p.endpoint} -> ${p.target}: ${p.ports.join(',')}`)).toEqual([
      expect.stringMatching(/^BetaAccess\w*\/Endpoint -> BetaFleet\w*\/Web: 22$/),
      expect.stringMatching(/^ProdAccess\w*\/Endpoint -> ProdFleet\w*\/Web: 3389$/),
    ]);
    expect(accessReportOfTemplates(templatesUnder(app.synth().directory)).networkPaths).toEqual(tree);
  });
});

describe('network side, red team: the default VPC', () => {
  // EC2 API AuthorizeSecurityGroupIngress GroupName / UserIdGroupPair GroupName: "[Default VPC] ... For security groups
  // for a default VPC you can specify either the ID or the name"; so SourceSecurityGroupName names the peer group there.
  test('an ingress rule naming the endpoint\'s group by SourceSecurityGroupName admits the endpoint, inline or standalone', () => {
    const app = new App();
    const stack = new Stack(app, 'Default', { env: ENV });
    const endpointGroup = new ec2.CfnSecurityGroup(stack, 'EndpointGroup', { groupDescription: 'e' });
    new ec2.CfnInstanceConnectEndpoint(stack, 'Endpoint', { subnetId: 'subnet-0123456789abcdef0', securityGroupIds: [endpointGroup.attrGroupId] });
    const inline = new ec2.CfnSecurityGroup(stack, 'Inline', {
      groupDescription: 'i', securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, sourceSecurityGroupName: endpointGroup.ref }],
    });
    const standalone = new ec2.CfnSecurityGroup(stack, 'Standalone', { groupDescription: 's' });
    new ec2.CfnSecurityGroupIngress(stack, 'Rule', {
      groupId: standalone.attrGroupId, ipProtocol: 'tcp', fromPort: 3389, toPort: 3389, sourceSecurityGroupName: endpointGroup.ref,
    });
    new ec2.CfnInstance(stack, 'Web', { imageId: 'ami-12345678', subnetId: 'subnet-0123456789abcdef0', securityGroupIds: [inline.attrGroupId] });
    new ec2.CfnInstance(stack, 'Desk', { imageId: 'ami-12345678', subnetId: 'subnet-0123456789abcdef0', securityGroupIds: [standalone.attrGroupId] });
    // CFN AWS::EC2::SecurityGroupIngress GroupName: "[Default VPC] The name of the security group."
    const byName = new ec2.CfnSecurityGroup(stack, 'ByName', { groupDescription: 'n' });
    new ec2.CfnSecurityGroupIngress(stack, 'NamedRule', { groupName: byName.ref, ipProtocol: 'tcp', fromPort: 5900, toPort: 5900, sourceSecurityGroupId: endpointGroup.attrGroupId });
    new ec2.CfnInstance(stack, 'Vnc', { imageId: 'ami-12345678', subnetId: 'subnet-0123456789abcdef0', securityGroupIds: [byName.attrGroupId] });
    expect(buildAccessReport(app).networkPaths.map(p => `${p.target}: ${p.ports.join(',')}`))
      .toEqual(['Default/Desk: 3389', 'Default/Vnc: 5900', 'Default/Web: 22']);
  });
});

describe('network side, red team: how a rule is written', () => {
  // CFN AWS::EC2::SecurityGroup Ingress IpProtocol: a name or a number, -1 for all; "specifying -1 or a protocol number
  // other than tcp, udp, icmp, or icmpv6 allows traffic on all ports"; ports are integers, written as strings too.
  test('protocol 6, "TCP", -1 and ICMP, and ports written as strings, are read as EC2 reads them', () => {
    const net = new Network();
    net.endpoint([net.group('EndpointGroup')]);
    const rules = [
      { ipProtocol: 6 as unknown as string, fromPort: '22' as unknown as number, toPort: '22' as unknown as number, cidrIp: '10.0.1.0/24' },
      { ipProtocol: 'TCP', fromPort: 80, toPort: 80, cidrIp: '10.0.1.0/24' },
      { ipProtocol: 'icmp', fromPort: -1, toPort: -1, cidrIp: '10.0.0.0/16' },
      { ipProtocol: '17', fromPort: 53, toPort: 53, cidrIp: '10.0.0.0/16' },
    ];
    net.instance('Target', [net.group('TargetGroup', { securityGroupIngress: rules })]);
    net.instance('All', [net.group('AllGroup', { securityGroupIngress: [{ ipProtocol: '-1', fromPort: 22, toPort: 22, cidrIp: '10.0.1.0/24' }] })]);
    expect(net.paths().map(p => `${p.target}: ${p.ports.join(',')}`)).toEqual(['Net/All: any', 'Net/Target: 22,80']);
  });

  // EUG eice-security-groups: the endpoint's group "must allow outbound traffic destined for the target instances";
  // a group from outside the app may (a new group allows all outbound traffic), so synth cannot rule the path out.
  test('an endpoint whose group comes from outside the app reaches a target admitting that group, said unknown', () => {
    const net = new Network();
    new ec2.CfnInstanceConnectEndpoint(net.stack, 'Endpoint', { subnetId: net.endpointSubnet.ref, securityGroupIds: ['sg-0123456789abcdef0'] });
    net.instance('Target', [net.group('TargetGroup', {
      securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, sourceSecurityGroupId: 'sg-0123456789abcdef0' }],
    })]);
    expect(net.paths()).toEqual([expect.objectContaining({
      target: 'Net/Target', ports: ['22'], unknownAtSynth: [expect.stringContaining('sg-0123456789abcdef0')],
    })]);
  });
});

describe('network side, red team: attachments', () => {
  // AWS CLI ec2-instance-connect open-tunnel: "--private-ip-address … the private ip address to open a tunnel for", so
  // an interface attached by AWS::EC2::NetworkInterfaceAttachment is reachable through its own groups.
  test('an interface attached by AWS::EC2::NetworkInterfaceAttachment makes its groups the instance\'s too', () => {
    const net = new Network();
    const endpointGroup = net.group('EndpointGroup');
    net.endpoint([endpointGroup]);
    const web = net.instance('Web', [net.group('Closed')]);
    const eni = new ec2.CfnNetworkInterface(net.stack, 'Secondary', {
      subnetId: net.targetSubnet.ref, groupSet: [net.group('Open', { securityGroupIngress: [fromGroup(endpointGroup)] }).attrGroupId],
    });
    new ec2.CfnNetworkInterfaceAttachment(net.stack, 'Attach', { instanceId: web.ref, networkInterfaceId: eni.ref, deviceIndex: '1' });
    expect(net.paths()).toEqual([expect.objectContaining({ target: 'Net/Web', ports: ['22'] })]);
  });
});
