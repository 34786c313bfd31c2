import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleResult } from 'cdk-nag';
import { boundByPattern, contextOf, edges, outside, PRIVATE_ADDRESSES, reachesAny, value, verdict, writtenValues } from '../../private/semantics/probes';
import { validateNetworkRanges } from '../../private/validation';
import { OPEN_TUNNEL, PRIVATE_IP_ADDRESS_KEY } from '../../private/vocabulary';

/**
 * `ec2-instance-connect:OpenTunnel` names the instances it reaches by `ec2-instance-connect:privateIpAddress`, the
 * only way a tunnel can be narrowed to instances (its resource is the endpoint): IAM would refuse a request
 * without the key and an address outside the networks the statement names, and those networks are not every
 * address in any form.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult =>
  verdict(node, [OPEN_TUNNEL], (grants, statement, action) => {
    const named = writtenValues([statement], PRIVATE_IP_ADDRESS_KEY, grants);
    if (validateNetworkRanges(named) !== undefined || boundByPattern(statement, PRIVATE_IP_ADDRESS_KEY)) {
      return reachesAny(grants, statement, action, [contextOf({})]);
    }
    const probes = outside([...PRIVATE_ADDRESSES, ...edges(named)], named);
    return reachesAny(grants, statement, action, [
      contextOf({ [PRIVATE_IP_ADDRESS_KEY]: 'absent' }),
      ...probes.map(address => contextOf({ [PRIVATE_IP_ADDRESS_KEY]: value(address) })),
    ]);
  }), 'name', { value: parse(__filename).name });

