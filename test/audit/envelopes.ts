/**
 * Sample events as the event log holds them: EventBridge events of type "AWS API Call via CloudTrail" whose `detail`
 * is the CloudTrail record. Built from AWS's documentation of both formats, not from the library's queries:
 *
 * - the EventBridge envelope (version, id, detail-type, source, account, time, region, resources, detail):
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html and
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html (CloudTrail sends
 *   "AWS API Call via CloudTrail" events, the record in `detail`; the source is `aws.` and the service's name);
 * - the CloudTrail record's fields (userIdentity, eventSource, eventName, sourceIPAddress, requestParameters,
 *   responseElements, errorCode, errorMessage, recipientAccountId):
 *   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html;
 * - the OpenTunnel record, copied from the documented example:
 *   https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/log-ec2-instance-connect-endpoint-using-cloudtrail.html
 *   (its endpoint ID has the documentation's `eici-` prefix; real IDs begin with `eice-`);
 * - SendSSHPublicKey: AWS documents no sample record; its requestParameters carry the API's request members
 *   (InstanceId, InstanceOSUser, SSHPublicKey) in CloudTrail's lower-camel form,
 *   https://docs.aws.amazon.com/ec2-instance-connect/latest/APIReference/API_SendSSHPublicKey.html;
 * - endpoint changes are EC2 management events (same EC2 page); the queries read no EC2 request parameter by path,
 *   only the endpoint ID anywhere in the message, so the shape of EC2's requestParameters does not matter to them.
 */

/** The OpenTunnel record of the EC2 User Guide. */
const OPEN_TUNNEL_RECORD = {
  eventVersion: '1.08',
  userIdentity: {
    type: 'IAMUser',
    principalId: 'ABCDEFGONGNOMOOCB6XYTQEXAMPLE',
    arn: 'arn:aws:iam::1234567890120:user/IAM-friendly-name',
    accountId: '123456789012',
    accessKeyId: 'ABCDEFGUKZHNAW4OSN2AEXAMPLE',
    userName: 'IAM-friendly-name',
  },
  eventTime: '2023-04-11T23:50:40Z',
  eventSource: 'ec2-instance-connect.amazonaws.com',
  eventName: 'OpenTunnel',
  awsRegion: 'us-east-1',
  sourceIPAddress: '1.2.3.4',
  userAgent: 'aws-cli/1.15.61 Python/2.7.10 Darwin/16.7.0 botocore/1.10.60',
  requestParameters: {
    instanceConnectEndpointId: 'eici-0123456789EXAMPLE',
    maxTunnelDuration: '3600',
    remotePort: '22',
    privateIpAddress: '10.0.1.1',
  },
  responseElements: null,
  requestID: '98deb2c6-3b3a-437c-a680-03c4207b6650',
  eventID: 'bbba272c-8777-43ad-91f6-c4ab1c7f96fd',
  readOnly: false,
  resources: [{
    accountId: '123456789012',
    type: 'AWS::EC2::InstanceConnectEndpoint',
    ARN: 'arn:aws:ec2:us-east-1:123456789012:instance-connect-endpoint/eici-0123456789EXAMPLE',
  }],
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: '123456789012',
  eventCategory: 'Management',
};

/** The EventBridge event that carries `record`, as CloudTrail delivers it to a bus. */
function envelope(record: Record<string, any>, service: string): Record<string, any> {
  return {
    'version': '0',
    'id': '36eb8523-97d0-4518-b33d-ee3579ff19f0',
    'detail-type': 'AWS API Call via CloudTrail',
    'source': `aws.${service}`,
    'account': record.recipientAccountId,
    'time': record.eventTime,
    'region': record.awsRegion,
    'resources': [],
    'detail': record,
  };
}

/** A tunnel opened (the documented record). */
export const OPEN_TUNNEL = envelope(OPEN_TUNNEL_RECORD, 'ec2-instance-connect');

/** The same tunnel refused by IAM: CloudTrail adds errorCode and errorMessage, and records no response. */
export const OPEN_TUNNEL_REFUSED = envelope({
  ...OPEN_TUNNEL_RECORD,
  errorCode: 'AccessDenied',
  errorMessage: 'User: arn:aws:iam::123456789012:user/IAM-friendly-name is not authorized to perform: ec2-instance-connect:OpenTunnel',
}, 'ec2-instance-connect');

/** A one-time key pushed to an instance for an OS user. */
export const SEND_SSH_PUBLIC_KEY = envelope({
  ...OPEN_TUNNEL_RECORD,
  eventName: 'SendSSHPublicKey',
  requestParameters: { instanceId: 'i-0123456789abcdef0', instanceOSUser: 'ec2-user', sSHPublicKey: 'ssh-ed25519 AAAAC3NzaEXAMPLE' },
  responseElements: { requestId: '98deb2c6-3b3a-437c-a680-03c4207b6650', success: true },
  resources: undefined,
}, 'ec2-instance-connect');

/** An endpoint deleted (an EC2 management event). */
export const DELETE_ENDPOINT = envelope({
  ...OPEN_TUNNEL_RECORD,
  eventSource: 'ec2.amazonaws.com',
  eventName: 'DeleteInstanceConnectEndpoint',
  requestParameters: { DeleteInstanceConnectEndpointRequest: { InstanceConnectEndpointId: 'eice-0123456789abcdef0' } },
  responseElements: null,
  resources: undefined,
}, 'ec2');

/** A trail stopped (a CloudTrail management event). */
export const STOP_LOGGING = envelope({
  ...OPEN_TUNNEL_RECORD,
  eventSource: 'cloudtrail.amazonaws.com',
  eventName: 'StopLogging',
  requestParameters: { name: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/management' },
  responseElements: null,
  resources: undefined,
}, 'cloudtrail');

export const ALL_ENVELOPES: Record<string, Record<string, any>> = {
  OPEN_TUNNEL, OPEN_TUNNEL_REFUSED, SEND_SSH_PUBLIC_KEY, DELETE_ENDPOINT, STOP_LOGGING,
};

/**
 * The field paths a Logs Insights query reads, as Logs Insights names JSON fields (dots between levels, backticks
 * around names with other characters): every dotted or back-ticked name outside string and regex literals. Names the
 * query makes itself (`as x`, a parse pattern's groups) and Logs Insights' own (`@timestamp`, `@message`) are not
 * event fields and are left out.
 */
export function fieldPaths(query: string): string[] {
  const code = query
    .replace(/^SOURCE '[^']*' \|/, '')
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\/(?:[^/\\\n]|\\.)+\//g, '//');
  const dotted = code.match(/(?<![\w@.`])[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)+/g) ?? [];
  const ticked = (code.match(/`[^`]+`/g) ?? []).map(t => t.slice(1, -1));
  return [...new Set([...dotted, ...ticked])].sort();
}

/** Whether `path` (Logs Insights' dotted name) names a field of `event`. */
export function hasPath(event: Record<string, any>, path: string): boolean {
  let node: any = event;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object' || !(part in node)) {
      return false;
    }
    node = node[part];
  }
  return node !== undefined;
}
