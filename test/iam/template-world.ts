import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';

/**
 * A deployed stand-in for a synthesized template: each resource gets a physical ID and attributes, and
 * intrinsic functions resolve as CloudFormation would, so policy documents become what IAM evaluates.
 */
export class TemplateWorld {
  public readonly template: any;
  private readonly physicalIds = new Map<string, string>();
  private readonly privateIps = new Map<string, string>();
  private readonly exports = new Map<string, any>();
  private readonly templates = new Map<Stack, any>();

  /** `stack` is the stack whose policies are evaluated; the other stacks of its app provide its imports. */
  constructor(public readonly stack: Stack) {
    for (const s of stack.node.root.node.findAll().filter(Stack.isStack)) {
      this.templates.set(s, Template.fromStack(s).toJSON());
    }
    this.template = this.templates.get(stack);
    let counter = 0;
    let endpoints = 0;
    const allResources = [...this.templates.values()].flatMap(t => Object.entries<any>(t.Resources));
    for (const [logicalId, resource] of allResources) {
      const n = ++counter;
      const hex = n.toString(16).padStart(17, '0');
      switch (resource.Type) {
        case 'AWS::EC2::Instance':
          this.physicalIds.set(logicalId, `i-${hex}`);
          this.privateIps.set(logicalId, addressIn(subnetCidrOf(resource, allResources) ?? '10.0.128.0/17', n));
          break;
        case 'AWS::EC2::InstanceConnectEndpoint':
          this.physicalIds.set(logicalId, `eice-${(++endpoints).toString(16).padStart(17, '0')}`);
          break;
        case 'AWS::EC2::VPC':
          this.physicalIds.set(logicalId, `vpc-${hex}`);
          break;
        case 'AWS::EC2::Subnet':
          this.physicalIds.set(logicalId, `subnet-${hex}`);
          break;
        case 'AWS::EC2::SecurityGroup':
          this.physicalIds.set(logicalId, `sg-${hex}`);
          break;
        case 'AWS::SNS::Topic':
          this.physicalIds.set(logicalId, `arn:aws:sns:${REGION}:${ACCOUNT}:${logicalId}`);
          break;
        case 'AWS::S3::Bucket':
          this.physicalIds.set(logicalId, logicalId.toLowerCase());
          break;
        case 'AWS::Logs::LogGroup':
          // A name may be built from pseudo parameters (the stack's ID), which resolve without other resources.
          const name = resource.Properties?.LogGroupName;
          this.physicalIds.set(logicalId, name !== undefined ? this.resolve(name) : logicalId);
          break;
        case 'AWS::KMS::Key':
          this.physicalIds.set(logicalId, `0000${hex.slice(-4)}-0000-4000-8000-${hex.slice(-12)}`);
          break;
        default:
          this.physicalIds.set(logicalId, logicalId);
      }
    }
    // Exports resolve in their own stack's context; logical IDs are unique enough across these test apps.
    for (const template of this.templates.values()) {
      for (const output of Object.values<any>(template.Outputs ?? {})) {
        if (output.Export) {
          this.exports.set(this.resolve(output.Export.Name), output.Value);
        }
      }
    }
  }

  /** The physical ID of a construct's L1 (or of the L1 itself). */
  public id(construct: IConstruct): string {
    return this.resolve(this.stack.resolve((construct as any).ref ?? (construct.node.defaultChild as any).ref));
  }

  /** The private IP of an instance construct. */
  public privateIp(instance: IConstruct): string {
    return this.privateIps.get(this.stack.getLogicalId(instance.node.defaultChild as any))!;
  }

  /** What CloudFormation would make of a synthesized value. */
  public resolve(value: any): any {
    if (Array.isArray(value)) {
      return value.map(v => this.resolve(v));
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'Ref') {
      return this.ref(value.Ref);
    }
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      return this.getAtt(value['Fn::GetAtt'][0], value['Fn::GetAtt'][1]);
    }
    if (keys.length === 1 && keys[0] === 'Fn::ImportValue') {
      const name = this.resolve(value['Fn::ImportValue']);
      const exported = this.exports.get(name);
      if (exported === undefined) {
        throw new Error(`unknown export ${name}`);
      }
      return this.resolve(exported);
    }
    if (keys.length === 1 && keys[0] === 'Fn::Join') {
      const [delimiter, parts] = value['Fn::Join'];
      return this.resolve(parts).join(delimiter);
    }
    if (keys.length === 1 && keys[0] === 'Fn::Split') {
      const [delimiter, source] = value['Fn::Split'];
      return String(this.resolve(source)).split(delimiter);
    }
    if (keys.length === 1 && keys[0] === 'Fn::Select') {
      const [index, list] = value['Fn::Select'];
      return this.resolve(list)[Number(index)];
    }
    if (keys.length === 1 && keys[0].startsWith('Fn::')) {
      throw new Error(`unsupported intrinsic ${keys[0]}`);
    }
    return Object.fromEntries(keys.map(k => [k, this.resolve(value[k])]));
  }

  /** The resolved identity policies of the role `role` (managed and inline). */
  public policiesOf(role: IConstruct): Array<{ name: string; policy: any }> {
    // A role defined in the stack is referenced by Ref; an imported one by its name.
    const cfn = role.node.defaultChild;
    const roleId = cfn ? this.stack.getLogicalId(cfn as any) : undefined;
    const roleName = cfn ? undefined : this.stack.resolve((role as any).roleName);
    const refersToRole = (roles: any[] | undefined) => (roles ?? []).some(r => (roleId && r.Ref === roleId) || (roleName && r === roleName));
    const policies: Array<{ name: string; policy: any }> = [];
    for (const [logicalId, resource] of Object.entries<any>(this.template.Resources)) {
      const type = resource.Type;
      if ((type === 'AWS::IAM::ManagedPolicy' || type === 'AWS::IAM::Policy') && refersToRole(resource.Properties.Roles)) {
        policies.push({ name: logicalId, policy: this.resolve(resource.Properties.PolicyDocument) });
      }
      if (type === 'AWS::IAM::Role' && logicalId === roleId) {
        for (const inline of resource.Properties.Policies ?? []) {
          policies.push({ name: inline.PolicyName, policy: this.resolve(inline.PolicyDocument) });
        }
      }
    }
    return policies;
  }

  private ref(name: string): string {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': REGION,
      'AWS::AccountId': ACCOUNT,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackId': `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/Test/0a1b2c3d-4e5f-6789-abcd-ef0123456789`,
    };
    const id = pseudo[name] ?? this.physicalIds.get(name);
    if (id === undefined) {
      throw new Error(`unknown Ref ${name}`);
    }
    return id;
  }

  private getAtt(logicalId: string, attribute: string): string {
    const resource = [...this.templates.values()].map(t => t.Resources[logicalId]).find(r => r !== undefined);
    if (resource.Type === 'AWS::EC2::Instance' && attribute === 'PrivateIp') {
      return this.privateIps.get(logicalId)!;
    }
    if ((resource.Type === 'AWS::EC2::Subnet' || resource.Type === 'AWS::EC2::VPC') && attribute === 'CidrBlock') {
      return this.resolve(resource.Properties.CidrBlock);
    }
    if (resource.Type === 'AWS::EC2::SecurityGroup' && attribute === 'GroupId') {
      return this.physicalIds.get(logicalId)!;
    }
    if (resource.Type === 'AWS::S3::Bucket' && attribute === 'Arn') {
      return `arn:aws:s3:::${this.physicalIds.get(logicalId)}`;
    }
    if (resource.Type === 'AWS::KMS::Key' && attribute === 'Arn') {
      return `arn:aws:kms:${REGION}:${ACCOUNT}:key/${this.physicalIds.get(logicalId)}`;
    }
    if (resource.Type === 'AWS::Logs::LogGroup' && attribute === 'Arn') {
      return `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${this.resolve(resource.Properties.LogGroupName)}:*`;
    }
    if (attribute === 'Arn' || attribute.endsWith('Arn')) {
      return `arn:aws:iam::${ACCOUNT}:role/${logicalId}`;
    }
    throw new Error(`unsupported GetAtt ${logicalId}.${attribute}`);
  }
}

/** The CIDR of the subnet an instance is launched into, when it is a subnet of these templates. */
function subnetCidrOf(instance: any, resources: Array<[string, any]>): string | undefined {
  const ref = instance.Properties?.SubnetId?.Ref;
  const subnet = resources.find(([id]) => id === ref)?.[1];
  return typeof subnet?.Properties?.CidrBlock === 'string' ? subnet.Properties.CidrBlock : undefined;
}

/** The `n`th host address of an IPv4 CIDR (AWS reserves the first four). */
function addressIn(cidr: string, n: number): string {
  const [base, prefix] = cidr.split('/');
  const start = base.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(prefix));
  const address = start + 4 + (n % (size - 5));
  return [24, 16, 8, 0].map(shift => Math.floor(address / 2 ** shift) % 256).join('.');
}
