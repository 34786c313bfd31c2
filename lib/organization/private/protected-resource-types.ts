import { AllowedOnPurpose } from './allowed-actions';

/**
 * The model behind `InstanceConnectGuardrails`: every resource whose change would widen EC2 Instance Connect access or
 * silence its audit, how a guardrail selects it, the actions without a resource type that change it too, and who
 * may change it. The service control policies are generated from this model, and the guardrails' proof
 * (test/organization/guardrails-matrix.test.ts) takes every action of each resource type from AWS's Service
 * Authorization Reference and evaluates it against them: adding a resource here is all it takes to protect it and
 * prove it.
 *
 * A protection denies every action on the resource except its service's reads (`READ_ACTIONS`) and the few writes
 * that change nothing (`ALLOWED_ON_PURPOSE`), as a `NotAction`: an action AWS adds later is denied until it is
 * listed there.
 */
export interface ProtectedResource {
  /** What it is, for people. */
  readonly description: string;

  /** Its resource types in the Service Authorization Reference, as `<service>:<resource type>`. */
  readonly resourceTypes: string[];

  /**
   * The statement that protects it. Resources protected by one statement share its selection (ARN patterns, or the
   * protected tag under the same condition key) and `changedBy`.
   */
  readonly sid: string;

  /** Selected by these ARN patterns (names or paths the library gives it, or every resource of the type). */
  readonly arns?: string[];

  /**
   * Selected by the protected tag (`PROTECTED_TAG`) under this condition-key prefix (`aws:ResourceTag/`), which the
   * constructs put on it (`protectByTag`). The proof checks that the Service Authorization Reference lists the key for each type.
   */
  readonly tagConditionPrefix?: string;

  /** With a tag selection, the tag's value. @default PROTECTED_TAG.value */
  readonly tagValue?: string;

  /** With a tag selection, the CloudFormation types the constructs tag (`PROTECTED_BY_TAG_TYPES`). */
  readonly cloudFormationTypes?: string[];

  /** Actions without a resource type in the Service Authorization Reference that change it too. */
  readonly resourceless?: string[];

  /**
   * Actions on other resources that point them at this one (a rule's target, a log delivery's destination), by the
   * condition key that names it: denied to all but who may change it, where the key names one of `arns`.
   */
  readonly referencedBy?: Reference[];

  /** Who may change it: the deployers, or with `cdk`, the deployers and the CDK deploy role that passes its role. */
  readonly changedBy: 'deployers' | 'cdk';

  /** Actions also left to everyone on this resource, besides reads and `ALLOWED_ON_PURPOSE`, and why. */
  readonly alsoAllowed?: AllowedOnPurpose;
}

/** An action that points another resource at a protected one, and the condition key that carries its ARN. */
export interface Reference {
  readonly action: string;
  readonly conditionKey: string;
}

/** What the model depends on: the guardrails' principals and options. */
export interface ProtectionScope {
  /** The partition, for ARN patterns. */
  readonly partition: string;
  /** The exempt roles' ARN patterns that a member account could create or act as (IAM roles outside aws-reserved). */
  readonly exemptRoles: string[];
  /** The connect principals' ARN patterns that are IAM roles outside aws-reserved. */
  readonly connectRoles: string[];
  /** Whether the CDK's execution role is exempt. */
  readonly cdk: boolean;
  /** The prefixes of the SSM parameters the baselines read and write (`/instance-connect/`). */
  readonly parameterPrefixes: string[];
}
