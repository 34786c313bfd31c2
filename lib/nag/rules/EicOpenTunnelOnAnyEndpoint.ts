import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleResult } from 'cdk-nag';
import { contextOf, reachesAny, verdict, writableTags } from '../../private/semantics/probes';
import { OPEN_TUNNEL } from '../../private/vocabulary';

/**
 * `ec2-instance-connect:OpenTunnel` reaches only endpoints it names: IAM would not allow it on an endpoint nobody
 * wrote into the template, untagged, tagged with values nobody wrote, or tagged only
 * with tags its grantee can write (in any Region the resource
 * pattern covers, through every Fn::If branch, and past every deny its holders have).
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult =>
  verdict(node, [OPEN_TUNNEL], (grants, statement, action) => {
    const writable = writableTags(grants, statement, 'instance-connect-endpoint');
    return reachesAny(grants, statement, action, [contextOf({}, 'absent', writable), contextOf({}, 'unnamed', writable)], true);
  }), 'name', { value: parse(__filename).name });
