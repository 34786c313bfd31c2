import { InstanceConnectBaselineOptions } from './instance-connect-baseline';

/**
 * How StackSets moves through the Regions of an operation.
 */
export enum StackSetRegionConcurrency {
  /** One Region at a time: a failure stops the roll-out before the next Region. */
  SEQUENTIAL = 'SEQUENTIAL',
  /** All Regions at once. */
  PARALLEL = 'PARALLEL',
}

/**
 * Whose StackSet it is: the management account's, or a delegated administrator's.
 */
export enum StackSetCallAs {
  /** The stack is deployed in the organisation's management account. */
  SELF = 'SELF',
  /** The stack is deployed in a delegated administrator account of CloudFormation StackSets. */
  DELEGATED_ADMIN = 'DELEGATED_ADMIN',
}

/**
 * Properties of `InstanceConnectStackSet`.
 */
export interface InstanceConnectStackSetProps {
  /**
   * The organisational units (or the root, `r-…`) whose accounts get the baseline, now and as they join.
   */
  readonly organizationalUnitIds: string[];

  /**
   * The Regions of each account the baseline is deployed to.
   */
  readonly regions: string[];

  /**
   * What each account gets.
   *
   * @default - the defaults of `InstanceConnectBaselineOptions`
   */
  readonly baseline?: InstanceConnectBaselineOptions;

  /**
   * The name of the StackSet.
   *
   * @default - a name unique in the app, derived from the construct path
   */
  readonly stackSetName?: string;

  /**
   * Whether accounts that join a target OU get the baseline automatically.
   *
   * @default true
   */
  readonly autoDeployment?: boolean;

  /**
   * With `autoDeployment`, whether an account's stack is kept when the account leaves the target OUs. The audit's
   * log group, key and buckets are retained either way.
   *
   * @default false
   */
  readonly retainStacksOnAccountRemoval?: boolean;

  /**
   * The percentage of accounts deployed to at once, per Region.
   *
   * @default 25
   */
  readonly maxConcurrentPercentage?: number;

  /**
   * The percentage of accounts, per Region, whose deployment may fail before the operation stops. StackSets'
   * default strict failure tolerance also caps how many accounts are deployed to at once: at most this many plus
   * one, whatever `maxConcurrentPercentage` says (10 % of 100 accounts: 11 at a time).
   *
   * @default 10
   */
  readonly failureTolerancePercentage?: number;

  /**
   * How the operation moves through the Regions.
   *
   * @default StackSetRegionConcurrency.PARALLEL
   */
  readonly regionConcurrency?: StackSetRegionConcurrency;

  /**
   * Whether the StackSet belongs to the management account or a delegated administrator.
   *
   * @default StackSetCallAs.SELF
   */
  readonly callAs?: StackSetCallAs;
}
