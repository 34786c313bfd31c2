import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleResult } from 'cdk-nag';
import { boundByPattern, contextOf, edges, INTERNET_ADDRESSES, outside, reachesAny, value, verdict, writtenValues } from '../../private/semantics/probes';
import { validateNetworkRanges } from '../../private/validation';
import { DATA_PLANE_ACTIONS, SOURCE_IP_KEY } from '../../private/vocabulary';

/**
 * Opening tunnels and pushing keys are allowed only from named client networks: IAM would refuse a person's
 * request (not one an AWS service makes for them) from an internet address outside the networks the statement and
 * its holders' denies name, and from a request without `aws:SourceIp`. Networks that add up to every address
 * name none.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult =>
  verdict(node, DATA_PLANE_ACTIONS, (grants, statement, action) => {
    const own = writtenValues([statement], SOURCE_IP_KEY, grants);
    const direct = { 'aws:ViaAWSService': value('false') };
    if (validateNetworkRanges(own) !== undefined || boundByPattern(statement, SOURCE_IP_KEY)) {
      return reachesAny(grants, statement, action, [contextOf(direct)]);
    }
    const named = [...own, ...writtenValues(grants.heldStatements().flat(), SOURCE_IP_KEY, grants)]
      .filter(r => validateNetworkRanges([r]) === undefined);
    return reachesAny(grants, statement, action, [
      contextOf({ ...direct, [SOURCE_IP_KEY]: 'absent' }),
      // Internet addresses, and the first ones just outside each network named, which no fixed list can foresee.
      ...outside([...INTERNET_ADDRESSES, ...edges(named)], named).map(address => contextOf({ ...direct, [SOURCE_IP_KEY]: value(address) })),
    ]);
  }), 'name', { value: parse(__filename).name });
