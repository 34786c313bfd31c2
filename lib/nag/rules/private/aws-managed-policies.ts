import { Statement } from './policy-statements';

/**
 * The AWS-managed policies that reach EC2 Instance Connect's planes, by name: a principal that names one by ARN
 * gets these statements. Their documents are AWS's (AWS managed policy reference); only the statements that matter
 * here are kept, and a policy not listed is treated as granting nothing of either plane.
 *
 * @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html
 */
const AWS_MANAGED_POLICIES: Record<string, Statement[]> = {
  // Both planes: every action.
  AdministratorAccess: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  // Both planes: everything but IAM, Organizations and account management.
  PowerUserAccess: [{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }],
  // The control plane: every EC2 action, endpoints included.
  AmazonEC2FullAccess: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }],
  // The data plane: key pushes to every instance, for any OS user.
  EC2InstanceConnect: [{ Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2-instance-connect:SendSSHPublicKey'], Resource: '*' }],
};

/** The statements of an AWS-managed policy named by its ARN (rendered by `flattenReference`); none for others. */
export function awsManagedPolicyStatements(arn: string): Statement[] {
  const name = /:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
  return name !== undefined ? AWS_MANAGED_POLICIES[name] ?? [] : [];
}
