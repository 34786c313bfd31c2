import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { subnetCidrOf, subnetIdsOf, subnetsOf, vpcCidrOf } from './vpc-addresses';
import { LateBoundList } from '../../private/late-bound-list';

/** The longest an IPv4 CIDR can be written, for size estimates. */
const LONGEST_IPV4_CIDR = '255.255.255.255/32';

/** A target given a network path from the endpoint. */
export interface NetworkPath {
  readonly target: ec2.IConnectable;
  readonly port: ec2.Port;
}

/**
 * Every network path given from the endpoint to a target: what the network-path check compares grants with, and
 * where the tunnels of grants by ID or tag may go.
 */
export class NetworkPaths {
  private readonly paths: NetworkPath[] = [];

  constructor(private readonly scope: IConstruct, private readonly vpc: ec2.IVpc) {}

  /** Records a path (once). */
  public add(target: ec2.IConnectable, port: ec2.Port): void {
    if (!this.paths.some(path => path.target === target && path.port.toString() === port.toString())) {
      this.paths.push({ target, port });
    }
  }

  /** The paths on any of `ports` (TCP). */
  public on(ports: number[]): NetworkPath[] {
    return this.paths.filter(path => {
      const rule = path.port.toRuleJson() as { ipProtocol: string; fromPort?: number; toPort?: number };
      return rule.ipProtocol === 'tcp' && ports.some(p => rule.fromPort! <= p && p <= rule.toPort!);
    });
  }

  /**
   * What tunnels of a grant by ID or tag may reach: the CIDRs of the subnets of the targets given a network path on
   * `remotePorts`, bound at synthesis so that the order of calls does not matter; the VPC's CIDR when a target's
   * subnets are unknown (a launch template, a security group) or no target has a path on those ports.
   */
  public tunnelAddresses(remotePorts: number[]): { cidrs: string[]; description: string } {
    const why = 'a grant by instanceIds or instanceTags needs to bound its tunnels';
    // Checked now, not at synthesis: the error then points at the grant.
    const fallback = vpcCidrOf(this.scope, this.vpc, why);
    const subnets = subnetsOf(this.vpc);
    const produce = (): string[] => {
      const cidrs = new Set<string>();
      for (const path of this.on(remotePorts)) {
        const found = subnetIdsOf(path.target)?.map(id => subnets.find(s => s.subnetId === id));
        if (!found || found.length === 0 || found.some(s => s === undefined)) {
          return [fallback];
        }
        found.forEach(s => cidrs.add(subnetCidrOf(this.scope, s!, why)));
      }
      return cidrs.size > 0 ? [...cidrs] : [fallback];
    };
    return {
      // For policy packing, only the length counts: an unknown CIDR counts as the longest an IPv4 CIDR can be.
      cidrs: LateBoundList.of(produce, () => Array.from({ length: Math.max(1, subnets.length) }, () => LONGEST_IPV4_CIDR)),
      description: `the subnets of every target given to allowConnectionsTo on those ports (the CIDR of vpc ${this.vpc.node.path} ` +
        'when a target\'s subnets are unknown), whichever instance holds the address',
    };
  }
}
