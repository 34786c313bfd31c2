import { Token } from 'aws-cdk-lib';

/**
 * Renders one value as a scalar and several as a list, the way the AWS documentation writes conditions. A token
 * list passes through as it is: its length is known only at deploy time.
 */
export function conditionValue(values: readonly string[]): string | string[] | readonly string[] {
  if (Token.isUnresolved(values)) {
    return values;
  }
  return values.length === 1 ? values[0] : [...values];
}
