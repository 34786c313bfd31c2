import { CfnResource, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LateBoundList } from './late-bound-list';

/** IAM quota: characters in one customer-managed policy, white space excluded. */
export const MAX_MANAGED_POLICY_LENGTH = 6144;

/** IAM quota (default): managed policies attached to one role, user or group. */
export const MAX_MANAGED_POLICIES_PER_PRINCIPAL = 10;

/**
 * Deploy-time values are only known as tokens at synth time: each counts as the longest value it can take.
 * Unknown references count as 64 characters, more than any ID or address they stand for.
 */
const PSEUDO_PARAMETER_LENGTHS: Record<string, number> = {
  'AWS::Partition': 10, // aws-us-gov
  'AWS::Region': 16,
  'AWS::AccountId': 12,
  'AWS::URLSuffix': 16,
};
/** `Ref` of a resource: its physical ID. */
const REF_LENGTHS: Record<string, number> = {
  'AWS::EC2::Instance': 19, // i- and 17 hex digits
  'AWS::EC2::InstanceConnectEndpoint': 22, // eice- and 17 hex digits
  'AWS::EC2::VPC': 21,
  'AWS::EC2::Subnet': 24,
  'AWS::EC2::SecurityGroup': 20,
};
/** `Fn::GetAtt` attributes. */
const ATTRIBUTE_LENGTHS: Record<string, number> = {
  PrivateIp: 15, // AWS::EC2::Instance private IPv4 address
  CidrBlock: 18,
  Id: 22,
};
const UNKNOWN_LENGTH = 64;

/**
 * Estimates, from above, the length IAM will count for policy JSON once CloudFormation has resolved it.
 */
export class PolicyLengthEstimator {
  private resourceTypes?: Map<string, string>;
  /** Lengths of strings already estimated: packing estimates each ARN and address several times. */
  private readonly stringLengths = new Map<string, number>();

  constructor(private readonly stack: Stack) {}

  /** The length of a whole policy document. */
  public document(document: iam.PolicyDocument): number {
    return this.value(document.toJSON());
  }

  /** The length of one statement. */
  public statement(statement: iam.PolicyStatement): number {
    return this.json(statement.toStatementJson());
  }

  /** The length of any JSON value, tokens included. */
  public value(value: unknown): number {
    if (typeof value !== 'string') {
      return this.estimate(this.stack.resolve(value));
    }
    let length = this.stringLengths.get(value);
    if (length === undefined) {
      length = this.estimate(this.stack.resolve(value));
      this.stringLengths.set(value, length);
    }
    return length;
  }

  /**
   * `value()` of unresolved JSON, string by string: the same total, but each string is resolved once however many
   * statements and chunks it is estimated in.
   */
  private json(value: unknown): number {
    if (typeof value === 'string') {
      return this.value(value);
    }
    if (value === null || typeof value !== 'object' || Tokenization.isResolvable(value)) {
      return this.value(value);
    }
    if (Array.isArray(value)) {
      // A list bound at synthesis counts as the longest it can become.
      const late = Token.isUnresolved(value) ? Tokenization.reverseList(value) : undefined;
      if (late instanceof LateBoundList) {
        return this.json(late.longest());
      }
      return 2 + Math.max(0, value.length - 1) + value.reduce((sum: number, v) => sum + this.json(v), 0);
    }
    const keys = Object.keys(value);
    if (keys.some(k => Token.isUnresolved(k))) {
      return this.value(value);
    }
    const obj = value as Record<string, unknown>;
    return 2 + Math.max(0, keys.length - 1) + keys.reduce((sum, k) => sum + JSON.stringify(k).length + 1 + this.json(obj[k]), 0);
  }

  private estimate(value: unknown): number {
    if (value === null || typeof value !== 'object') {
      return JSON.stringify(value ?? null).length;
    }
    if (Array.isArray(value)) {
      return 2 + Math.max(0, value.length - 1) + value.reduce((sum: number, v) => sum + this.estimate(v), 0);
    }
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      return 2 + this.intrinsicLength(keys[0], obj[keys[0]]);
    }
    return 2 + Math.max(0, keys.length - 1) + keys.reduce((sum, k) => sum + JSON.stringify(k).length + 1 + this.estimate(obj[k]), 0);
  }

  /** Characters an intrinsic function produces inside a JSON string (the caller counts the quotes). */
  private intrinsicLength(fn: string, arg: unknown): number {
    if (fn === 'Ref') {
      return PSEUDO_PARAMETER_LENGTHS[arg as string] ?? REF_LENGTHS[this.typeOf(arg as string) ?? ''] ?? UNKNOWN_LENGTH;
    }
    if (fn === 'Fn::GetAtt') {
      const attribute = Array.isArray(arg) ? String(arg[1]) : String(arg).split('.').pop()!;
      return ATTRIBUTE_LENGTHS[attribute] ?? UNKNOWN_LENGTH;
    }
    if (fn === 'Fn::Join' && Array.isArray(arg) && Array.isArray(arg[1])) {
      const [delimiter, parts] = arg as [string, unknown[]];
      return parts.reduce((sum: number, part) => sum + this.partLength(part), 0) + Math.max(0, parts.length - 1) * delimiter.length;
    }
    return UNKNOWN_LENGTH;
  }

  private partLength(part: unknown): number {
    if (typeof part === 'string') {
      return JSON.stringify(part).length - 2;
    }
    if (part !== null && typeof part === 'object' && !Array.isArray(part)) {
      const [fn] = Object.keys(part);
      return this.intrinsicLength(fn, (part as Record<string, unknown>)[fn]);
    }
    return UNKNOWN_LENGTH;
  }

  private typeOf(logicalId: string): string | undefined {
    if (!this.resourceTypes) {
      this.resourceTypes = new Map();
      for (const c of this.stack.node.findAll()) {
        if (CfnResource.isCfnResource(c) && Stack.of(c) === this.stack) {
          this.resourceTypes.set(this.stack.getLogicalId(c), c.cfnResourceType);
        }
      }
    }
    return this.resourceTypes.get(logicalId);
  }
}
