import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { allowsOf, hasStrongTagCondition, isAnyOfType, resourcesOf, Statement, statementsOf } from './private/policy-statements';
import { SEND_SERIAL_CONSOLE_SSH_PUBLIC_KEY, SEND_SSH_PUBLIC_KEY } from '../../private/vocabulary';

/**
 * Key pushes (`SendSSHPublicKey`, and the serial console's `SendSerialConsoleSSHPublicKey`) on every instance (`*`,
 * `instance/*`, wildcards in the ID) are narrowed by a resource-tag condition that an untagged instance fails
 * (not `…IfExists`, not `StringLike "*"`, not `StringNotEquals`).
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  const statements = statementsOf(node);
  const allows = [...new Set([SEND_SSH_PUBLIC_KEY, SEND_SERIAL_CONSOLE_SSH_PUBLIC_KEY].flatMap(action => allowsOf(statements, action)))];
  if (allows.length === 0) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const anyInstance = (s: Statement) => s.NotResource !== undefined || resourcesOf(s).some(r => isAnyOfType(r, 'instance'));
  return allows.some(s => anyInstance(s) && !hasStrongTagCondition(s)) ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });
