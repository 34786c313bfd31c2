/**
 * The actions of the two planes. Each plane's roles carry an explicit deny of the other plane's actions.
 */

/** Managing endpoints: what only the control-plane role may do. */
export const CONTROL_PLANE_ACTIONS = [
  'ec2:CreateInstanceConnectEndpoint',
  'ec2:ModifyInstanceConnectEndpoint',
  'ec2:DeleteInstanceConnectEndpoint',
];

/** Using endpoints and pushing keys: what only data-plane (operator) roles may do. */
export const DATA_PLANE_ACTIONS = [
  'ec2-instance-connect:OpenTunnel',
  'ec2-instance-connect:SendSSHPublicKey',
  'ec2-instance-connect:SendSerialConsoleSSHPublicKey',
];

/** What the AWS CLI's `ssh` and `open-tunnel` commands describe; these take no resource-level permissions. */
export const DATA_PLANE_DESCRIBE_ACTIONS = [
  'ec2:DescribeInstances',
  'ec2:DescribeInstanceConnectEndpoints',
];
