import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { allowsOf, boundValues, isInternet, statementsOf } from './private/policy-statements';
import { OPEN_TUNNEL, PRIVATE_IP_ADDRESS_KEY } from '../../private/vocabulary';

/**
 * `ec2-instance-connect:OpenTunnel` names the instances it reaches: a plain `IpAddress` on
 * `ec2-instance-connect:privateIpAddress` (not every address, in any form), the only way a tunnel can be narrowed
 * to instances (its resource is the endpoint). Without it, a grant reaches every instance the endpoint's security
 * group reaches.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const allows = allowsOf(statementsOf(node), OPEN_TUNNEL);
  if (allows.length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  // Addresses that amount to every address (0.0.0.0/0, or pieces) name no instance.
  const bounded = (s: typeof allows[number]) => {
    const addresses = boundValues(s, PRIVATE_IP_ADDRESS_KEY, ['IpAddress']);
    return addresses !== undefined && addresses.length > 0 && !isInternet(addresses);
  };
  return allows.every(bounded) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}, 'name', { value: parse(__filename).name });
