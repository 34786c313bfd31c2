import { AWS_MANAGED_POLICY_DOCUMENTS } from './aws-managed-policy-documents.generated';
import { Statement } from './policy-statements';

/**
 * The AWS-managed policies that can reach either plane, by path and name (`/service-role/Name`). The snapshot holds
 * the latest version of each, with only its statements that can match an EC2 Instance Connect action; a policy not in
 * it grants and denies nothing of either plane.
 */
let byPathAndName: Map<string, Statement[]> | undefined;

/**
 * The statements of an AWS-managed policy named by its ARN (rendered by `flattenReference`, so any partition,
 * `<AWS::Partition>` included); none for other ARNs. The path must be the policy's: an ARN with another path names
 * no policy, and CloudFormation fails to attach it.
 */
export function awsManagedPolicyStatements(arn: string): Statement[] {
  const match = /:iam::aws:policy(\/(?:[^/]*\/)*)([^/]+)$/.exec(arn);
  if (match === null) {
    return [];
  }
  byPathAndName ??= new Map(AWS_MANAGED_POLICY_DOCUMENTS.map(p => [`${p.path}${p.name}`, [...p.statements]]));
  return [...byPathAndName.get(`${match[1]}${match[2]}`) ?? []];
}
