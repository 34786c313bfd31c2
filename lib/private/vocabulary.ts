/**
 * EC2 Instance Connect's vocabulary: IAM actions, condition keys, tunnelled ports and CloudTrail event names.
 *
 * The constructs, the cdk-nag rules and the audit alerts all import these lists, so that a new action (the serial
 * console's key push was once missing from the checks) is added in one place.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2instanceconnect.html
 */

/** Opens a tunnel through an endpoint. Its only resource is the endpoint, so instances are named by private IP. */
export const OPEN_TUNNEL = 'ec2-instance-connect:OpenTunnel';
/** Pushes a one-time SSH key to an instance, for an OS user (`ec2:osuser`). */
export const SEND_SSH_PUBLIC_KEY = 'ec2-instance-connect:SendSSHPublicKey';
/** Pushes a one-time key for the instance's serial console: a shell without the network, so data plane too. */
export const SEND_SERIAL_CONSOLE_SSH_PUBLIC_KEY = 'ec2-instance-connect:SendSerialConsoleSSHPublicKey';

/** Using endpoints and pushing keys: what only data-plane (operator) principals may do. */
export const DATA_PLANE_ACTIONS = [OPEN_TUNNEL, SEND_SSH_PUBLIC_KEY, SEND_SERIAL_CONSOLE_SSH_PUBLIC_KEY];

/** Managing endpoints: what only the control plane may do. */
export const CREATE_ENDPOINT = 'ec2:CreateInstanceConnectEndpoint';
export const MODIFY_ENDPOINT = 'ec2:ModifyInstanceConnectEndpoint';
export const DELETE_ENDPOINT = 'ec2:DeleteInstanceConnectEndpoint';
export const CONTROL_PLANE_ACTIONS = [CREATE_ENDPOINT, MODIFY_ENDPOINT, DELETE_ENDPOINT];

/** What the AWS CLI's `ssh` and `open-tunnel` commands describe; these take no resource-level permissions. */
export const DESCRIBE_INSTANCES = 'ec2:DescribeInstances';
export const DESCRIBE_ENDPOINTS = 'ec2:DescribeInstanceConnectEndpoints';
export const DATA_PLANE_DESCRIBE_ACTIONS = [DESCRIBE_INSTANCES, DESCRIBE_ENDPOINTS];

/**
 * Every API that writes or removes tags on existing instances, Auto Scaling groups (whose tags propagate to the
 * instances they launch) and endpoints. The Resource Groups Tagging API (`tag:TagResources`) calls these on the
 * caller's behalf and needs them too, so denying these denies it.
 */
export const TAG_WRITE_ACTIONS = ['ec2:CreateTags', 'ec2:DeleteTags', 'autoscaling:CreateOrUpdateTags', 'autoscaling:DeleteTags'];
/** Writing a tag on an existing instance (or endpoint): what makes a tag condition the grantee's to meet. */
export const INSTANCE_TAG_WRITE = 'ec2:CreateTags';

/** Condition keys (Service Authorization Reference spelling; IAM compares key names without regard to case). */
export const REMOTE_PORT_KEY = 'ec2-instance-connect:remotePort';
export const PRIVATE_IP_ADDRESS_KEY = 'ec2-instance-connect:privateIpAddress';
export const MAX_TUNNEL_DURATION_KEY = 'ec2-instance-connect:maxTunnelDuration';
export const OS_USER_KEY = 'ec2:osuser';
export const SOURCE_IP_KEY = 'aws:SourceIp';
export const TAG_KEYS_KEY = 'aws:TagKeys';
export const SUBNET_ID_KEY = 'ec2:SubnetID';
export const VPC_KEY = 'ec2:Vpc';
export const CURRENT_TIME_KEY = 'aws:CurrentTime';
export const MFA_PRESENT_KEY = 'aws:MultiFactorAuthPresent';
export const MFA_AGE_KEY = 'aws:MultiFactorAuthAge';
/** `aws:ResourceTag/<key>`: the tag key after the slash is matched without regard to case, unlike EC2 tag keys. */
export const RESOURCE_TAG_PREFIX = 'aws:ResourceTag/';
/** The EC2-specific spelling of the same key, which the service also evaluates. */
export const EC2_RESOURCE_TAG_PREFIX = 'ec2:ResourceTag/';

/** The keys a data-plane allow must bound (a missing key makes an allow fail, unless …IfExists lets it through). */
export const OPEN_TUNNEL_REQUIRED_KEYS = [REMOTE_PORT_KEY, PRIVATE_IP_ADDRESS_KEY, MAX_TUNNEL_DURATION_KEY];

/** The ports the service tunnels: SSH and RDP. */
export const SSH_PORT = 22;
export const RDP_PORT = 3389;
export const TUNNELLED_PORTS = [SSH_PORT, RDP_PORT];

/** The longest tunnel the service allows, and the upper bound of `ec2-instance-connect:maxTunnelDuration`. */
export const MAX_TUNNEL_DURATION_SECONDS = 3600;

/** The CloudTrail event source of the data plane. */
export const EVENT_SOURCE = 'ec2-instance-connect.amazonaws.com';
/** The CloudTrail event source of the control plane (endpoints are EC2 resources). */
export const EC2_EVENT_SOURCE = 'ec2.amazonaws.com';

/** The event name of an action: the part after the service prefix. */
export function eventName(action: string): string {
  return action.split(':')[1];
}

/** Events of connections: every data-plane action. */
export const CONNECT_EVENT_NAMES = DATA_PLANE_ACTIONS.map(eventName);
/** Events of endpoint changes: every control-plane action. */
export const ENDPOINT_CHANGE_EVENT_NAMES = CONTROL_PLANE_ACTIONS.map(eventName);
/** CloudTrail calls that stop or narrow what a trail records. */
export const TRAIL_TAMPERING_EVENT_NAMES = ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'];
/** KMS calls that make the audit keys unusable, and with them the encrypted audit records. */
export const KEY_TAMPERING_EVENT_NAMES = ['DisableKey', 'ScheduleKeyDeletion'];

/**
 * The tag `InstanceConnectAccess` puts on its endpoints by default, so that a permission set (in another account)
 * can name them: `OpenTunnel` sees only the endpoint's tags.
 */
export const DEFAULT_ENDPOINT_TAG = { key: 'instance-connect-access:endpoint', value: 'true' };

/** The prefix of the tag keys fleet grants put on instances, one key per grant. */
export const FLEET_TAG_PREFIX = 'instance-connect-access:grant:';
