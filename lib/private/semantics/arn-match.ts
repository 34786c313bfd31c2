/**
 * How IAM matches an action or a resource ARN of a statement against a request, so that the rules judge what IAM
 * does with a pattern rather than how it is spelled (IAM User Guide, "IAM JSON policy elements: Resource" and
 * "Action").
 *
 * - Action names match without regard to case; `*` and `?` are wildcards.
 * - A resource ARN has six parts. The first five (`arn`, partition, service, Region, account) are separated by
 *   colons and each is matched on its own; the rest is the resource part, in which `*` also runs across `/` and
 *   `:`. ARNs match case-sensitively. An identity policy's ARN with fewer than six parts is read with the missing
 *   parts as `*` (`arn:aws:ec2:*` is every EC2 resource).
 */

/** A value the template cannot tell before deployment (a parameter, another resource's attribute, a policy variable). */
export const UNKNOWN = /<[^<>]*>/g;

/** Whether an action pattern (`ec2-instance-connect:Send*`, `*`) covers `action`. */
export function actionMatches(pattern: string, action: string): boolean {
  return wildcardRegExp(pattern, 'i').test(action);
}

/** Whether a resource pattern (after `renderArn`) covers the concrete ARN `arn`. */
export function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') {
    return true;
  }
  const want = arnParts(pattern);
  const have = arnParts(arn);
  if (!want || !have) {
    return wildcardRegExp(pattern).test(arn);
  }
  return want.every((part, i) => wildcardRegExp(part).test(have[i]));
}

/** The six parts of an ARN (the resource part keeps its colons), padded with `*` when the pattern is short. */
function arnParts(value: string): string[] | undefined {
  const parts = value.split(':');
  if (parts[0] !== 'arn' && parts[0] !== '*') {
    return undefined;
  }
  const head = parts.slice(0, 5);
  while (head.length < 5) {
    head.push('*');
  }
  return [...head, parts.length > 5 ? parts.slice(5).join(':') : '*'];
}

/** The ARN a probe request names: what `pattern` names when its wildcards stand for a resource of `type` with an unknown ID. */
export interface ProbeScope {
  /** The partition, Region and account of the stack being judged. */
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** A Region the stack is not in, to tell a pattern pinned to one Region from one that covers them all. */
  readonly otherRegion: string;
  /** The template's `Mappings`, for `Fn::FindInMap`. */
  readonly mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

/**
 * The concrete ARNs of resources of `type` (`instance`, `instance-connect-endpoint`) with IDs nobody wrote into the
 * template, in the Regions and accounts `pattern` could name: its own where it names them, else the stack's and
 * another Region. A statement whose pattern matches one of these reaches resources it does not name.
 */
export function probeArns(pattern: string, type: string, scope: ProbeScope): string[] {
  const parts = arnParts(pattern) ?? ['arn', '*', '*', '*', '*', '*'];
  // A part the template names (even as an unknown value, such as a parameter or a `<Account ID>` placeholder) is kept;
  // a wildcard stands for the stack's own value, another one, and one of its own making (`eu-*` gives `eu-zz`).
  const named = (part: string) => (!/[*?]/.test(part) && part.length > 0 ? part.replace(UNKNOWN, '\u0000') : undefined);
  const partition = named(parts[1]) ?? scope.partition;
  const regions = named(parts[3]) !== undefined ? [named(parts[3])!] : [scope.region, scope.otherRegion, fill(parts[3])];
  const account = named(parts[4]) ?? scope.account;
  // An ID pattern of the type (`instance/i-1*`) reaches instances nobody named that match it.
  const idPattern = parts[5].startsWith(`${type}/`) ? parts[5].slice(type.length + 1) : undefined;
  const ids = [PROBE_ID[type] ?? 'probe', ...(idPattern !== undefined && /[*?]/.test(idPattern) ? [fill(idPattern)] : [])];
  return [...new Set(regions.flatMap(region => ids.map(id => `arn:${partition}:ec2:${region}:${account}:${type}/${id}`)))];
}

/** A wildcard pattern with its wildcards filled by characters no real value has there. */
function fill(pattern: string): string {
  return pattern.replace(UNKNOWN, '\u0000').replace(/\*/g, 'zz').replace(/\?/g, 'z');
}

/** IDs in the services' formats that no template names. */
const PROBE_ID: Record<string, string> = {
  'instance': 'i-0ffffffffffffff0e',
  'instance-connect-endpoint': 'eice-0ffffffffffffff0e',
};

/** IAM's `*` and `?` as a regular expression; an unknown value (`<name>`) matches only the same unknown. */
export function wildcardRegExp(pattern: string, flags = ''): RegExp {
  // An unknown value in a pattern is one value the template cannot see; it matches nothing it does not name.
  const source = pattern.split(UNKNOWN).map(piece => piece.split('').map(c =>
    c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('')).join('\u0000');
  return new RegExp(`^${source}$`, flags);
}
