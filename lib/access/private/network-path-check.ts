import { Annotations, IAspect } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { GrantLedger } from './grant-ledger';
import { NetworkPaths } from './network-paths';

/**
 * Warns, once the app is complete, about grants whose targets have no network path: the order of `grantConnect`
 * and `allowConnectionsTo` calls does not matter, and a path made elsewhere on purpose is a warning, not an error.
 */
export class NetworkPathCheck implements IAspect {
  constructor(private readonly owner: IConstruct, private readonly ledger: GrantLedger, private readonly paths: NetworkPaths) {}

  public visit(node: IConstruct): void {
    if (node === this.owner) {
      for (const problem of this.ledger.withoutNetworkPath(this.paths)) {
        Annotations.of(this.owner).addWarningV2('cdk-instance-connect-access:noNetworkPath', problem);
      }
    }
  }
}
