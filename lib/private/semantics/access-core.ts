import { CfnResource } from 'aws-cdk-lib';
import { actionMatches, arnMatches, probeArns, ProbeScope, UNKNOWN } from './arn-match';
import { conditionHolds, Context } from './condition-match';
import { IamIndex } from './iam-index';
import { asArray, Statement } from './policy-statements';
import { probeScope, renderString } from './template-values';

export { probeScope } from './template-values';

/**
 * The semantic core under the IAM rules: given a resource that holds policies, the statements it grants and the
 * principals it reaches, and for each statement whether a probe request (an action on a resource, with a context)
 * would be allowed, as IAM decides it. The rules ask it questions: "is this key push allowed for `root`?", "on an
 * instance nobody named?", "from an address outside every named network?".
 */

/** A request to ask IAM about. */
export interface Probe {
  readonly action: string;
  /** A concrete ARN (an unknown part is kept as `\u0000`, which only the same unknown matches). */
  readonly resource: string;
  readonly context: Context;
}

/** The EC2 resource type each Instance Connect action is authorised on. */
export const RESOURCE_TYPE: Record<string, string> = {
  'ec2-instance-connect:opentunnel': 'instance-connect-endpoint',
  'ec2-instance-connect:sendsshpublickey': 'instance',
  'ec2-instance-connect:sendserialconsolesshpublickey': 'instance',
  'ec2:createinstanceconnectendpoint': 'instance-connect-endpoint',
  'ec2:modifyinstanceconnectendpoint': 'instance-connect-endpoint',
  'ec2:deleteinstanceconnectendpoint': 'instance-connect-endpoint',
  'ec2:createtags': 'instance',
};

/** Whether the statement covers the action (`Action` or `NotAction`, case-insensitive, wildcards). */
export function coversAction(statement: Statement, action: string, scope: ProbeScope): boolean {
  const named = (value: unknown) => asArray(value).some(p => actionMatches(renderString(p, scope), action));
  return statement.NotAction !== undefined ? !named(statement.NotAction) : named(statement.Action);
}

/** The statement's resource patterns, rendered (`NotResource` gives `*`: it reaches everything it does not name). */
export function resourcePatterns(statement: Statement, scope: ProbeScope): string[] {
  if (statement.NotResource !== undefined) {
    return ['*'];
  }
  return asArray(statement.Resource).map(r => renderString(r, scope));
}

/** Whether the statement matches the probe: action, resource (or not-resource) and condition, read for its effect. */
export function matches(statement: Statement, probe: Probe, scope: ProbeScope): boolean {
  if (statement.Variants !== undefined) {
    return statement.Variants.every(v => matches(v, probe, scope));
  }
  if (!coversAction(statement, probe.action, scope)) {
    return false;
  }
  const effect = statement.Effect === 'Deny' ? 'Deny' : 'Allow';
  const arn = probe.resource;
  if (statement.NotResource !== undefined) {
    if (asArray(statement.NotResource).some(r => arnMatches(renderString(r, scope), arn))) {
      return false;
    }
  } else if (!asArray(statement.Resource).some(r => arnMatches(renderString(r, scope), arn))) {
    return false;
  }
  return conditionHolds(statement.Condition, probe.context, effect, scope);
}

/** Whether some deny among `statements` matches the probe. */
export function denies(statements: readonly Statement[], probe: Probe, scope: ProbeScope): boolean {
  return statements.some(s => s.Effect === 'Deny' && matches(s, probe, scope));
}

/** Whether some allow among `statements` matches the probe and no deny among them does. */
export function allowsProbe(statements: readonly Statement[], probe: Probe, scope: ProbeScope): boolean {
  return statements.some(s => s.Effect === 'Allow' && matches(s, probe, scope)) && !denies(statements, probe, scope);
}

/**
 * What one policy-holding resource grants, and to whom: the questions the IAM rules ask of it.
 */
export class Grants {
  public static of(node: CfnResource): Grants {
    return new Grants(node, IamIndex.of(node));
  }

  public readonly scope: ProbeScope;
  /** The statements the resource holds itself, with the AWS-managed policies it names. */
  public readonly statements: Statement[];

  private constructor(private readonly node: CfnResource, private readonly index: IamIndex) {
    this.scope = probeScope(node);
    this.statements = index.ownStatements(node);
  }

  /** The resource's allow statements that cover any of `actions`. */
  public allowsOf(...actions: string[]): Statement[] {
    return this.statements.filter(s => s.Effect === 'Allow' && actions.some(a => coversAction(s, a, this.scope)));
  }

  /**
   * Whether `statement` (one of this resource's) allows the probe for someone: it matches, no deny of the resource
   * matches, and, when principals in the app hold the resource, at least one of them gets the request through
   * every deny it holds and within its permissions boundary.
   */
  public reaches(statement: Statement, probe: Probe): boolean {
    if (!matches(statement, probe, this.scope) || denies(this.statements, probe, this.scope)) {
      return false;
    }
    const holders = this.index.holdersOf(this.node);
    return holders.length === 0 || holders.some(h => !denies(h.statements, probe, this.scope) &&
      (h.boundary === undefined || allowsProbe(h.boundary, probe, this.scope)));
  }

  /** The statements in effect for the resource's holders (or its own, when nobody in the app holds it). */
  public heldStatements(): Statement[][] {
    const holders = this.index.holdersOf(this.node);
    return holders.length === 0 ? [this.statements] : holders.map(h => h.statements);
  }

  /**
   * Concrete resources of `type` that `pattern` covers: resources with IDs nobody wrote, in the Regions the pattern
   * may name, the pattern itself with its wildcards filled in, and every ARN of that type the resource's holders
   * name (so that a deny of `NotResource` one instance is weighed on that instance).
   */
  public targets(pattern: string, type: string): string[] {
    const unknownFree = pattern.replace(UNKNOWN, '\u0000');
    const candidates = [...probeArns(pattern, type, this.scope), filledIn(unknownFree, this.scope), ...this.mentioned(type)];
    return [...new Set(candidates)].filter(arn => arn !== '*' && arnMatches(pattern, arn));
  }

  /** Targets of `type` with IDs nobody wrote into the template: what "any endpoint" or "any instance" means. */
  public unnamedTargets(pattern: string, type: string): string[] {
    return probeArns(pattern, type, this.scope).filter(arn => arnMatches(pattern, arn));
  }

  private mentioned(type: string): string[] {
    return this.heldStatements().flat().flatMap(s => [...asArray(s.Resource), ...asArray(s.NotResource)])
      .map(r => renderString(r, this.scope).replace(UNKNOWN, '\u0000'))
      .filter(r => r.includes(`:${type}/`) && !/[*?]/.test(r));
  }
}

/** A pattern with its wildcards filled in: the stack's Region and account where those are open, `0` elsewhere. */
function filledIn(pattern: string, scope: ProbeScope): string {
  if (!pattern.startsWith('arn:')) {
    // `*`, or a value the template cannot tell (a Terraform interpolation left in a copied policy): kept as it is.
    return pattern;
  }
  const parts = pattern.split(':');
  const fill = (part: string | undefined, value: string) => (part === undefined || /[*?]/.test(part) ? value : part);
  const head = [fill(parts[0], 'arn'), fill(parts[1], scope.partition), fill(parts[2], 'ec2'), fill(parts[3], scope.region), fill(parts[4], scope.account)];
  return [...head, (parts.slice(5).join(':') || '*').replace(/[*?]/g, '0')].join(':');
}
