import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { allowsOf, resourcesOf, statementsOf } from './private/policy-statements';

/**
 * `ec2-instance-connect:OpenTunnel` is allowed on named endpoints, not on `*` or every endpoint.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const allows = allowsOf(statementsOf(node), 'ec2-instance-connect:OpenTunnel');
  if (allows.length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const anyEndpoint = (resource: string) => resource === '*' || /instance-connect-endpoint\/\*$/.test(resource) || /^arn:[^:]*:ec2:[^:]*:[^:]*:\*$/.test(resource);
  return allows.some(s => resourcesOf(s).some(anyEndpoint)) ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });
