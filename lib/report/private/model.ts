/**
 * The access review's data: plain JSON, sorted, so that two runs over the same templates give the same bytes and
 * two assemblies diff row by row.
 */

/** What one principal may do with one data-plane action on one target. */
export interface AccessRow {
  /** The data-plane action, as IAM names it. */
  readonly action: string;
  /** An ARN the policy names, `any instance` / `any endpoint` for one nobody named, or `instances tagged …`. */
  readonly target: string;
  /** Tunnels only: `22`, `3389`, other written ports, `other` for a port nobody wrote, `any` when unbounded. */
  readonly ports?: string[];
  /** Key pushes only: OS users named in conditions, `root` when root is admitted, `any` for an unnamed user. */
  readonly osUsers?: string[];
  /** Written `aws:SourceIp` ranges that admit requests, or `any`. */
  readonly sourceRanges: string[];
  /** Tunnels only: written private address ranges, or `any`. */
  readonly privateAddresses?: string[];
  /** Tunnels only: the longest duration admitted, in seconds, or `unbounded` (the service caps tunnels at 3600 s). */
  readonly maxTunnelDuration?: string;
  /** Whether a request without `aws:MultiFactorAuthPresent=true` is refused. */
  readonly mfaRequired: boolean;
  /** The `aws:CurrentTime` bounds written, when they bind (`from` … `until`). */
  readonly validFrom?: string;
  readonly validUntil?: string;
  /** Values the template leaves to deployment (`<…>`): the report does not guess them. */
  readonly unknownAtSynth: string[];
  /**
   * The constructs of the app the row reaches, by `aws:cdk:path`: those its deploy-time values name (an instance's ID,
   * an endpoint's ARN), and for a tag-scoped target the instances, Auto Scaling groups or endpoints whose literal tags
   * it admits.
   */
  readonly constructs?: string[];
}

/** A principal of the app (or a policy nobody in the app holds) and its rows. */
export interface PrincipalAccess {
  /** `<stack>/<logical ID>`: stable across runs and readable in both the construct tree and the templates. */
  readonly id: string;
  /** The CloudFormation resource type. */
  readonly type: string;
  /** Its construct path, as the template's `aws:cdk:path` metadata gives it, when it does. */
  readonly construct?: string;
  /** Its name when the template writes one. */
  readonly name?: string;
  /** True for a policy resource nobody in the app holds: its grants go to principals outside the app. */
  readonly unattached?: boolean;
  readonly rows: AccessRow[];
}

/** One endpoint's network path to one target: the TCP ports both security groups let through. */
export interface NetworkPath {
  /** The endpoint, `<stack>/<logical ID>`. */
  readonly endpoint: string;
  /** The endpoint's construct path, when the template gives it. */
  readonly endpointConstruct?: string;
  /** The instance or Auto Scaling group, `<stack>/<logical ID>`. */
  readonly target: string;
  readonly targetType: string;
  /** The construct path the template's `aws:cdk:path` metadata gives, when it does. */
  readonly construct?: string;
  /** Ports both the endpoint's egress and the target's ingress admit: `22`, `1024-2047`, or `any`. */
  readonly ports: string[];
  /** What the target's ingress admits the endpoint by: a security group, a range, or `clients in` a range. */
  readonly from: string[];
  /** True when the endpoint preserves the client's IP, so the target sees the client's address. */
  readonly preserveClientIp?: boolean;
  /**
   * What synth cannot decide: whether a range holds an address it cannot place (a subnet whose range is not in the
   * app), or a prefix list from outside the app. A range is counted as admitting; a foreign prefix list is not.
   */
  readonly unknownAtSynth: string[];
}

export interface AccessReport {
  /** Bumped when the shape changes. */
  readonly formatVersion: 1;
  readonly principals: PrincipalAccess[];
  /** Which targets admit which ports from which endpoint. */
  readonly networkPaths: NetworkPath[];
}

export const ANY = 'any';
export const UNKNOWN_AT_SYNTH = 'unknown at synth';
