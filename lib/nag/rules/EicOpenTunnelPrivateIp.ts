import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleResult } from 'cdk-nag';
import { contextOf, outside, PRIVATE_ADDRESSES, reachesAny, value, verdict, writtenValues } from './private/probes';
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
    if (validateNetworkRanges(named) !== undefined) {
      return reachesAny(grants, statement, action, [contextOf({})]);
    }
    const probes = outside([...PRIVATE_ADDRESSES, ...edges(named)], named);
    return reachesAny(grants, statement, action, [
      contextOf({ [PRIVATE_IP_ADDRESS_KEY]: 'absent' }),
      ...probes.map(address => contextOf({ [PRIVATE_IP_ADDRESS_KEY]: value(address) })),
    ]);
  }), 'name', { value: parse(__filename).name });

/** The IPv4 addresses just outside each range: a range's neighbours are the first addresses it leaves out. */
function edges(ranges: string[]): string[] {
  return ranges.filter(r => /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(r)).flatMap(r => {
    const [address, prefix] = r.split('/');
    const n = address.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
    const size = 2 ** (32 - Number(prefix ?? 32));
    const first = Math.floor(n / size) * size;
    return [first - 1, first + size].filter(x => x >= 0 && x < 2 ** 32)
      .map(x => [24, 16, 8, 0].map(shift => Math.floor(x / 2 ** shift) % 256).join('.'));
  });
}
