import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleResult } from 'cdk-nag';
import { boundByPattern, contextOf, numericCandidates, reachesAny, value, verdict, writtenValues } from '../../private/semantics/probes';
import { OPEN_TUNNEL, REMOTE_PORT_KEY } from '../../private/vocabulary';

/**
 * `ec2-instance-connect:OpenTunnel` is allowed only for ports it names: IAM would refuse a request without
 * `ec2-instance-connect:remotePort`, and admit no more ports than the statement writes values for (a range such
 * as `NumericLessThan 1024` names none; `NumericGreaterThan 21` with `NumericLessThan 23` is port 22).
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult =>
  verdict(node, [OPEN_TUNNEL], (grants, statement, action) => {
    if (reachesAny(grants, statement, action, [contextOf({ [REMOTE_PORT_KEY]: 'absent' })])) {
      return true;
    }
    if (boundByPattern(statement, REMOTE_PORT_KEY)) {
      return reachesAny(grants, statement, action, [contextOf({})]);
    }
    const named = writtenValues([statement], REMOTE_PORT_KEY, grants).length;
    const bounds = writtenValues(grants.heldStatements().flat().concat(statement), REMOTE_PORT_KEY, grants);
    let admitted = 0;
    for (const port of numericCandidates(bounds, 0, 65535)) {
      if (reachesAny(grants, statement, action, [contextOf({ [REMOTE_PORT_KEY]: value(String(port.value)) })])) {
        admitted += port.count;
        if (admitted > named) return true;
      }
    }
    return false;
  }), 'name', { value: parse(__filename).name });
