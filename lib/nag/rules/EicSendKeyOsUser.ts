import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { allowsOf, boundValues, statementsOf, wildcardMatches } from './private/policy-statements';
import { OS_USER_KEY, SEND_SSH_PUBLIC_KEY } from '../../private/vocabulary';

/**
 * `ec2-instance-connect:SendSSHPublicKey` is allowed only for named OS users (a plain `StringEquals`,
 * `StringEqualsIgnoreCase` or `StringLike` on `ec2:osuser`), and never for `root`.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const allows = allowsOf(statementsOf(node), SEND_SSH_PUBLIC_KEY);
  if (allows.length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  for (const statement of allows) {
    const equals = boundValues(statement, OS_USER_KEY, ['StringEquals']);
    const ignoreCase = boundValues(statement, OS_USER_KEY, ['StringEqualsIgnoreCase']);
    const like = boundValues(statement, OS_USER_KEY, ['StringLike']);
    if (equals === undefined && ignoreCase === undefined && like === undefined) {
      return NagRuleCompliance.NON_COMPLIANT;
    }
    const allowsRoot = (equals ?? []).some(u => u === 'root') ||
      (ignoreCase ?? []).some(u => String(u).toLowerCase() === 'root') ||
      (like ?? []).some(u => typeof u === 'string' && wildcardMatches(u, 'root', false));
    if (allowsRoot) {
      return NagRuleCompliance.NON_COMPLIANT;
    }
  }
  return NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });
