import { CfnResource, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/**
 * What the rules that look beyond one resource need to know about the whole app: its endpoints, security groups,
 * subnets, trails and IAM attachments. Built once per validation run (the pack starts a new run each time), so a
 * fleet of thousands of resources is walked once, not once per resource.
 */
export class AppIndex {
  /** Starts a new validation run: indexes built before it are stale. */
  public static newRun(): void {
    AppIndex.run++;
  }

  /** The index of `node`'s app for the current run. */
  public static of(node: IConstruct): AppIndex {
    const root = node.node.root;
    const cached = AppIndex.cache.get(root);
    if (cached && cached.run === AppIndex.run) {
      return cached;
    }
    const index = new AppIndex(root, AppIndex.run);
    AppIndex.cache.set(root, index);
    return index;
  }

  private static run = 0;
  private static readonly cache = new WeakMap<IConstruct, AppIndex>();

  public readonly endpoints: ec2.CfnInstanceConnectEndpoint[] = [];
  public readonly trails: cloudtrail.CfnTrail[] = [];
  public readonly instances: ec2.CfnInstance[] = [];
  private readonly byLogicalId = new Map<string, CfnResource>();
  private readonly policies: Array<iam.CfnPolicy | iam.CfnManagedPolicy> = [];

  private constructor(root: IConstruct, private readonly run: number) {
    for (const c of root.node.findAll()) {
      if (!CfnResource.isCfnResource(c)) {
        continue;
      }
      const stack = Stack.of(c);
      this.byLogicalId.set(`${stack.node.path}/${stack.resolve(c.logicalId)}`, c);
      if (c instanceof ec2.CfnInstanceConnectEndpoint) this.endpoints.push(c);
      if (c instanceof cloudtrail.CfnTrail) this.trails.push(c);
      if (c instanceof ec2.CfnInstance) this.instances.push(c);
      if (c instanceof iam.CfnPolicy || c instanceof iam.CfnManagedPolicy) this.policies.push(c);
    }
  }

  /** The resource a `Ref` or `Fn::GetAtt` in `node`'s stack points at. */
  public resolveReference(node: CfnResource, value: unknown): CfnResource | undefined {
    const stack = Stack.of(node);
    const resolved = stack.resolve(value) as Record<string, unknown> | string | undefined;
    if (resolved === null || typeof resolved !== 'object') {
      return undefined;
    }
    const logicalId = 'Ref' in resolved ? resolved.Ref : Array.isArray(resolved['Fn::GetAtt']) ? (resolved['Fn::GetAtt'] as unknown[])[0] : undefined;
    return typeof logicalId === 'string' ? this.byLogicalId.get(`${stack.node.path}/${logicalId}`) : undefined;
  }

  /** The security groups of the app's endpoints. */
  public endpointSecurityGroups(): Set<CfnResource> {
    const groups = new Set<CfnResource>();
    for (const endpoint of this.endpoints) {
      for (const id of (Stack.of(endpoint).resolve(endpoint.securityGroupIds) as unknown[] | undefined) ?? []) {
        const group = this.resolveReference(endpoint, id);
        if (group) groups.add(group);
      }
    }
    return groups;
  }

  /** A key naming the VPC of a subnet reference: the VPC's resolved ID, or else the subnet itself. */
  public vpcOfSubnet(node: CfnResource, subnetId: unknown): string {
    const subnet = this.resolveReference(node, subnetId);
    if (subnet instanceof ec2.CfnSubnet) {
      return `${Stack.of(subnet).node.path}:${JSON.stringify(Stack.of(subnet).resolve(subnet.vpcId))}`;
    }
    return `subnet:${JSON.stringify(Stack.of(node).resolve(subnetId))}`;
  }

  /** The subnet resource a subnet reference points at, when it is in the app. */
  public subnet(node: CfnResource, subnetId: unknown): ec2.CfnSubnet | undefined {
    const subnet = this.resolveReference(node, subnetId);
    return subnet instanceof ec2.CfnSubnet ? subnet : undefined;
  }

  /** The policies attached to `role` in the app: customer-managed and `AWS::IAM::Policy` ones. */
  public policiesOfRole(role: iam.CfnRole): Array<iam.CfnPolicy | iam.CfnManagedPolicy> {
    const stack = Stack.of(role);
    const refersTo = (roles: unknown, owner: CfnResource) => ((Stack.of(owner).resolve(roles) as unknown[] | undefined) ?? [])
      .some(r => this.resolveReference(owner, r) === role || (typeof r === 'string' && r === stack.resolve(role.roleName)));
    const attachedByArn = ((stack.resolve(role.managedPolicyArns) as unknown[] | undefined) ?? [])
      .map(arn => this.resolveReference(role, arn))
      .filter((p): p is iam.CfnManagedPolicy => p instanceof iam.CfnManagedPolicy);
    return [...new Set([...this.policies.filter(p => refersTo(p.roles, p)), ...attachedByArn])];
  }
}
