import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { flattenReference } from './flatten-reference';

/**
 * Acknowledges a validation finding on `scope`, with its reason.
 *
 * `Validations.acknowledge()` rejects IDs with more than one `::`, such as cdk-nag findings on resources that
 * contain `<AWS::Partition>`; those get the same metadata entry it would write, which cdk-nag reads.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  if (id.split('::').length > 2) {
    scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
  } else {
    Validations.of(scope).acknowledge({ id, reason });
  }
}

/**
 * Acknowledges AwsSolutions-IAM5 (wildcard resources) on `policy` for each wildcard resource of an allow statement
 * whose Sid or first action has a reason in `reasons`: the wildcards AWS forces (`Describe*` takes no
 * resource-level permission; a resource's ID is unknown before it is created). Any other wildcard stays a finding.
 */
export function acknowledgeForcedWildcards(policy: iam.ManagedPolicy, statements: iam.PolicyStatement[], reasons: Record<string, string>): void {
  const stack = Stack.of(policy);
  for (const statement of statements) {
    const reason = reasons[statement.sid ?? ''] ?? reasons[statement.actions[0]];
    if (statement.effect !== iam.Effect.ALLOW || reason === undefined) {
      continue;
    }
    for (const resource of statement.resources) {
      const flat = flattenReference(stack.resolve(resource));
      if (flat.includes('*')) {
        acknowledge(policy, `AwsSolutions-IAM5[Resource::${flat}]`, reason);
      }
    }
  }
}
