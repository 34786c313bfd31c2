import { IResolvable, IResolveContext, Token } from 'aws-cdk-lib';

/**
 * A list known only when the app is synthesized (for example the subnets of every target given to
 * `allowConnectionsTo`, whichever order the calls come in), with the longest value it can take, so that policy
 * packing, which runs when a grant is made, can reserve room for it.
 */
export class LateBoundList implements IResolvable {
  /** The list as a token, for a place that takes `string[]`. */
  public static of(produce: () => string[], longest: () => string[]): string[] {
    return Token.asList(new LateBoundList(produce, longest));
  }

  public readonly creationStack: string[] = [];

  private constructor(private readonly produce: () => string[], public readonly longest: () => string[]) {}

  public resolve(_context: IResolveContext): string[] {
    return this.produce();
  }

  public toString(): string {
    return Token.asString(this);
  }
}
