import { CfnOutput, CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { isNetworkResource } from './network-index';

/**
 * What the rules that look beyond one resource need to know about the whole app: its endpoints, security groups,
 * subnets, trails and launch templates (IAM is `IamIndex`'s). Built once per validation run (the pack starts a new run
 * each time), so a fleet of thousands of resources is walked once, not once per resource.
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
  public readonly launchTemplates: ec2.CfnLaunchTemplate[] = [];
  public readonly autoScalingGroups: autoscaling.CfnAutoScalingGroup[] = [];
  public readonly subnets: ec2.CfnSubnet[] = [];
  /** Elastic IPs and their associations, network interfaces, prefix lists and launch configurations (see NetworkIndex). */
  public readonly networkResources: CfnResource[] = [];
  private readonly ingresses: ec2.CfnSecurityGroupIngress[] = [];
  private readonly egresses: ec2.CfnSecurityGroupEgress[] = [];
  private readonly byLogicalId = new Map<string, CfnResource>();
  /** The app's exported outputs by export name (a name is unique only within an account and Region). */
  private readonly exports = new Map<string, CfnOutput[]>();

  private constructor(root: IConstruct, private readonly run: number) {
    for (const c of root.node.findAll()) {
      if (c instanceof CfnOutput) {
        const name = Stack.of(c).resolve(c.exportName);
        if (typeof name === 'string') this.exports.set(name, [...this.exports.get(name) ?? [], c]);
      }
      if (!CfnResource.isCfnResource(c)) {
        continue;
      }
      const stack = Stack.of(c);
      this.byLogicalId.set(`${stack.node.path}/${stack.resolve(c.logicalId)}`, c);
      if (c instanceof ec2.CfnInstanceConnectEndpoint) this.endpoints.push(c);
      if (c instanceof cloudtrail.CfnTrail) this.trails.push(c);
      if (c instanceof ec2.CfnInstance) this.instances.push(c);
      if (c instanceof ec2.CfnLaunchTemplate) this.launchTemplates.push(c);
      if (c instanceof autoscaling.CfnAutoScalingGroup) this.autoScalingGroups.push(c);
      if (c instanceof ec2.CfnSubnet) this.subnets.push(c);
      if (c instanceof ec2.CfnSecurityGroupIngress) this.ingresses.push(c);
      if (c instanceof ec2.CfnSecurityGroupEgress) this.egresses.push(c);
      if (isNetworkResource(c)) this.networkResources.push(c);
    }
  }

  /**
   * The resource a `Ref` or `Fn::GetAtt` in `node`'s stack points at, or an `Fn::ImportValue` of an output another
   * stack of the app exports (how aws-cdk-lib writes a reference across stacks).
   */
  public resolveReference(node: CfnResource | CfnOutput, value: unknown): CfnResource | undefined {
    const stack = Stack.of(node);
    const resolved = stack.resolve(value) as Record<string, unknown> | string | undefined;
    if (resolved === null || typeof resolved !== 'object') {
      return undefined;
    }
    const imported = resolved['Fn::ImportValue'];
    if (typeof imported === 'string') {
      const output = this.exported(node, imported);
      return output ? this.resolveReference(output, output.value) : undefined;
    }
    const logicalId = 'Ref' in resolved ? resolved.Ref : Array.isArray(resolved['Fn::GetAtt']) ? (resolved['Fn::GetAtt'] as unknown[])[0] : undefined;
    return typeof logicalId === 'string' ? this.byLogicalId.get(`${stack.node.path}/${logicalId}`) : undefined;
  }

  /**
   * The output of the app that exports `name` to `node`'s stack: a stack imports only from its own account and
   * Region (an environment-agnostic side may be any).
   */
  public exported(node: CfnResource | CfnOutput, name: string): CfnOutput | undefined {
    const stack = Stack.of(node);
    const same = (a: string, b: string) => a === b || Token.isUnresolved(a) || Token.isUnresolved(b);
    return this.exports.get(name)?.find(o => same(Stack.of(o).account, stack.account) && same(Stack.of(o).region, stack.region));
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

  /** The standalone ingress rules of a security group. */
  public ingressesOf(group: CfnResource): ec2.CfnSecurityGroupIngress[] {
    // In a default VPC a standalone rule may name its group by `GroupName`.
    return this.ingresses.filter(i => this.resolveReference(i, i.groupId ?? i.groupName) === group);
  }

  /** The standalone egress rules of a security group. */
  public egressesOf(group: CfnResource): ec2.CfnSecurityGroupEgress[] {
    return this.egresses.filter(e => this.resolveReference(e, e.groupId) === group);
  }

  /**
   * A key naming the VPC of a subnet reference: the VPC resource when the app defines it (however the subnet refers
   * to it, `Ref` or `Fn::GetAtt … VpcId`), else the VPC's resolved ID, or else the subnet itself.
   */
  public vpcOfSubnet(node: CfnResource, subnetId: unknown): string {
    const subnet = this.resolveReference(node, subnetId);
    if (subnet instanceof ec2.CfnSubnet) {
      const vpc = this.resolveReference(subnet, subnet.vpcId);
      return vpc ? `vpc:${vpc.node.path}` : `${Stack.of(subnet).node.path}:${JSON.stringify(Stack.of(subnet).resolve(subnet.vpcId))}`;
    }
    return `subnet:${JSON.stringify(Stack.of(node).resolve(subnetId))}`;
  }

  /** The VPC keys (see `vpcOfSubnet`) of the app's endpoints. */
  public endpointVpcs(): Set<string> {
    return new Set(this.endpoints.map(e => this.vpcOfSubnet(e, e.subnetId)));
  }

  /** The subnet resource a subnet reference points at, when it is in the app. */
  public subnet(node: CfnResource, subnetId: unknown): ec2.CfnSubnet | undefined {
    const subnet = this.resolveReference(node, subnetId);
    return subnet instanceof ec2.CfnSubnet ? subnet : undefined;
  }
}
