import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Expected, Request } from './simulate';
import { ACCOUNT, REGION, TemplateWorld } from './template-world';
import { InstanceConnectAccess } from '../../lib';
import { testInstance, testStack, testVpc } from '../util';

export const OFFICE_IP = '203.0.113.7';
export const OTHER_IP = '198.51.100.7';
/** An MFA sign-in ten minutes old, as STS records it in the session. */
const FRESH_MFA = { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '600' };
export const IMPORTED_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/Operators`;

/** One row of the evaluation matrix. */
export interface Case {
  readonly name: string;
  readonly role: string;
  readonly request: Request;
  readonly expected: Expected;
}

/**
 * The access set-up the matrix evaluates: an operator role per kind of grant, the control-plane role, and a
 * grant to an existing (imported) role.
 */
export function buildScenario() {
  const stack = testStack();
  const vpc = testVpc(stack);
  const web = testInstance(stack, vpc, 'Web');
  const db = testInstance(stack, vpc, 'Db');
  const windows = testInstance(stack, vpc, 'Windows');
  const access = new InstanceConnectAccess(stack, 'Access', { vpc });
  access.allowConnectionsTo(web);
  access.allowConnectionsTo(windows, ec2.Port.tcp(3389));

  const roles: Record<string, iam.IRole> = {
    OnCall: access.addOperatorRole('OnCall', {
      instances: [web],
      osUsers: ['ec2-user'],
      sourceIpRanges: ['203.0.113.0/24'],
      maxTunnelDuration: Duration.minutes(30),
    }),
    Tagged: access.addOperatorRole('Tagged', { instanceTags: { team: 'web' }, osUsers: ['ec2-user', 'ubuntu'] }),
    Rdp: access.addOperatorRole('Rdp', { instances: [windows], osUsers: ['Administrator'], remotePorts: [3389] }),
    Root: access.addOperatorRole('Root', { instances: [web], osUsers: ['root'], allowRootLogin: true }),
    ById: access.addOperatorRole('ById', { instanceIds: ['i-0123456789abcdef0'], osUsers: ['ec2-user'] }),
    // A week of access, for an incident.
    Timed: access.addOperatorRole('Timed', {
      instances: [web], osUsers: ['ec2-user'], validFrom: new Date('2030-01-01T00:00:00Z'), validUntil: new Date('2030-01-08T00:00:00Z'),
    }),
    // Only with an MFA sign-in of the last hour.
    Mfa: access.addOperatorRole('Mfa', { instances: [web], osUsers: ['ec2-user'], requireMfa: Duration.hours(1) }),
    // RDP only: no OS user, no key push.
    RdpOnly: access.addOperatorRole('RdpOnly', { instances: [windows], remotePorts: [3389] }),
    ControlPlane: access.controlPlaneRole,
  };
  const sso = iam.Role.fromRoleArn(stack, 'Sso', IMPORTED_ROLE_ARN);
  access.grantConnect(sso, { instances: [db], osUsers: ['ec2-user'] });

  const world = new TemplateWorld(stack);
  const endpointId = world.id(access.endpoint.node.defaultChild as any);
  return { stack, vpc, web, db, windows, access, roles, sso, world, endpointId };
}

export type Scenario = ReturnType<typeof buildScenario>;

/** The requests and the answers IAM must give. */
export function matrix(s: Scenario): Case[] {
  const endpointArn = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance-connect-endpoint/${s.endpointId}`;
  const otherEndpointArn = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance-connect-endpoint/eice-0fffffffffffffff0`;
  const instanceArn = (id: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${id}`;
  const webArn = instanceArn(s.world.id(s.web));
  const dbArn = instanceArn(s.world.id(s.db));
  const windowsArn = instanceArn(s.world.id(s.windows));
  const webIp = s.world.privateIp(s.web);
  const dbIp = s.world.privateIp(s.db);
  const windowsIp = s.world.privateIp(s.windows);
  const subnetId = s.world.id(s.vpc.isolatedSubnets[0].node.defaultChild as any);
  const subnetArn = `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/${subnetId}`;
  const inThisVpc = { 'ec2:SubnetID': subnetId };
  const inAnotherVpc = { 'ec2:SubnetID': 'subnet-0other' };
  const endpointSgArn = `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${s.world.resolve(s.stack.resolve(s.access.endpoint.connections.securityGroups[0].securityGroupId))}`;

  // What `aws ec2-instance-connect open-tunnel` sends: remotePort and privateIpAddress always; the service
  // evaluates maxTunnelDuration as its default (3600) when the CLI omits --max-tunnel-duration (the service's documented default).
  const tunnel = (ip: string, extra: Record<string, string> = {}): Request => ({
    action: 'ec2-instance-connect:OpenTunnel',
    resource: endpointArn,
    context: {
      'ec2-instance-connect:remotePort': '22',
      'ec2-instance-connect:privateIpAddress': ip,
      'ec2-instance-connect:maxTunnelDuration': '3600',
      'aws:SourceIp': OFFICE_IP,
      ...extra,
    },
  });
  const without = (request: Request, key: string): Request => {
    const { [key]: _omitted, ...context } = request.context ?? {};
    return { ...request, context };
  };
  // What `aws ec2-instance-connect ssh` sends for the key push: the OS user, and the instance's tags as resource tags.
  const pushKey = (arn: string, osUser: string, extra: Record<string, string> = {}): Request => ({
    action: 'ec2-instance-connect:SendSSHPublicKey',
    resource: arn,
    context: { 'ec2:osuser': osUser, 'aws:SourceIp': OFFICE_IP, ...extra },
  });
  const describe = (action: string, sourceIp = OFFICE_IP): Request => ({ action, resource: '*', context: { 'aws:SourceIp': sourceIp } });
  const tag = (action: string, keys: string[], resource = webArn): Request => ({ action, resource, context: { 'aws:TagKeys': keys } });
  const controlPlane = (action: string, resource: string, context: Record<string, string | string[]> = {}): Request =>
    ({ action, resource, context });
  const rows: Array<[string, string, Request, Expected]> = [
    // OnCall: web only, ec2-user, port 22, 30-minute tunnels, from the office.
    ['the right instance, port, duration and source IP', 'OnCall', tunnel(webIp, { 'ec2-instance-connect:maxTunnelDuration': '1800' }), 'Allowed'],
    ['a shorter tunnel', 'OnCall', tunnel(webIp, { 'ec2-instance-connect:maxTunnelDuration': '600' }), 'Allowed'],
    ['a tunnel one second over the bound', 'OnCall', tunnel(webIp, { 'ec2-instance-connect:maxTunnelDuration': '1801' }), 'ImplicitlyDenied'],
    ['no --max-tunnel-duration: the service default of one hour exceeds the bound', 'OnCall', tunnel(webIp), 'ImplicitlyDenied'],
    ['no maxTunnelDuration key at all', 'OnCall', without(tunnel(webIp), 'ec2-instance-connect:maxTunnelDuration'), 'ImplicitlyDenied'],
    ['port 3389 when only 22 was granted', 'OnCall',
      tunnel(webIp, { 'ec2-instance-connect:remotePort': '3389', 'ec2-instance-connect:maxTunnelDuration': '1800' }), 'ImplicitlyDenied'],
    ['port 2222', 'OnCall', tunnel(webIp, { 'ec2-instance-connect:remotePort': '2222', 'ec2-instance-connect:maxTunnelDuration': '1800' }), 'ImplicitlyDenied'],
    ['another instance\'s private IP', 'OnCall', tunnel(dbIp, { 'ec2-instance-connect:maxTunnelDuration': '1800' }), 'ImplicitlyDenied'],
    ['a private IP outside the range', 'OnCall', tunnel('10.0.0.5', { 'ec2-instance-connect:maxTunnelDuration': '1800' }), 'ImplicitlyDenied'],
    ['a source IP outside the range', 'OnCall', tunnel(webIp, { 'ec2-instance-connect:maxTunnelDuration': '1800', 'aws:SourceIp': OTHER_IP }), 'ImplicitlyDenied'],
    ['no source IP (called through a VPC endpoint)', 'OnCall', without(tunnel(webIp, { 'ec2-instance-connect:maxTunnelDuration': '1800' }), 'aws:SourceIp'), 'ImplicitlyDenied'],
    ['no remotePort key', 'OnCall', without(tunnel(webIp, { 'ec2-instance-connect:maxTunnelDuration': '1800' }), 'ec2-instance-connect:remotePort'), 'ImplicitlyDenied'],
    ['no privateIpAddress key', 'OnCall', without(tunnel(webIp, { 'ec2-instance-connect:maxTunnelDuration': '1800' }), 'ec2-instance-connect:privateIpAddress'), 'ImplicitlyDenied'],
    ['another endpoint', 'OnCall', { ...tunnel(webIp, { 'ec2-instance-connect:maxTunnelDuration': '1800' }), resource: otherEndpointArn }, 'ImplicitlyDenied'],
    ['the same endpoint ID in another Region', 'OnCall', { ...tunnel(webIp, { 'ec2-instance-connect:maxTunnelDuration': '1800' }), resource: endpointArn.replace(REGION, 'eu-west-1') }, 'ImplicitlyDenied'],
    ['a key for the right instance and user', 'OnCall', pushKey(webArn, 'ec2-user'), 'Allowed'],
    ['a key for root', 'OnCall', pushKey(webArn, 'root'), 'ExplicitlyDenied'],
    ['a key for another OS user', 'OnCall', pushKey(webArn, 'ubuntu'), 'ImplicitlyDenied'],
    ['a key for another instance', 'OnCall', pushKey(dbArn, 'ec2-user'), 'ImplicitlyDenied'],
    ['a key from outside the source range', 'OnCall', pushKey(webArn, 'ec2-user', { 'aws:SourceIp': OTHER_IP }), 'ImplicitlyDenied'],
    ['a key without an OS user', 'OnCall', without(pushKey(webArn, 'ec2-user'), 'ec2:osuser'), 'ImplicitlyDenied'],
    ['a serial-console key', 'OnCall', { ...pushKey(webArn, 'ec2-user'), action: 'ec2-instance-connect:SendSerialConsoleSSHPublicKey' }, 'ImplicitlyDenied'],
    ['DescribeInstances from the office', 'OnCall', describe('ec2:DescribeInstances'), 'Allowed'],
    ['DescribeInstanceConnectEndpoints from the office', 'OnCall', describe('ec2:DescribeInstanceConnectEndpoints'), 'Allowed'],
    ['DescribeInstances from elsewhere', 'OnCall', describe('ec2:DescribeInstances', OTHER_IP), 'ImplicitlyDenied'],
    ['CreateInstanceConnectEndpoint', 'OnCall', controlPlane('ec2:CreateInstanceConnectEndpoint', otherEndpointArn, inThisVpc), 'ExplicitlyDenied'],
    ['ModifyInstanceConnectEndpoint', 'OnCall', controlPlane('ec2:ModifyInstanceConnectEndpoint', endpointArn), 'ExplicitlyDenied'],
    ['DeleteInstanceConnectEndpoint', 'OnCall', controlPlane('ec2:DeleteInstanceConnectEndpoint', endpointArn, inThisVpc), 'ExplicitlyDenied'],
    ['tagging an instance', 'OnCall', tag('ec2:CreateTags', ['Name']), 'ImplicitlyDenied'],

    // Tagged: any instance tagged team=web, as ec2-user or ubuntu; tunnels within the VPC.
    ['a key for an instance tagged team=web', 'Tagged', pushKey(webArn, 'ec2-user', { 'aws:ResourceTag/team': 'web' }), 'Allowed'],
    ['a key as the second OS user', 'Tagged', pushKey(dbArn, 'ubuntu', { 'aws:ResourceTag/team': 'web' }), 'Allowed'],
    ['a key for an instance tagged team=db', 'Tagged', pushKey(dbArn, 'ec2-user', { 'aws:ResourceTag/team': 'db' }), 'ImplicitlyDenied'],
    ['a key for an untagged instance', 'Tagged', pushKey(dbArn, 'ec2-user'), 'ImplicitlyDenied'],
    ['a key for root on a tagged instance', 'Tagged', pushKey(webArn, 'root', { 'aws:ResourceTag/team': 'web' }), 'ExplicitlyDenied'],
    ['a tunnel inside the VPC', 'Tagged', tunnel(dbIp), 'Allowed'],
    ['a tunnel outside the VPC', 'Tagged', tunnel('192.168.1.10'), 'ImplicitlyDenied'],
    ['re-tagging an instance with the access tag', 'Tagged', tag('ec2:CreateTags', ['team']), 'ExplicitlyDenied'],
    ['removing the access tag', 'Tagged', tag('ec2:DeleteTags', ['team']), 'ExplicitlyDenied'],
    ['tagging an Auto Scaling group with the access tag', 'Tagged', tag('autoscaling:CreateOrUpdateTags', ['Name', 'team'], '*'), 'ExplicitlyDenied'],
    ['tagging with another key', 'Tagged', tag('ec2:CreateTags', ['Name']), 'ImplicitlyDenied'],
    ['removing another tag key', 'Tagged', tag('ec2:DeleteTags', ['Name']), 'ImplicitlyDenied'],
    ['removing every tag (DeleteTags without a key list)', 'Tagged', { action: 'ec2:DeleteTags', resource: webArn, context: {} }, 'ExplicitlyDenied'],
    ['tagging with the access key in capitals', 'Tagged', tag('ec2:CreateTags', ['TEAM']), 'ExplicitlyDenied'],
    ['SSH on port 3389 (tag grant)', 'Tagged', tunnel(dbIp, { 'ec2-instance-connect:remotePort': '3389' }), 'ImplicitlyDenied'],
    ['a tunnel longer than the service maximum (tag grant)', 'Tagged', tunnel(dbIp, { 'ec2-instance-connect:maxTunnelDuration': '7200' }), 'ImplicitlyDenied'],
    ['a key for an OS user not granted (tag grant)', 'Tagged', pushKey(webArn, 'admin', { 'aws:ResourceTag/team': 'web' }), 'ImplicitlyDenied'],
    ['CreateInstanceConnectEndpoint (tag grant)', 'Tagged', controlPlane('ec2:CreateInstanceConnectEndpoint', otherEndpointArn, inThisVpc), 'ExplicitlyDenied'],

    // Rdp: the Windows instance on 3389.
    ['RDP to the Windows instance', 'Rdp', tunnel(windowsIp, { 'ec2-instance-connect:remotePort': '3389' }), 'Allowed'],
    ['SSH to the Windows instance', 'Rdp', tunnel(windowsIp), 'ImplicitlyDenied'],
    ['RDP to another instance', 'Rdp', tunnel(webIp, { 'ec2-instance-connect:remotePort': '3389' }), 'ImplicitlyDenied'],
    ['RDP from anywhere (no source range granted)', 'Rdp', tunnel(windowsIp, { 'ec2-instance-connect:remotePort': '3389', 'aws:SourceIp': OTHER_IP }), 'Allowed'],
    ['a key for the Windows instance', 'Rdp', pushKey(windowsArn, 'Administrator'), 'Allowed'],
    ['a key for another OS user on the Windows instance', 'Rdp', pushKey(windowsArn, 'ec2-user'), 'ImplicitlyDenied'],
    ['an RDP tunnel longer than the service maximum', 'Rdp', tunnel(windowsIp, { 'ec2-instance-connect:remotePort': '3389', 'ec2-instance-connect:maxTunnelDuration': '7200' }), 'ImplicitlyDenied'],

    // Root: allowRootLogin.
    ['root with allowRootLogin', 'Root', pushKey(webArn, 'root'), 'Allowed'],
    ['another OS user when only root was granted', 'Root', pushKey(webArn, 'ec2-user'), 'ImplicitlyDenied'],
    ['a one-hour tunnel without --max-tunnel-duration', 'Root', tunnel(webIp), 'Allowed'],
    ['a tunnel longer than the service maximum (root grant)', 'Root', tunnel(webIp, { 'ec2-instance-connect:maxTunnelDuration': '7200' }), 'ImplicitlyDenied'],
    ['port 3389 (root grant)', 'Root', tunnel(webIp, { 'ec2-instance-connect:remotePort': '3389' }), 'ImplicitlyDenied'],
    ['another instance (root grant)', 'Root', tunnel(dbIp), 'ImplicitlyDenied'],

    // ById: instance IDs only, so tunnels stay within the VPC CIDR.
    ['a key for the granted instance ID', 'ById', pushKey(instanceArn('i-0123456789abcdef0'), 'ec2-user'), 'Allowed'],
    ['a key for another instance ID', 'ById', pushKey(instanceArn('i-0123456789abcdef1'), 'ec2-user'), 'ImplicitlyDenied'],
    ['a tunnel inside the VPC (ID grant)', 'ById', tunnel(webIp), 'Allowed'],
    ['a tunnel outside the VPC (ID grant)', 'ById', tunnel('172.16.0.1'), 'ImplicitlyDenied'],
    ['port 3389 (ID grant)', 'ById', tunnel(webIp, { 'ec2-instance-connect:remotePort': '3389' }), 'ImplicitlyDenied'],
    ['a tunnel longer than the service maximum (ID grant)', 'ById', tunnel(webIp, { 'ec2-instance-connect:maxTunnelDuration': '7200' }), 'ImplicitlyDenied'],
    ['a key for another OS user (ID grant)', 'ById', pushKey(instanceArn('i-0123456789abcdef0'), 'ubuntu'), 'ImplicitlyDenied'],

    // Timed: inside the window only.
    ['a tunnel inside the window', 'Timed', tunnel(webIp, { 'aws:CurrentTime': '2030-01-03T12:00:00Z' }), 'Allowed'],
    ['a key inside the window', 'Timed', pushKey(webArn, 'ec2-user', { 'aws:CurrentTime': '2030-01-03T12:00:00Z' }), 'Allowed'],
    ['DescribeInstances inside the window', 'Timed', { ...describe('ec2:DescribeInstances'), context: { 'aws:CurrentTime': '2030-01-03T12:00:00Z' } }, 'Allowed'],
    ['a tunnel before the window opens', 'Timed', tunnel(webIp, { 'aws:CurrentTime': '2029-12-31T23:59:59Z' }), 'ImplicitlyDenied'],
    ['a tunnel after the window closes', 'Timed', tunnel(webIp, { 'aws:CurrentTime': '2030-01-08T00:00:01Z' }), 'ImplicitlyDenied'],
    ['a key after the window closes', 'Timed', pushKey(webArn, 'ec2-user', { 'aws:CurrentTime': '2030-02-01T00:00:00Z' }), 'ImplicitlyDenied'],
    ['port 3389 inside the window', 'Timed', tunnel(webIp, { 'aws:CurrentTime': '2030-01-03T12:00:00Z', 'ec2-instance-connect:remotePort': '3389' }), 'ImplicitlyDenied'],
    ['a two-hour tunnel inside the window', 'Timed', tunnel(webIp, { 'aws:CurrentTime': '2030-01-03T12:00:00Z', 'ec2-instance-connect:maxTunnelDuration': '7200' }), 'ImplicitlyDenied'],
    ['another instance inside the window', 'Timed', tunnel(dbIp, { 'aws:CurrentTime': '2030-01-03T12:00:00Z' }), 'ImplicitlyDenied'],
    ['a key for another OS user inside the window', 'Timed', pushKey(webArn, 'ubuntu', { 'aws:CurrentTime': '2030-01-03T12:00:00Z' }), 'ImplicitlyDenied'],
    ['a key before the window opens', 'Timed', pushKey(webArn, 'ec2-user', { 'aws:CurrentTime': '2029-06-01T00:00:00Z' }), 'ImplicitlyDenied'],
    ['DescribeInstances before the window opens', 'Timed', { ...describe('ec2:DescribeInstances'), context: { 'aws:CurrentTime': '2029-06-01T00:00:00Z' } }, 'ImplicitlyDenied'],
    ['DescribeInstances after the window closes', 'Timed', { ...describe('ec2:DescribeInstances'), context: { 'aws:CurrentTime': '2031-01-01T00:00:00Z' } }, 'ImplicitlyDenied'],

    // Mfa: a recent MFA sign-in, on every statement.
    ['a tunnel with a fresh MFA sign-in', 'Mfa', tunnel(webIp, { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '600' }), 'Allowed'],
    ['a key with a fresh MFA sign-in', 'Mfa', pushKey(webArn, 'ec2-user', { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '3600' }), 'Allowed'],
    ['a tunnel with a stale MFA sign-in', 'Mfa', tunnel(webIp, { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '3601' }), 'ImplicitlyDenied'],
    ['a key with a stale MFA sign-in', 'Mfa', pushKey(webArn, 'ec2-user', { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '7200' }), 'ImplicitlyDenied'],
    ['a tunnel from a session without MFA', 'Mfa', tunnel(webIp, { 'aws:MultiFactorAuthPresent': 'false', 'aws:MultiFactorAuthAge': '60' }), 'ImplicitlyDenied'],
    ['a tunnel from a session without the MFA keys (federated)', 'Mfa', tunnel(webIp), 'ImplicitlyDenied'],
    ['DescribeInstances without MFA', 'Mfa', describe('ec2:DescribeInstances'), 'ImplicitlyDenied'],
    ['port 3389 with a fresh MFA sign-in', 'Mfa', tunnel(webIp, { ...FRESH_MFA, 'ec2-instance-connect:remotePort': '3389' }), 'ImplicitlyDenied'],
    ['a two-hour tunnel with a fresh MFA sign-in', 'Mfa', tunnel(webIp, { ...FRESH_MFA, 'ec2-instance-connect:maxTunnelDuration': '7200' }), 'ImplicitlyDenied'],
    ['another instance with a fresh MFA sign-in', 'Mfa', tunnel(dbIp, FRESH_MFA), 'ImplicitlyDenied'],
    ['a key for another OS user with a fresh MFA sign-in', 'Mfa', pushKey(webArn, 'ubuntu', FRESH_MFA), 'ImplicitlyDenied'],
    ['a key from a session without MFA', 'Mfa', pushKey(webArn, 'ec2-user', { ...FRESH_MFA, 'aws:MultiFactorAuthPresent': 'false' }), 'ImplicitlyDenied'],
    ['DescribeInstances from a session without MFA', 'Mfa',
      { ...describe('ec2:DescribeInstances'), context: { ...FRESH_MFA, 'aws:MultiFactorAuthPresent': 'false' } }, 'ImplicitlyDenied'],
    ['DescribeInstances with a stale MFA sign-in', 'Mfa',
      { ...describe('ec2:DescribeInstances'), context: { ...FRESH_MFA, 'aws:MultiFactorAuthAge': '86400' } }, 'ImplicitlyDenied'],
    ['DescribeInstances with a fresh MFA sign-in', 'Mfa',
      { ...describe('ec2:DescribeInstances'), context: { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '60' } }, 'Allowed'],

    // RdpOnly: tunnels on 3389, and no key push at all.
    ['RDP with no OS user granted', 'RdpOnly', tunnel(windowsIp, { 'ec2-instance-connect:remotePort': '3389' }), 'Allowed'],
    ['a key push when the grant only opens RDP', 'RdpOnly', pushKey(windowsArn, 'Administrator'), 'ImplicitlyDenied'],
    ['SSH when the grant only opens RDP', 'RdpOnly', tunnel(windowsIp), 'ImplicitlyDenied'],
    ['a two-hour RDP tunnel', 'RdpOnly', tunnel(windowsIp, { 'ec2-instance-connect:remotePort': '3389', 'ec2-instance-connect:maxTunnelDuration': '7200' }), 'ImplicitlyDenied'],
    ['RDP to another instance', 'RdpOnly', tunnel(webIp, { 'ec2-instance-connect:remotePort': '3389' }), 'ImplicitlyDenied'],

    // The control-plane role manages endpoints of this VPC and can do nothing on the data plane.
    ['create an endpoint in this VPC', 'ControlPlane', controlPlane('ec2:CreateInstanceConnectEndpoint', otherEndpointArn, inThisVpc), 'Allowed'],
    ['create an endpoint in another VPC', 'ControlPlane', controlPlane('ec2:CreateInstanceConnectEndpoint', otherEndpointArn, inAnotherVpc), 'ImplicitlyDenied'],
    ['create an endpoint without a subnet in the request', 'ControlPlane', controlPlane('ec2:CreateInstanceConnectEndpoint', otherEndpointArn), 'ImplicitlyDenied'],
    ['create an endpoint in a subnet of this VPC', 'ControlPlane', controlPlane('ec2:CreateInstanceConnectEndpoint', subnetArn), 'Allowed'],
    ['create an endpoint with its own security group', 'ControlPlane', controlPlane('ec2:CreateInstanceConnectEndpoint', endpointSgArn), 'Allowed'],
    ['create an endpoint in a subnet of another VPC', 'ControlPlane', controlPlane('ec2:CreateInstanceConnectEndpoint', `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/subnet-0other`), 'ImplicitlyDenied'],
    ['create an endpoint with another security group', 'ControlPlane', controlPlane('ec2:CreateInstanceConnectEndpoint', `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/sg-0other`), 'ImplicitlyDenied'],
    ['modify the endpoint', 'ControlPlane', controlPlane('ec2:ModifyInstanceConnectEndpoint', endpointArn), 'Allowed'],
    ['modify another VPC\'s endpoint', 'ControlPlane', controlPlane('ec2:ModifyInstanceConnectEndpoint', otherEndpointArn), 'ImplicitlyDenied'],
    ['delete the endpoint', 'ControlPlane', controlPlane('ec2:DeleteInstanceConnectEndpoint', endpointArn, inThisVpc), 'Allowed'],
    ['delete an endpoint re-created in this VPC', 'ControlPlane', controlPlane('ec2:DeleteInstanceConnectEndpoint', otherEndpointArn, inThisVpc), 'Allowed'],
    ['delete another VPC\'s endpoint', 'ControlPlane', controlPlane('ec2:DeleteInstanceConnectEndpoint', otherEndpointArn, inAnotherVpc), 'ImplicitlyDenied'],
    ['describe endpoints', 'ControlPlane', controlPlane('ec2:DescribeInstanceConnectEndpoints', '*'), 'Allowed'],
    ['create the endpoint\'s network interface', 'ControlPlane', controlPlane('ec2:CreateNetworkInterface', `arn:aws:ec2:${REGION}:${ACCOUNT}:network-interface/*`), 'Allowed'],
    ['tag a new endpoint', 'ControlPlane', controlPlane('ec2:CreateTags', otherEndpointArn, { 'ec2:CreateAction': 'CreateInstanceConnectEndpoint' }), 'Allowed'],
    ['tag an existing endpoint', 'ControlPlane', controlPlane('ec2:CreateTags', endpointArn), 'ImplicitlyDenied'],
    ['tag an instance', 'ControlPlane', controlPlane('ec2:CreateTags', webArn, { 'ec2:CreateAction': 'RunInstances' }), 'ImplicitlyDenied'],
    ['create the service-linked role', 'ControlPlane', controlPlane('iam:CreateServiceLinkedRole',
      `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ec2-instance-connect.amazonaws.com/AWSServiceRoleForEc2InstanceConnect`,
      { 'iam:AWSServiceName': 'ec2-instance-connect.amazonaws.com' }), 'Allowed'],
    ['create another service\'s linked role', 'ControlPlane', controlPlane('iam:CreateServiceLinkedRole',
      `arn:aws:iam::${ACCOUNT}:role/aws-service-role/elasticmapreduce.amazonaws.com/AWSServiceRoleForEMR`,
      { 'iam:AWSServiceName': 'elasticmapreduce.amazonaws.com' }), 'ImplicitlyDenied'],
    ['create a linked role under the service\'s path for another service', 'ControlPlane', controlPlane('iam:CreateServiceLinkedRole',
      `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ec2-instance-connect.amazonaws.com/Other`,
      { 'iam:AWSServiceName': 'elasticmapreduce.amazonaws.com' }), 'ImplicitlyDenied'],
    ['open a tunnel', 'ControlPlane', tunnel(webIp), 'ExplicitlyDenied'],
    ['push a key', 'ControlPlane', pushKey(webArn, 'ec2-user'), 'ExplicitlyDenied'],
    ['push a serial-console key', 'ControlPlane', { ...pushKey(webArn, 'ec2-user'), action: 'ec2-instance-connect:SendSerialConsoleSSHPublicKey' }, 'ExplicitlyDenied'],
    ['describe instances', 'ControlPlane', describe('ec2:DescribeInstances'), 'ImplicitlyDenied'],

    // grantConnect on an existing role: the data plane only, and nothing of the control plane.
    ['an existing role tunnels to its instance', 'Sso', tunnel(dbIp), 'Allowed'],
    ['an existing role pushes a key to its instance', 'Sso', pushKey(dbArn, 'ec2-user'), 'Allowed'],
    ['an existing role pushes a key to another instance', 'Sso', pushKey(webArn, 'ec2-user'), 'ImplicitlyDenied'],
    ['an existing role tunnels to another instance', 'Sso', tunnel(webIp), 'ImplicitlyDenied'],
    ['an existing role tunnels on port 3389', 'Sso', tunnel(dbIp, { 'ec2-instance-connect:remotePort': '3389' }), 'ImplicitlyDenied'],
    ['an existing role asks for a tunnel longer than the service maximum', 'Sso', tunnel(dbIp, { 'ec2-instance-connect:maxTunnelDuration': '7200' }), 'ImplicitlyDenied'],
    ['an existing role pushes a key for another OS user', 'Sso', pushKey(dbArn, 'ubuntu'), 'ImplicitlyDenied'],
    ['an existing role gets no control plane', 'Sso', controlPlane('ec2:CreateInstanceConnectEndpoint', otherEndpointArn, inThisVpc), 'ImplicitlyDenied'],
  ];
  return rows.map(([name, role, request, expected]) => ({ name, role, request, expected }));
}
