import { IConstruct } from 'constructs';

/**
 * An error for bad input, thrown at synth time. The message names the construct path, so a user with
 * many stacks knows where to look; callers name the property and the value received.
 *
 * aws-cdk-lib's own `ValidationError` is `@internal`, so this library cannot construct it.
 */
export function validationError(scope: IConstruct, message: string): Error {
  const error = new Error(`${scope.node.path}: ${message}`);
  error.name = 'ValidationError';
  return error;
}

/** Renders a value received from the user for an error message. */
export function show(value: unknown): string {
  if (value === undefined) {
    return 'undefined';
  }
  return JSON.stringify(value);
}
