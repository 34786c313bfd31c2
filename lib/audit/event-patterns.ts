/**
 * How EC2 Instance Connect activity appears in CloudTrail: both calls are management events of the
 * `ec2-instance-connect.amazonaws.com` event source.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/log-ec2-instance-connect-endpoint-using-cloudtrail.html
 */
export const EVENT_SOURCE = 'ec2-instance-connect.amazonaws.com';

/** The calls that open a connection: a tunnel through an endpoint, and a one-time key push. */
export const CONNECT_EVENT_NAMES = ['OpenTunnel', 'SendSSHPublicKey'];

/** CloudWatch Logs filter patterns on the trail's log group, one metric each. */
export const METRIC_FILTER_PATTERNS = {
  /** Every tunnel opened through an endpoint, successful or not. */
  tunnelsOpened: `{ ($.eventSource = "${EVENT_SOURCE}") && ($.eventName = "OpenTunnel") }`,
  /** Every one-time key pushed to an instance, successful or not. */
  keysPushed: `{ ($.eventSource = "${EVENT_SOURCE}") && ($.eventName = "SendSSHPublicKey") }`,
  /** Tunnels and key pushes that IAM (or the service) refused. */
  accessDenied: `{ ($.eventSource = "${EVENT_SOURCE}") && (($.eventName = "OpenTunnel") || ($.eventName = "SendSSHPublicKey")) ` +
    '&& (($.errorCode = "AccessDenied*") || ($.errorCode = "*UnauthorizedOperation")) }',
};

/**
 * The EventBridge pattern of every tunnel and key push. CloudTrail delivers management events to the default bus
 * as "AWS API Call via CloudTrail"; the match is on `detail`, which is CloudTrail's record.
 */
export const CONNECT_EVENT_PATTERN = {
  detailType: ['AWS API Call via CloudTrail'],
  detail: {
    eventSource: [EVENT_SOURCE],
    eventName: CONNECT_EVENT_NAMES,
  },
};
