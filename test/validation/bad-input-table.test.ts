import { CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  ConnectOptions,
  InstanceConnectAccess,
  InstanceConnectAuditTrail,
  InstanceConnectEndpoint,
  OpenTunnelOptions,
} from '../../lib';
import { testInstance, testStack, testVpc } from '../util';

/** A fresh app for each input: a VPC with public, private and isolated subnets, and one instance. */
function world() {
  const stack = testStack();
  const vpc = testVpc(stack);
  const web = testInstance(stack, vpc, 'Web');
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
  return { stack, vpc, web, role };
}
type World = ReturnType<typeof world>;

/** One bad input and its valid neighbour: the same call with the one value corrected. */
interface Row {
  readonly input: string;
  readonly bad: (w: World) => unknown;
  readonly good: (w: World) => unknown;
  /** The error message fragment: it names the property and the value received. */
  readonly error?: string;
  /** Or the warning message fragment. */
  readonly warning?: string;
}

const endpoint = (w: World, props: Partial<ConstructorParameters<typeof InstanceConnectEndpoint>[2]> = {}) =>
  new InstanceConnectEndpoint(w.stack, 'Endpoint', { vpc: w.vpc, ...props });
const tunnel = (options: OpenTunnelOptions) => (w: World) => endpoint(w).grantOpenTunnel(w.role, options);
const access = (w: World) => new InstanceConnectAccess(w.stack, 'Access', { vpc: w.vpc });
const connect = (options: Partial<ConnectOptions>) => (w: World) =>
  access(w).grantConnect(w.role, { osUsers: ['ec2-user'], instances: [w.web], ...options } as ConnectOptions);
const isolatedOnly = (w: World) => new ec2.Vpc(w.stack, 'IsolatedOnly', {
  maxAzs: 1, subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
});
const groups = (w: World, n: number) => Array.from({ length: n }, (_, i) => ec2.SecurityGroup.fromSecurityGroupId(w.stack, `Sg${i}`, `sg-${i}`));

const ROWS: Row[] = [
  // InstanceConnectEndpoint
  {
    input: 'securityGroups: []',
    bad: w => endpoint(w, { securityGroups: [] }),
    good: w => endpoint(w, { securityGroups: groups(w, 1) }),
    error: 'Test/Endpoint: securityGroups must have 1 to 16 security groups, got 0',
  },
  {
    input: 'securityGroups: 17 groups',
    bad: w => endpoint(w, { securityGroups: groups(w, 17) }),
    good: w => endpoint(w, { securityGroups: groups(w, 16) }),
    error: 'securityGroups must have 1 to 16 security groups, got 17',
  },
  {
    input: 'vpcSubnets in no availability zone of the VPC',
    bad: w => endpoint(w, { vpcSubnets: { availabilityZones: ['us-east-1z'] } }),
    good: w => endpoint(w, { vpcSubnets: { availabilityZones: [w.vpc.availabilityZones[0]] } }),
    error: 'Test/Endpoint: vpcSubnets selected no subnet of vpc Test/Vpc, got {"availabilityZones":["us-east-1z"]}',
  },
  {
    input: 'vpcSubnets of a type the VPC lacks',
    bad: w => new InstanceConnectEndpoint(w.stack, 'Endpoint', { vpc: isolatedOnly(w), vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }),
    good: w => new InstanceConnectEndpoint(w.stack, 'Endpoint', { vpc: isolatedOnly(w), vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }),
    error: 'vpcSubnets selects subnet type Public, but vpc Test/IsolatedOnly has no subnet of that type',
  },
  {
    input: 'vpcSubnets: a public subnet',
    bad: w => endpoint(w, { vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }),
    good: w => endpoint(w, { vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }),
    warning: 'the endpoint is placed in public subnet Test/Vpc/PublicSubnet1',
  },
  {
    input: 'a second endpoint in the same VPC',
    bad: w => { endpoint(w); new InstanceConnectEndpoint(w.stack, 'Second', { vpc: w.vpc }); },
    good: w => { endpoint(w); new InstanceConnectEndpoint(w.stack, 'Second', { vpc: testVpc(w.stack, 'Other') }); },
    error: 'Test/Second: vpc Test/Vpc already has an EC2 Instance Connect Endpoint (Test/Endpoint)',
  },

  // InstanceConnectEndpoint.grantOpenTunnel
  { input: 'remotePorts: []', bad: tunnel({ remotePorts: [] }), good: tunnel({ remotePorts: [22] }), error: 'grantOpenTunnel options.remotePorts must not be empty, got []' },
  { input: 'remotePorts: [0]', bad: tunnel({ remotePorts: [0] }), good: tunnel({ remotePorts: [1] }), error: 'remotePorts[0] must be an integer from 1 to 65535, got 0' },
  { input: 'remotePorts: [65536]', bad: tunnel({ remotePorts: [65536] }), good: tunnel({ remotePorts: [65535] }), error: 'remotePorts[0] must be an integer from 1 to 65535, got 65536' },
  { input: 'remotePorts: [-22]', bad: tunnel({ remotePorts: [-22] }), good: tunnel({ remotePorts: [22] }), error: 'remotePorts[0] must be an integer from 1 to 65535, got -22' },
  { input: 'remotePorts: [22.5]', bad: tunnel({ remotePorts: [22, 22.5] }), good: tunnel({ remotePorts: [22, 23] }), error: 'remotePorts[1] must be an integer from 1 to 65535, got 22.5' },
  {
    input: 'remotePorts: [8080] (not tunnelled)',
    bad: tunnel({ remotePorts: [8080] }),
    good: tunnel({ remotePorts: [3389] }),
    warning: 'grantOpenTunnel options.remotePorts[0] is 8080: EC2 Instance Connect Endpoint tunnels only ports 22 and 3389',
  },
  {
    input: 'privateIpAddresses: prefix /33',
    bad: tunnel({ privateIpAddresses: ['10.0.0.0/33'] }),
    good: tunnel({ privateIpAddresses: ['10.0.0.0/32'] }),
    error: 'grantOpenTunnel options.privateIpAddresses[0] must be an IPv4 or IPv6 address or CIDR, got "10.0.0.0/33"',
  },
  {
    input: 'privateIpAddresses: octet 256',
    bad: tunnel({ privateIpAddresses: ['10.0.0.256'] }),
    good: tunnel({ privateIpAddresses: ['10.0.0.255'] }),
    error: 'privateIpAddresses[0] must be an IPv4 or IPv6 address or CIDR, got "10.0.0.256"',
  },
  {
    input: 'privateIpAddresses: two prefixes',
    bad: tunnel({ privateIpAddresses: ['10.0.0.0/8/1'] }),
    good: tunnel({ privateIpAddresses: ['10.0.0.0/8'] }),
    error: 'got "10.0.0.0/8/1"',
  },
  {
    input: 'privateIpAddresses: IPv6 prefix /129',
    bad: tunnel({ privateIpAddresses: ['2001:db8::/129'] }),
    good: tunnel({ privateIpAddresses: ['2001:db8::/128'] }),
    error: 'got "2001:db8::/129"',
  },
  {
    input: 'privateIpAddresses: malformed IPv6',
    bad: tunnel({ privateIpAddresses: ['2001:db8:::1'] }),
    good: tunnel({ privateIpAddresses: ['2001:db8::1'] }),
    error: 'got "2001:db8:::1"',
  },
  {
    input: 'privateIpAddresses: empty string',
    bad: tunnel({ privateIpAddresses: [''] }),
    good: tunnel({ privateIpAddresses: ['10.0.0.1'] }),
    error: 'privateIpAddresses[0] must be an IPv4 or IPv6 address or CIDR, got ""',
  },
  {
    input: 'privateIpAddresses: prefix with a leading zero',
    bad: tunnel({ privateIpAddresses: ['10.0.0.0/08'] }),
    good: tunnel({ privateIpAddresses: ['10.0.0.0/8'] }),
    error: 'got "10.0.0.0/08"',
  },
  {
    input: 'sourceIpRanges: a word',
    bad: tunnel({ sourceIpRanges: ['203.0.113.0/24', 'office'] }),
    good: tunnel({ sourceIpRanges: ['203.0.113.0/24', '198.51.100.0/24'] }),
    error: 'grantOpenTunnel options.sourceIpRanges[1] must be an IPv4 or IPv6 address or CIDR, got "office"',
  },
  {
    input: 'sourceIpRanges: 0.0.0.0/0',
    bad: tunnel({ sourceIpRanges: ['0.0.0.0/0'] }),
    good: tunnel({ sourceIpRanges: ['203.0.113.0/24'] }),
    warning: 'grantOpenTunnel options.sourceIpRanges admits the internet, not a network (0.0.0.0/0 is shorter than /8',
  },
  {
    input: 'maxTunnelDuration: 0 seconds',
    bad: tunnel({ maxTunnelDuration: Duration.seconds(0) }),
    good: tunnel({ maxTunnelDuration: Duration.seconds(1) }),
    error: 'grantOpenTunnel options.maxTunnelDuration must be a whole number of seconds from 1 second to 1 hour, got 0 seconds',
  },
  {
    input: 'maxTunnelDuration: 500 ms',
    bad: tunnel({ maxTunnelDuration: Duration.millis(500) }),
    good: tunnel({ maxTunnelDuration: Duration.millis(1000) }),
    error: 'maxTunnelDuration must be a whole number of seconds from 1 second to 1 hour, got 500 millis',
  },
  {
    input: 'maxTunnelDuration: 3601 s',
    bad: tunnel({ maxTunnelDuration: Duration.seconds(3601) }),
    good: tunnel({ maxTunnelDuration: Duration.seconds(3600) }),
    error: 'maxTunnelDuration must be a whole number of seconds from 1 second to 1 hour, got 1 hour 1 second',
  },
  {
    input: 'maxTunnelDuration: 1.5 s',
    bad: tunnel({ maxTunnelDuration: Duration.millis(1500) }),
    good: tunnel({ maxTunnelDuration: Duration.millis(2000) }),
    error: 'got 1 second 500 millis',
  },

  // InstanceConnectAccess.grantConnect / addOperatorRole
  { input: 'osUsers: []', bad: connect({ osUsers: [] }), good: connect({ osUsers: ['ec2-user'] }), error: 'Test/Access: grantConnect options.osUsers must not be empty, got []' },
  {
    input: 'osUsers: root',
    bad: connect({ osUsers: ['ec2-user', 'root'] }),
    good: connect({ osUsers: ['ec2-user', 'root'], allowRootLogin: true }),
    error: 'grantConnect options.osUsers[1] is "root": set allowRootLogin: true to allow logging in as root',
  },
  {
    input: 'osUsers: starts with a digit',
    bad: connect({ osUsers: ['1user'] }),
    good: connect({ osUsers: ['user1'] }),
    error: 'grantConnect options.osUsers[0] must be an OS user name the service accepts (1-32 characters: a letter or _, then letters, digits, @ . _ -), got "1user"',
  },
  { input: 'osUsers: a space', bad: connect({ osUsers: ['ec2 user'] }), good: connect({ osUsers: ['ec2_user'] }), error: 'got "ec2 user"' },
  { input: 'osUsers: 33 characters', bad: connect({ osUsers: ['a'.repeat(33)] }), good: connect({ osUsers: ['a'.repeat(32)] }), error: `got "${'a'.repeat(33)}"` },
  { input: 'osUsers: a shell metacharacter', bad: connect({ osUsers: ['user;rm'] }), good: connect({ osUsers: ['user.rm'] }), error: 'got "user;rm"' },
  {
    input: 'instanceIds: not hex',
    bad: connect({ instances: undefined, instanceIds: ['i-XYZ'] }),
    good: connect({ instances: undefined, instanceIds: ['i-0abc'] }),
    error: 'grantConnect options.instanceIds[0] must be an instance ID (\'i-\' followed by lowercase hex digits), got "i-XYZ"',
  },
  {
    input: 'instanceIds: no i- prefix',
    bad: connect({ instances: undefined, instanceIds: ['0123456789abcdef0'] }),
    good: connect({ instances: undefined, instanceIds: ['i-0123456789abcdef0'] }),
    error: 'got "0123456789abcdef0"',
  },
  {
    input: 'instanceIds: []',
    bad: connect({ instances: undefined, instanceIds: [] }),
    good: connect({ instances: undefined, instanceIds: ['i-1'] }),
    error: 'grantConnect options.instanceIds must not be empty, got []',
  },
  { input: 'instances: []', bad: connect({ instances: [] }), good: w => connect({ instances: [w.web] })(w), error: 'grantConnect options.instances must not be empty, got []' },
  {
    input: 'instanceTags: {}',
    bad: connect({ instances: undefined, instanceTags: {} }),
    good: connect({ instances: undefined, instanceTags: { team: 'web' } }),
    error: 'grantConnect options.instanceTags must have at least one tag, got {}',
  },
  {
    input: 'instanceTags: an aws: key',
    bad: connect({ instances: undefined, instanceTags: { 'aws:team': 'web' } }),
    good: connect({ instances: undefined, instanceTags: { team: 'web' } }),
    error: 'grantConnect options.instanceTags key must be 1-128 characters and not start with "aws:", got "aws:team"',
  },
  {
    input: 'instanceTags: a 257-character value',
    bad: connect({ instances: undefined, instanceTags: { team: 'x'.repeat(257) } }),
    good: connect({ instances: undefined, instanceTags: { team: 'x'.repeat(256) } }),
    error: 'grantConnect options.instanceTags["team"] must be at most 256 characters, got 257',
  },
  {
    input: 'an empty grant',
    bad: connect({ instances: undefined }),
    good: connect({ instances: undefined, privateIpAddresses: ['10.0.1.0/24'] }),
    error: 'grantConnect options must name the targets with instances, instanceIds, instanceTags, privateIpAddresses or targetSubnets, got none',
  },
  {
    input: 'viaEndpoint: false with addresses only',
    bad: connect({ instances: undefined, privateIpAddresses: ['10.0.1.0/24'], viaEndpoint: false }),
    good: connect({ viaEndpoint: false }),
    error: 'grantConnect options.privateIpAddresses bounds tunnels through the endpoint, and a grant with viaEndpoint: false opens none; got ["10.0.1.0/24"]',
  },
  {
    input: 'viaEndpoint: false with no target',
    bad: connect({ instances: undefined, instanceTags: undefined, viaEndpoint: false, targetSubnets: undefined }),
    good: connect({ viaEndpoint: false }),
    error: 'must name the targets with instances, instanceIds, instanceTags, privateIpAddresses or targetSubnets, got none',
  },
  {
    input: 'viaEndpoint: false with remotePorts',
    bad: connect({ viaEndpoint: false, remotePorts: [22] }),
    good: connect({ viaEndpoint: false }),
    error: 'grantConnect options.remotePorts bounds tunnels through the endpoint, and a grant with viaEndpoint: false opens none; got [22]',
  },
  {
    input: 'viaEndpoint: false with maxTunnelDuration',
    bad: connect({ viaEndpoint: false, maxTunnelDuration: Duration.minutes(5) }),
    good: connect({ viaEndpoint: false }),
    error: 'grantConnect options.maxTunnelDuration bounds tunnels through the endpoint, and a grant with viaEndpoint: false opens none; got "5 minutes"',
  },

  // What a user means is what the construct does (ports, VPCs, targets named one way)
  ...([
    ['Port.tcp(0)', ec2.Port.tcp(0), 'must be a port from 1 to 65535, got "0"'],
    ['Port.tcp(70000)', ec2.Port.tcp(70000), 'must be a port from 1 to 65535, got "70000"'],
    ['Port.allTcp()', ec2.Port.allTcp(), 'must be one port, not a range (a connection needs one), got "ALL PORTS"'],
    ['Port.tcpRange(20, 30)', ec2.Port.tcpRange(20, 30), 'must be one port, not a range (a connection needs one), got "20-30"'],
    ['Port.udp(22)', ec2.Port.udp(22), 'must be a TCP port (SSH and RDP connections are TCP), got "UDP 22"'],
    ['Port.allTraffic()', ec2.Port.allTraffic(), 'must be a TCP port (SSH and RDP connections are TCP), got "ALL TRAFFIC"'],
  ] as const).flatMap(([name, port, error]): Row[] => [
    {
      input: `InstanceConnectAccess.allowConnectionsTo ${name}`,
      bad: w => access(w).allowConnectionsTo(w.web, port),
      good: w => access(w).allowConnectionsTo(w.web, ec2.Port.tcp(22)),
      error: `Test/Access: allowConnectionsTo port ${error}`,
    },
    {
      input: `InstanceConnectEndpoint.allowConnectionsTo ${name}`,
      bad: w => endpoint(w).allowConnectionsTo(w.web, port),
      good: w => endpoint(w).allowConnectionsTo(w.web, ec2.Port.tcp(3389)),
      error: `Test/Endpoint: allowConnectionsTo port ${error}`,
    },
    {
      input: `allowConnectionsFromNetwork ${name}`,
      bad: w => access(w).allowConnectionsFromNetwork(w.web, ['10.20.0.0/16'], port),
      good: w => access(w).allowConnectionsFromNetwork(w.web, ['10.20.0.0/16'], ec2.Port.tcp(22)),
      error: `allowConnectionsFromNetwork port ${error}`,
    },
  ]),
  // Plain JavaScript passes a number where an ec2.Port is due: a clear error, not "port.toRuleJson is not a function".
  ...([
    ['InstanceConnectAccess.allowConnectionsTo', (w: World, port: any) => access(w).allowConnectionsTo(w.web, port), 'Test/Access: allowConnectionsTo port'],
    ['InstanceConnectEndpoint.allowConnectionsTo', (w: World, port: any) => endpoint(w).allowConnectionsTo(w.web, port), 'Test/Endpoint: allowConnectionsTo port'],
    ['targetsSecurityGroupFor', (w: World, port: any) => access(w).targetsSecurityGroupFor(port), 'targetsSecurityGroupFor port'],
    ['allowConnectionsFromNetwork', (w: World, port: any) => access(w).allowConnectionsFromNetwork(w.web, ['10.20.0.0/16'], port), 'allowConnectionsFromNetwork port'],
    ['allowConsoleConnections', (w: World, port: any) => access(w).allowConsoleConnections(w.web, port), 'allowConsoleConnections port'],
  ] as const).map(([method, call, property]): Row => ({
    input: `${method} with the number 22 from untyped JavaScript`,
    bad: w => call(w, 22),
    good: w => call(w, ec2.Port.tcp(22)),
    error: `${property} must be an ec2.Port such as ec2.Port.tcp(22), got 22`,
  })),
  {
    input: 'allowConnectionsTo Port.tcp(8080)',
    bad: w => access(w).allowConnectionsTo(w.web, ec2.Port.tcp(8080)),
    good: w => access(w).allowConnectionsTo(w.web, ec2.Port.tcp(3389)),
    warning: 'allowConnectionsTo port is 8080: EC2 Instance Connect connects to SSH (22) and RDP (3389)',
  },
  {
    input: 'a grant naming an instance of another VPC',
    bad: w => access(w).grantConnect(w.role, { osUsers: ['ec2-user'], instances: [testInstance(w.stack, testVpc(w.stack, 'OtherVpc'), 'Other')] }),
    good: w => access(w).grantConnect(w.role, { osUsers: ['ec2-user'], instances: [w.web] }),
    error: 'grantConnect options.instances[0] is Test/Other, which is not in vpc Test/Vpc',
  },
  {
    input: 'instances together with instanceTags',
    bad: connect({ instanceTags: { team: 'web' } }),
    good: connect({ instances: undefined, instanceTags: { team: 'web' } }),
    error: 'grantConnect options names targets by instanceTags and by instances: key pushes would follow the tags and tunnels the named instances',
  },
  {
    input: 'no osUsers on an SSH grant',
    bad: connect({ osUsers: undefined }),
    good: connect({ osUsers: undefined, remotePorts: [3389] }),
    error: 'grantConnect options.osUsers is required unless the grant only opens RDP (remotePorts: [3389]), got remotePorts [22]',
  },
  {
    input: 'a grant with no network path to its instance',
    bad: w => { const a = access(w); a.grantConnect(w.role, { osUsers: ['ec2-user'], instances: [w.web] }); return Annotations.fromStack(w.stack); },
    good: w => { const a = access(w); a.grantConnect(w.role, { osUsers: ['ec2-user'], instances: [w.web] }); a.allowConnectionsTo(w.web); },
    warning: 'grantConnect options grants port 22 to Test/Web, which has no network path on it (allowConnectionsTo(instance, ec2.Port.tcp(22))): the grantee cannot connect',
  },
  {
    input: 'createEndpoint: false with a grant through the endpoint',
    bad: w => new InstanceConnectAccess(w.stack, 'Access', { vpc: w.vpc, createEndpoint: false })
      .grantConnect(w.role, { osUsers: ['ec2-user'], instances: [w.web] }),
    good: w => new InstanceConnectAccess(w.stack, 'Access', { vpc: w.vpc, createEndpoint: false })
      .grantConnect(w.role, { osUsers: ['ec2-user'], instances: [w.web], viaEndpoint: false }),
    error: 'grantConnect options grants tunnels through the endpoint, but createEndpoint is false: set viaEndpoint: false',
  },
  {
    input: 'createEndpoint: false with allowConnectionsTo',
    bad: w => new InstanceConnectAccess(w.stack, 'Access', { vpc: w.vpc, createEndpoint: false }).allowConnectionsTo(w.web),
    good: w => new InstanceConnectAccess(w.stack, 'Access', { vpc: w.vpc, createEndpoint: false }).allowConnectionsFromNetwork(w.web, ['10.20.0.0/16']),
    error: 'allowConnectionsTo needs the EC2 Instance Connect Endpoint, but this InstanceConnectAccess has createEndpoint: false',
  },
  {
    input: 'createEndpoint: false with an endpoint',
    bad: w => new InstanceConnectAccess(w.stack, 'Access', { vpc: w.vpc, createEndpoint: false, endpoint: endpoint(w) }),
    good: w => new InstanceConnectAccess(w.stack, 'Access', { vpc: w.vpc, endpoint: endpoint(w) }),
    error: 'createEndpoint: false defines no endpoint and no control plane, so endpoint cannot be set, got endpoint',
  },
  {
    input: 'an imported VPC without its CIDR, for a grant by tag',
    bad: w => new InstanceConnectAccess(w.stack, 'Access', {
      vpc: ec2.Vpc.fromVpcAttributes(w.stack, 'Imported', {
        vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-0123456789abcdef0'],
      }),
    }).addOperatorRole('Tagged', { instanceTags: { team: 'web' }, osUsers: ['ec2-user'] }),
    good: w => new InstanceConnectAccess(w.stack, 'Access', {
      vpc: ec2.Vpc.fromVpcAttributes(w.stack, 'Imported', {
        vpcId: 'vpc-0123456789abcdef0', vpcCidrBlock: '10.9.0.0/16', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-0123456789abcdef0'],
      }),
    }).addOperatorRole('Tagged', { instanceTags: { team: 'web' }, osUsers: ['ec2-user'] }),
    error: 'vpc Test/Imported was imported without vpcCidrBlock, which a grant by instanceIds or instanceTags needs to bound its tunnels',
  },
  {
    input: 'an imported VPC without subnets',
    bad: w => new InstanceConnectAccess(w.stack, 'Access', {
      vpc: ec2.Vpc.fromVpcAttributes(w.stack, 'Empty', {
        vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'],
      }),
    }),
    good: w => new InstanceConnectAccess(w.stack, 'Access', {
      vpc: ec2.Vpc.fromVpcAttributes(w.stack, 'Empty', {
        vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-0123456789abcdef0'],
      }),
    }),
    error: 'vpc Test/Empty has no subnets to place the endpoint in: import it with its subnet IDs',
  },
  {
    input: 'validUntil before validFrom',
    bad: connect({ validFrom: new Date('2030-02-01T00:00:00Z'), validUntil: new Date('2030-01-01T00:00:00Z') }),
    good: connect({ validFrom: new Date('2030-01-01T00:00:00Z'), validUntil: new Date('2030-02-01T00:00:00Z') }),
    error: 'grantConnect options.validFrom must be before validUntil, got 2030-02-01T00:00:00.000Z and 2030-01-01T00:00:00.000Z',
  },
  {
    input: 'validUntil already past',
    bad: connect({ validUntil: new Date('2020-01-01T00:00:00Z') }),
    good: connect({ validUntil: new Date('2099-01-01T00:00:00Z') }),
    warning: 'grantConnect options.validUntil is 2020-01-01T00:00:00.000Z, already past: the grant allows nothing',
  },
  {
    input: 'requireMfa of half a second',
    bad: connect({ requireMfa: Duration.millis(500) }),
    good: connect({ requireMfa: Duration.hours(1) }),
    error: 'grantConnect options.requireMfa must be a whole number of seconds, at least 1, got 500 millis',
  },
  {
    input: 'requireMfa on a role federated by SAML',
    bad: w => access(w).addOperatorRole('Saml', {
      instances: [w.web],
      osUsers: ['ec2-user'],
      requireMfa: Duration.hours(1),
      assumedBy: new iam.SamlConsolePrincipal(iam.SamlProvider.fromSamlProviderArn(w.stack, 'Idp', 'arn:aws:iam::111122223333:saml-provider/Corp')),
    }),
    good: w => access(w).addOperatorRole('Saml', {
      instances: [w.web],
      osUsers: ['ec2-user'],
      assumedBy: new iam.SamlConsolePrincipal(iam.SamlProvider.fromSamlProviderArn(w.stack, 'Idp', 'arn:aws:iam::111122223333:saml-provider/Corp')),
    }),
    error: 'addOperatorRole Saml props.requireMfa cannot be met by role Test/Access/Saml, which trusts a federated identity provider',
  },
  {
    input: 'grantConnect remotePorts: [70000]',
    bad: connect({ remotePorts: [70000] }),
    good: connect({ remotePorts: [3389] }),
    error: 'grantConnect options.remotePorts[0] must be an integer from 1 to 65535, got 70000',
  },
  {
    input: 'grantConnect sourceIpRanges: a typo',
    bad: connect({ sourceIpRanges: ['203.0.113.0/244'] }),
    good: connect({ sourceIpRanges: ['203.0.113.0/24'] }),
    error: 'grantConnect options.sourceIpRanges[0] must be an IPv4 or IPv6 address or CIDR, got "203.0.113.0/244"',
  },
  {
    input: 'addOperatorRole maxSessionDuration: 30 minutes',
    bad: w => access(w).addOperatorRole('Ops', { instances: [w.web], osUsers: ['ec2-user'], maxSessionDuration: Duration.minutes(30) }),
    good: w => access(w).addOperatorRole('Ops', { instances: [w.web], osUsers: ['ec2-user'], maxSessionDuration: Duration.hours(1) }),
    error: 'addOperatorRole Ops props.maxSessionDuration must be from 1 to 12 hours, got 30 minutes',
  },
  {
    input: 'addOperatorRole maxSessionDuration: 13 hours',
    bad: w => access(w).addOperatorRole('Ops', { instances: [w.web], osUsers: ['ec2-user'], maxSessionDuration: Duration.hours(13) }),
    good: w => access(w).addOperatorRole('Ops', { instances: [w.web], osUsers: ['ec2-user'], maxSessionDuration: Duration.hours(12) }),
    error: 'got 13 hours',
  },
  {
    input: 'addOperatorRole root',
    bad: w => access(w).addOperatorRole('Ops', { instances: [w.web], osUsers: ['root'] }),
    good: w => access(w).addOperatorRole('Ops', { instances: [w.web], osUsers: ['root'], allowRootLogin: true }),
    error: 'addOperatorRole Ops props.osUsers[0] is "root"',
  },

  // InstanceConnectAccess network paths and helpers
  {
    input: 'allowConnectionsFromNetwork: 0.0.0.0/0',
    bad: w => access(w).allowConnectionsFromNetwork(w.web, ['0.0.0.0/0']),
    good: w => access(w).allowConnectionsFromNetwork(w.web, ['10.20.0.0/16']),
    error: 'allowConnectionsFromNetwork sourceRanges would open 22 to the internet: 0.0.0.0/0 is shorter than /8',
  },
  {
    input: 'allowConnectionsFromNetwork: ::/0 for RDP',
    bad: w => access(w).allowConnectionsFromNetwork(w.web, ['::/0'], ec2.Port.tcp(3389)),
    good: w => access(w).allowConnectionsFromNetwork(w.web, ['2001:db8::/32'], ec2.Port.tcp(3389)),
    error: 'allowConnectionsFromNetwork sourceRanges would open 3389 to the internet: ::/0 is shorter than /16',
  },
  {
    input: 'allowConnectionsFromNetwork: not a CIDR',
    bad: w => access(w).allowConnectionsFromNetwork(w.web, ['corp']),
    good: w => access(w).allowConnectionsFromNetwork(w.web, ['10.20.0.0/16']),
    error: 'allowConnectionsFromNetwork sourceRanges[0] must be an IPv4 or IPv6 address or CIDR, got "corp"',
  },
  {
    input: 'allowConnectionsFromNetwork: []',
    bad: w => access(w).allowConnectionsFromNetwork(w.web, []),
    good: w => access(w).allowConnectionsFromNetwork(w.web, ['10.20.0.0/16']),
    error: 'allowConnectionsFromNetwork sourceRanges must not be empty, got []',
  },
  {
    input: 'a target outside the VPC with preserveClientIp',
    bad: w => new InstanceConnectAccess(w.stack, 'Access', { vpc: w.vpc, preserveClientIp: true })
      .allowConnectionsTo(testInstance(w.stack, testVpc(w.stack, 'Other'), 'Elsewhere')),
    good: w => new InstanceConnectAccess(w.stack, 'Access', { vpc: w.vpc, preserveClientIp: true }).allowConnectionsTo(w.web),
    error: 'allowConnectionsTo target Test/Elsewhere is not in vpc Test/Vpc: with preserveClientIp the targets must be in the endpoint\'s VPC',
  },
  {
    input: 'sshCommand: an OS user with a space',
    bad: w => access(w).sshCommand(w.web, 'ec2 user'),
    good: w => access(w).sshCommand(w.web, 'ec2-user'),
    error: 'sshCommand osUser must be an OS user name the service accepts',
  },
  {
    input: 'openTunnelCommand: remote port 0',
    bad: w => access(w).openTunnelCommand(w.web, { remotePort: 0 }),
    good: w => access(w).openTunnelCommand(w.web, { remotePort: 3389 }),
    error: 'openTunnelCommand options.remotePort must be an integer from 1 to 65535, got 0',
  },
  {
    input: 'openTunnelCommand: local port 70000',
    bad: w => access(w).openTunnelCommand(w.web, { remotePort: 3389, localPort: 70000 }),
    good: w => access(w).openTunnelCommand(w.web, { remotePort: 3389, localPort: 13389 }),
    error: 'openTunnelCommand options.localPort must be an integer from 1 to 65535, got 70000',
  },
  {
    input: 'endpoint with endpointSubnets',
    bad: w => new InstanceConnectAccess(w.stack, 'Access', { vpc: w.vpc, endpoint: endpoint(w), endpointSubnets: {} }),
    good: w => new InstanceConnectAccess(w.stack, 'Access', { vpc: w.vpc, endpoint: endpoint(w) }),
    error: 'endpointSubnets and preserveClientIp apply to a new endpoint; they cannot be set with endpoint',
  },
  {
    input: 'auditTrail: false with auditTrailProps',
    bad: w => new InstanceConnectAccess(w.stack, 'Access', { vpc: w.vpc, auditTrail: false, auditTrailProps: {} }),
    good: w => new InstanceConnectAccess(w.stack, 'Access', { vpc: w.vpc, auditTrail: false }),
    error: 'auditTrailProps configure the audit trail; they cannot be set with auditTrail: false',
  },

  // InstanceConnectAuditTrail
  {
    input: 'objectLockRetention: 2 hours',
    bad: w => new InstanceConnectAuditTrail(w.stack, 'Audit', { objectLockRetention: Duration.hours(2) }),
    good: w => new InstanceConnectAuditTrail(w.stack, 'Audit', { objectLockRetention: Duration.days(1) }),
    error: 'Test/Audit: objectLockRetention must be at least 1 day, got 2 hours',
  },
  {
    input: 'trailName: starts with a dash',
    bad: w => new InstanceConnectAuditTrail(w.stack, 'Audit', { trailName: '-audit' }),
    good: w => new InstanceConnectAuditTrail(w.stack, 'Audit', { trailName: 'audit' }),
    error: 'trailName must be 3-128 letters, digits, periods, underscores or dashes',
  },
  {
    input: 'createTrail: false with trailName',
    bad: w => new InstanceConnectAuditTrail(w.stack, 'Audit', { createTrail: false, trailName: 'audit' }),
    good: w => new InstanceConnectAuditTrail(w.stack, 'Audit', { createTrail: false }),
    error: 'trailName, trailHomeRegion and objectLockRetention configure the trail; they cannot be set with createTrail: false',
  },
  {
    input: 'existingTrailLogGroup (no longer used)',
    bad: w => new InstanceConnectAuditTrail(w.stack, 'Audit', {
      createTrail: false, existingTrailLogGroup: logs.LogGroup.fromLogGroupName(w.stack, 'Org', 'org-trail'),
    }),
    good: w => new InstanceConnectAuditTrail(w.stack, 'Audit', { createTrail: false }),
    warning: 'existingTrailLogGroup is no longer used',
  },
  {
    input: 'trailHomeRegion that is not a Region',
    bad: w => new InstanceConnectAuditTrail(w.stack, 'Audit', { trailHomeRegion: 'Ireland' }),
    good: w => new InstanceConnectAuditTrail(w.stack, 'Audit', { trailHomeRegion: 'eu-west-1' }),
    error: 'trailHomeRegion must be a Region name such as us-east-1, got "Ireland"',
  },
];

describe('every bad input gets a clear synth-time error or warning, and its valid neighbour passes', () => {
  test('the table has at least 40 bad inputs', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(40);
  });

  describe.each(ROWS.map(r => [r.input, r] as const))('%s', (_input, row) => {
    if (row.error !== undefined) {
      test('fails with a message naming the property and the value', () => {
        const w = world();
        let thrown: unknown;
        try {
          row.bad(w);
        } catch (e) {
          thrown = e;
        }
        // Our own error, not a crash from inside aws-cdk-lib.
        expect(thrown).toBeInstanceOf(Error);
        expect((thrown as Error).name).toBe('ValidationError');
        expect((thrown as Error).message).toContain(row.error!);
      });
    } else {
      test('warns with a message naming the property and the value', () => {
        const w = world();
        row.bad(w);
        Annotations.fromStack(w.stack).hasWarning('*', Match.stringLikeRegexp(escape(row.warning!)));
      });
    }

    test('the valid neighbour passes, without the warning', () => {
      const w = world();
      expect(() => row.good(w)).not.toThrow();
      if (row.warning !== undefined) {
        Annotations.fromStack(w.stack).hasNoWarning('*', Match.stringLikeRegexp(escape(row.warning.split(' is ')[0])));
      }
    });
  });
});

describe('the same security group given twice to the endpoint', () => {
  test('is rendered once: SecurityGroupIds must be unique', () => {
    const w = world();
    const sg = groups(w, 1)[0];
    const again = ec2.SecurityGroup.fromSecurityGroupId(w.stack, 'Again', 'sg-0');
    const created = endpoint(w, { securityGroups: [sg, sg, again] });
    expect(w.stack.resolve((created.node.defaultChild as ec2.CfnInstanceConnectEndpoint).securityGroupIds)).toEqual(['sg-0']);
  });
});

describe('tokens pass through unvalidated', () => {
  test('ports, addresses, users, durations and IDs known only at deploy time', () => {
    const w = world();
    const param = (id: string, type = 'String') => new CfnParameter(w.stack, id, { type });

    expect(() => endpoint(w).grantOpenTunnel(w.role, {
      remotePorts: [Token.asNumber(param('Port'))],
      privateIpAddresses: [w.web.instancePrivateIp, param('Cidr').valueAsString],
      sourceIpRanges: param('Sources', 'CommaDelimitedList').valueAsList,
      maxTunnelDuration: Duration.seconds(Token.asNumber(param('Seconds'))),
    })).not.toThrow();
    expect(() => new InstanceConnectAccess(w.stack, 'Access', {
      vpc: w.vpc,
      endpoint: InstanceConnectEndpoint.fromInstanceConnectEndpointAttributes(w.stack, 'E', {
        instanceConnectEndpointId: param('EndpointId').valueAsString, securityGroups: [],
      }),
    }).grantConnect(w.role, {
      osUsers: [param('User').valueAsString],
      instanceIds: [param('InstanceId').valueAsString],
    })).not.toThrow();
  });

  test('a VPC still being looked up gives no false error', () => {
    const stack = new Stack(undefined, 'Lookup', { env: { account: '111122223333', region: 'us-east-1' } });
    const vpc = ec2.Vpc.fromLookup(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0' });

    expect(() => new InstanceConnectAccess(stack, 'Access', { vpc })).not.toThrow();
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
