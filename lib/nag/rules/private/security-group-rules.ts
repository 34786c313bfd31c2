import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** A security-group rule, inline or standalone, with its values resolved. */
export interface Rule {
  readonly cidrIp?: unknown;
  readonly cidrIpv6?: unknown;
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
}

/** The inline ingress (or egress) rules of a security group. */
export function inlineRules(group: ec2.CfnSecurityGroup, direction: 'ingress' | 'egress'): Rule[] {
  const rules = Stack.of(group).resolve(direction === 'ingress' ? group.securityGroupIngress : group.securityGroupEgress) as
    Array<Record<string, unknown>> | undefined;
  return (rules ?? []).map(normalise);
}

/** A standalone `AWS::EC2::SecurityGroupIngress` or `Egress`. */
export function standaloneRule(node: ec2.CfnSecurityGroupIngress | ec2.CfnSecurityGroupEgress): Rule {
  const stack = Stack.of(node);
  return normalise({
    cidrIp: stack.resolve(node.cidrIp),
    cidrIpv6: stack.resolve(node.cidrIpv6),
    ipProtocol: stack.resolve(node.ipProtocol),
    fromPort: stack.resolve(node.fromPort),
    toPort: stack.resolve(node.toPort),
  });
}

/** To or from any IPv4 or IPv6 address. */
export function isAnywhere(rule: Rule): boolean {
  return rule.cidrIp === '0.0.0.0/0' || rule.cidrIpv6 === '::/0';
}

/** The literal CIDRs a rule admits (references to groups and prefix lists have none). */
export function sourceRanges(rule: Rule): string[] {
  return [rule.cidrIp, rule.cidrIpv6].filter((c): c is string => typeof c === 'string');
}

/** Whether the rule lets `protocol` traffic on `port` through (all protocols, or the protocol with the port in range). */
export function coversPort(rule: Rule, port: number, protocol: 'tcp' | 'udp' = 'tcp'): boolean {
  if (rule.protocol === '-1' || rule.protocol === 'all') {
    return true;
  }
  const number = protocol === 'tcp' ? '6' : '17';
  if (rule.protocol !== protocol && rule.protocol !== number) {
    return false;
  }
  const from = rule.fromPort ?? 0;
  const to = rule.toPort ?? 65535;
  return (from === -1 && to === -1) || (from <= port && port <= to);
}

/** All traffic: every protocol, or every TCP port. */
export function isAllTraffic(rule: Rule): boolean {
  return rule.protocol === '-1' || rule.protocol === 'all' || (coversPort(rule, 1) && coversPort(rule, 65535));
}

function normalise(rule: Record<string, unknown>): Rule {
  const number = (v: unknown) => (v === undefined || v === null || typeof v === 'object' ? undefined : Number(v));
  return {
    cidrIp: rule.cidrIp ?? rule.CidrIp,
    cidrIpv6: rule.cidrIpv6 ?? rule.CidrIpv6,
    protocol: String(rule.ipProtocol ?? rule.IpProtocol).toLowerCase(),
    fromPort: number(rule.fromPort ?? rule.FromPort),
    toPort: number(rule.toPort ?? rule.ToPort),
  };
}
