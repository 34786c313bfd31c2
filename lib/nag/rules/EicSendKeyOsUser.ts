import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleResult } from 'cdk-nag';
import { contextOf, reachesAny, value, verdict } from '../../private/semantics/probes';
import { OS_USER_KEY, SEND_SSH_PUBLIC_KEY } from '../../private/vocabulary';

/** An OS user no template names. */
const UNNAMED_USER = 'eic-probe-user';

/**
 * `ec2-instance-connect:SendSSHPublicKey` is allowed only for OS users it names, and never for `root`: IAM would
 * refuse the push for `root`, for a user nobody named, and for a request without `ec2:osuser`.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult =>
  verdict(node, [SEND_SSH_PUBLIC_KEY], (grants, statement, action) => reachesAny(grants, statement, action, [
    contextOf({ [OS_USER_KEY]: value('root') }),
    contextOf({ [OS_USER_KEY]: value(UNNAMED_USER) }),
    contextOf({ [OS_USER_KEY]: 'absent' }),
  ])), 'name', { value: parse(__filename).name });
