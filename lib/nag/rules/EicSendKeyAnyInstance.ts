import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleResult } from 'cdk-nag';
import { contextOf, reachesAny, verdict, writableTags } from '../../private/semantics/probes';
import { SEND_SERIAL_CONSOLE_SSH_PUBLIC_KEY, SEND_SSH_PUBLIC_KEY } from '../../private/vocabulary';

/**
 * Key pushes (`SendSSHPublicKey`, and the serial console's `SendSerialConsoleSSHPublicKey`) reach only instances
 * they name: IAM would not allow them on an instance nobody wrote into the template that is untagged, tagged with
 * values nobody wrote, or tagged only with tags the grantee can write itself (`ec2:CreateTags` on that key).
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult =>
  verdict(node, [SEND_SSH_PUBLIC_KEY, SEND_SERIAL_CONSOLE_SSH_PUBLIC_KEY], (grants, statement, action) => {
    const writable = writableTags(grants, statement, 'instance');
    return reachesAny(grants, statement, action, [contextOf({}, 'absent', writable), contextOf({}, 'unnamed', writable)], true);
  }), 'name', { value: parse(__filename).name });
