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
}

/** A principal of the app (or a policy nobody in the app holds) and its rows. */
export interface PrincipalAccess {
  /** `<stack>/<logical ID>`: stable across runs and readable in both the construct tree and the templates. */
  readonly id: string;
  /** The CloudFormation resource type. */
  readonly type: string;
  /** Its name when the template writes one. */
  readonly name?: string;
  /** True for a policy resource nobody in the app holds: its grants go to principals outside the app. */
  readonly unattached?: boolean;
  readonly rows: AccessRow[];
}

export interface AccessReport {
  /** Bumped when the shape changes. */
  readonly formatVersion: 1;
  readonly principals: PrincipalAccess[];
}

export const ANY = 'any';
export const UNKNOWN_AT_SYNTH = 'unknown at synth';
