import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleResult } from 'cdk-nag';
import { contextOf, numericCandidates, reachesAny, value, verdict, writtenValues } from './private/probes';
import { OPEN_TUNNEL, REMOTE_PORT_KEY } from '../../private/vocabulary';

/**
 * `ec2-instance-connect:OpenTunnel` is allowed only for ports it names: IAM would refuse a request without
 * `ec2-instance-connect:remotePort` and any port the statement does not write down (a range names none).
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult =>
  verdict(node, [OPEN_TUNNEL], (grants, statement, action) => {
    const named = new Set(writtenValues([statement], REMOTE_PORT_KEY, grants).map(Number));
    const bounds = writtenValues(grants.heldStatements().flat().concat(statement), REMOTE_PORT_KEY, grants);
    const unnamed = numericCandidates(bounds, 0, 65535).filter(port => !named.has(port));
    return reachesAny(grants, statement, action, [
      contextOf({ [REMOTE_PORT_KEY]: 'absent' }),
      ...unnamed.map(port => contextOf({ [REMOTE_PORT_KEY]: value(String(port)) })),
    ]);
  }), 'name', { value: parse(__filename).name });
