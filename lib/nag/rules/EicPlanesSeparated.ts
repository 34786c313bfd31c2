import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import * as sso from 'aws-cdk-lib/aws-sso';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { allowsProbe, coversAction, Grants, resourcePatterns, RESOURCE_TYPE } from '../../private/semantics/access-core';
import { IamIndex } from '../../private/semantics/iam-index';
import { isPolicyHolder, isPrincipal, Statement } from '../../private/semantics/policy-statements';
import { contextOf } from '../../private/semantics/probes';
import { CONTROL_PLANE_ACTIONS, DATA_PLANE_ACTIONS } from '../../private/vocabulary';

/**
 * No policy, and no principal through every way it gets policies (inline, attached policy resources, AWS-managed
 * policies judged from AWS's documents, a user's groups, within its permissions boundary), allows both managing
 * endpoints (control plane) and opening tunnels or pushing keys (data plane): IAM would allow some action of each
 * plane on some resource. A deny takes an action away only where it matches whatever the caller does.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  if (!isPolicyHolder(node)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const grants = Grants.of(node);
  // A principal or permission set is judged with everything it gets; a policy with what it holds itself.
  const holder = isPrincipal(node) || node instanceof sso.CfnPermissionSet ? IamIndex.of(node).holdersOf(node)[0] : undefined;
  const statements: Statement[] = holder?.statements ?? grants.statements;
  const grantsPlane = (actions: string[]) => actions.some(action => statements.some(s => s.Effect === 'Allow' && coversAction(s, action, grants.scope) &&
    resourcePatterns(s, grants.scope).some(pattern => grants.targets(pattern, RESOURCE_TYPE[action.toLowerCase()]).some(resource => {
      const probe = { action, resource, context: contextOf({}) };
      return allowsProbe(statements, probe, grants.scope) && (holder?.boundary === undefined || allowsProbe(holder.boundary, probe, grants.scope));
    }))));
  const control = grantsPlane(CONTROL_PLANE_ACTIONS);
  const data = grantsPlane(DATA_PLANE_ACTIONS);
  if (!control && !data) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return control && data ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });
