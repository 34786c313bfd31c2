import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleResult } from 'cdk-nag';
import { boundByPattern, contextOf, numericCandidates, reachesAny, value, verdict, writtenValues } from '../../private/semantics/probes';
import { MAX_TUNNEL_DURATION_KEY, MAX_TUNNEL_DURATION_SECONDS, OPEN_TUNNEL } from '../../private/vocabulary';

/**
 * `ec2-instance-connect:OpenTunnel` is allowed only with `ec2-instance-connect:maxTunnelDuration` bounded at the
 * service's 3600 seconds or less: IAM would refuse a request without the key and every whole number of seconds
 * above 3600 (`NumericLessThan 3601` is exactly one hour).
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult =>
  verdict(node, [OPEN_TUNNEL], (grants, statement, action) => {
    if (boundByPattern(statement, MAX_TUNNEL_DURATION_KEY)) {
      return reachesAny(grants, statement, action, [contextOf({})]);
    }
    const bounds = writtenValues(grants.heldStatements().flat().concat(statement), MAX_TUNNEL_DURATION_KEY, grants);
    const tooLong = numericCandidates([...bounds, String(MAX_TUNNEL_DURATION_SECONDS)], MAX_TUNNEL_DURATION_SECONDS + 1, 1e9);
    return reachesAny(grants, statement, action, [
      contextOf({ [MAX_TUNNEL_DURATION_KEY]: 'absent' }),
      ...tooLong.map(seconds => contextOf({ [MAX_TUNNEL_DURATION_KEY]: value(String(seconds.value)) })),
    ]);
  }), 'name', { value: parse(__filename).name });
