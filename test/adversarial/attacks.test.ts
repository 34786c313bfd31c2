/**
 * Attacks on the IAM the constructs synthesize, each sent as the request an attacker would make and evaluated by a
 * real IAM policy evaluator (@cloud-copilot/iam-simulate) against the resolved policies, together with the rights
 * an attacker typically already holds (EXTRA_RIGHTS). Next to each defence, the legitimate request it must let
 * through. The checklist mapping every hole to its tests is test/adversarial/checklist.test.ts.
 */
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { answer, Attempt, buildWorld, policiesByRole, requests } from './world';

const w = buildWorld();
const r = requests(w);
const policies = policiesByRole(w);
const asg = 'arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:0f0f0f0f-0000-4000-8000-000000000000:autoScalingGroupName/web';
const teamWeb = { 'aws:ResourceTag/team': 'web' };
const neighbourAddress = '10.1.0.10';

/** The denies every operator role carries, attacked with the rights that would otherwise win. */
function operatorDenies(role: string, tagKey: string | undefined, ownInstance: ec2.Instance, osUser: string): Attempt[] {
  const attempts: Attempt[] = [
    {
      hole: 0,
      role,
      name: `${role}, also holding AWS's EC2InstanceConnect policy, pushes a key for root`,
      extra: ['awsEc2InstanceConnect'],
      request: r.pushKey(ownInstance, 'root'),
      expected: 'ExplicitlyDenied',
    },
    {
      hole: 0,
      role,
      name: `${role}, also holding AWS's EC2InstanceConnect policy, pushes a key for ROOT`,
      extra: ['awsEc2InstanceConnect'],
      request: r.pushKey(ownInstance, 'ROOT'),
      expected: 'ExplicitlyDenied',
    },
    {
      hole: 0,
      role,
      name: `${role}, also holding AWS's EC2InstanceConnect policy, still pushes a key for ${osUser}`,
      legitimate: true,
      extra: ['awsEc2InstanceConnect'],
      request: r.pushKey(ownInstance, osUser),
      expected: 'Allowed',
    },
    {
      hole: 0,
      role,
      name: `${role}, later given ec2:*, deletes the endpoint`,
      extra: ['ec2Full'],
      request: r.call('ec2:DeleteInstanceConnectEndpoint', r.ids.endpointArn, { 'ec2:SubnetID': r.ids.subnet }),
      expected: 'ExplicitlyDenied',
    },
    {
      hole: 0,
      role,
      name: `${role}, later given ec2:*, modifies the endpoint`,
      extra: ['ec2Full'],
      request: r.call('ec2:ModifyInstanceConnectEndpoint', r.ids.endpointArn),
      expected: 'ExplicitlyDenied',
    },
    {
      hole: 0,
      role,
      name: `${role}, later given ec2:*, creates an endpoint`,
      extra: ['ec2Full'],
      request: r.call('ec2:CreateInstanceConnectEndpoint', r.arn('instance-connect-endpoint', '*'), { 'ec2:SubnetID': r.ids.subnet }),
      expected: 'ExplicitlyDenied',
    },
  ];
  if (tagKey !== undefined) {
    const upper = tagKey.toUpperCase();
    const mixed = tagKey.charAt(0).toUpperCase() + tagKey.slice(1);
    attempts.push(
      {
        hole: 1,
        role,
        name: `${role} with tagging rights tags an instance ${upper}=… to widen its access`,
        extra: ['tagging'],
        request: r.tag('ec2:CreateTags', r.instanceArn(w.stray), [upper]),
        expected: 'ExplicitlyDenied',
      },
      {
        hole: 1,
        role,
        name: `${role} with tagging rights tags an instance ${mixed}=…`,
        extra: ['tagging'],
        request: r.tag('ec2:CreateTags', r.instanceArn(w.stray), [mixed]),
        expected: 'ExplicitlyDenied',
      },
      {
        hole: 1,
        role,
        name: `${role} with tagging rights hides ${upper} among harmless keys`,
        extra: ['tagging'],
        request: r.tag('ec2:CreateTags', r.instanceArn(w.stray), ['Name', 'CostCentre', upper]),
        expected: 'ExplicitlyDenied',
      },
      {
        hole: 1,
        role,
        name: `${role} with tagging rights puts ${upper} on an Auto Scaling group (propagated at launch)`,
        extra: ['tagging'],
        request: r.tag('autoscaling:CreateOrUpdateTags', asg, [upper]),
        expected: 'ExplicitlyDenied',
      },
      {
        hole: 1,
        role,
        name: `${role} with tagging rights removes the access tag ${tagKey}`,
        extra: ['tagging'],
        request: r.tag('ec2:DeleteTags', r.instanceArn(ownInstance), [tagKey]),
        expected: 'ExplicitlyDenied',
      },
      {
        hole: 1,
        role,
        name: `${role} with tagging rights removes ${mixed} from an Auto Scaling group`,
        extra: ['tagging'],
        request: r.tag('autoscaling:DeleteTags', asg, [mixed]),
        expected: 'ExplicitlyDenied',
      },
      {
        hole: 1,
        role,
        name: `${role} with tagging rights deletes every tag at once (DeleteTags without a key list)`,
        extra: ['tagging'],
        request: r.tag('ec2:DeleteTags', r.instanceArn(ownInstance), undefined),
        expected: 'ExplicitlyDenied',
      },
      {
        hole: 1,
        role,
        name: `${role} with tagging rights still tags an instance Name=…`,
        legitimate: true,
        extra: ['tagging'],
        request: r.tag('ec2:CreateTags', r.instanceArn(w.stray), ['Name']),
        expected: 'Allowed',
      },
      {
        hole: 1,
        role,
        name: `${role} with tagging rights still removes a Name tag`,
        legitimate: true,
        extra: ['tagging'],
        request: r.tag('ec2:DeleteTags', r.instanceArn(ownInstance), ['Name']),
        expected: 'Allowed',
      },
    );
  }
  return attempts;
}

const ATTEMPTS: Attempt[] = [
  ...operatorDenies('OnCall', undefined, w.web, 'ec2-user'),
  ...operatorDenies('WebTeam', 'team', w.web, 'ec2-user'),
  ...operatorDenies('WinTeam', 'team', w.win, 'Administrator'),
  ...operatorDenies('Narrowed', 'team', w.web, 'ec2-user'),

  // 1. Tag-based access: what the tags narrow, and what a case variant cannot do.
  {
    hole: 1,
    role: 'WebTeam',
    name: 'WebTeam pushes a key to an instance tagged team=web',
    legitimate: true,
    request: r.pushKey(w.web, 'ec2-user', teamWeb),
    expected: 'Allowed',
  },
  { hole: 1, role: 'WebTeam', name: 'WebTeam pushes a key to an untagged instance', request: r.pushKey(w.stray, 'ec2-user'), expected: 'ImplicitlyDenied' },
  {
    hole: 1,
    role: 'WebTeam',
    name: 'WebTeam pushes a key to an instance tagged team=win',
    request: r.pushKey(w.win, 'ec2-user', { 'aws:ResourceTag/team': 'win' }),
    expected: 'ImplicitlyDenied',
  },
  {
    hole: 1,
    role: 'WinTeam',
    name: 'WinTeam pushes a key to an instance tagged team=web',
    request: r.pushKey(w.web, 'Administrator', teamWeb),
    expected: 'ImplicitlyDenied',
  },
  {
    hole: 1,
    role: 'WebTeam',
    name: 'WebTeam pushes a key from outside the office',
    request: r.pushKey(w.web, 'ec2-user', { ...teamWeb, 'aws:SourceIp': '198.51.100.9' }),
    expected: 'ImplicitlyDenied',
  },

  // 2. The control plane of VPC A reaches VPC A's endpoint only.
  {
    hole: 2,
    role: 'ControlPlane',
    name: 'the control plane modifies its own endpoint',
    legitimate: true,
    request: r.call('ec2:ModifyInstanceConnectEndpoint', r.ids.endpointArn),
    expected: 'Allowed',
  },
  {
    hole: 2,
    role: 'ControlPlane',
    name: 'the control plane deletes its own endpoint',
    legitimate: true,
    request: r.call('ec2:DeleteInstanceConnectEndpoint', r.ids.endpointArn, { 'ec2:SubnetID': r.ids.subnet }),
    expected: 'Allowed',
  },
  {
    hole: 2,
    role: 'ControlPlane',
    name: 'the control plane creates an endpoint in its own VPC',
    legitimate: true,
    request: r.call('ec2:CreateInstanceConnectEndpoint', r.arn('instance-connect-endpoint', '*'), { 'ec2:SubnetID': r.ids.subnet }),
    expected: 'Allowed',
  },
  {
    hole: 2,
    role: 'ControlPlane',
    name: 'the control plane modifies the neighbouring VPC\'s endpoint',
    request: r.call('ec2:ModifyInstanceConnectEndpoint', r.ids.neighbourEndpointArn),
    expected: 'ImplicitlyDenied',
  },
  {
    hole: 2,
    role: 'ControlPlane',
    name: 'the control plane deletes the neighbouring VPC\'s endpoint',
    request: r.call('ec2:DeleteInstanceConnectEndpoint', r.ids.neighbourEndpointArn, { 'ec2:SubnetID': r.ids.neighbourSubnet }),
    expected: 'ImplicitlyDenied',
  },
  {
    hole: 2,
    role: 'ControlPlane',
    name: 'the control plane deletes an endpoint with no subnet in the request',
    request: r.call('ec2:DeleteInstanceConnectEndpoint', r.ids.neighbourEndpointArn),
    expected: 'ImplicitlyDenied',
  },
  {
    hole: 2,
    role: 'ControlPlane',
    name: 'the control plane creates an endpoint in the neighbouring VPC\'s subnet',
    request: r.call('ec2:CreateInstanceConnectEndpoint', r.arn('instance-connect-endpoint', '*'), { 'ec2:SubnetID': r.ids.neighbourSubnet }),
    expected: 'ImplicitlyDenied',
  },
  {
    hole: 2,
    role: 'ControlPlane',
    name: 'the control plane authorises a new endpoint on the neighbouring VPC\'s subnet resource',
    request: r.call('ec2:CreateInstanceConnectEndpoint', r.arn('subnet', r.ids.neighbourSubnet)),
    expected: 'ImplicitlyDenied',
  },
  {
    hole: 2,
    role: 'ControlPlane',
    name: 'the control plane creates a network interface in the neighbouring VPC\'s subnet',
    request: r.call('ec2:CreateNetworkInterface', r.arn('subnet', r.ids.neighbourSubnet)),
    expected: 'ImplicitlyDenied',
  },
  {
    hole: 2,
    role: 'ControlPlane',
    name: 'the control plane, later given PowerUserAccess, opens a tunnel',
    extra: ['powerUser'],
    request: r.tunnel(r.ip(w.web)),
    expected: 'ExplicitlyDenied',
  },
  {
    hole: 2,
    role: 'ControlPlane',
    name: 'the control plane, later given PowerUserAccess, pushes a key',
    extra: ['powerUser'],
    request: r.pushKey(w.web, 'ec2-user'),
    expected: 'ExplicitlyDenied',
  },

  // 4. Tunnels of grants by tag: narrowed to the subnets of the targets with a network path, or targetSubnets.
  {
    hole: 4,
    role: 'WebTeam',
    name: 'WebTeam tunnels to a target of its port',
    legitimate: true,
    request: r.tunnel(r.ip(w.web)),
    expected: 'Allowed',
  },
  {
    hole: 4,
    role: 'WebTeam',
    name: 'WebTeam tunnels to an instance in a subnet with no target (isolated)',
    request: r.tunnel(r.ip(w.stray)),
    expected: 'ImplicitlyDenied',
  },
  {
    hole: 4,
    role: 'WebTeam',
    name: 'WebTeam tunnels to an address of the neighbouring VPC',
    request: r.tunnel(neighbourAddress),
    expected: 'ImplicitlyDenied',
  },
  { hole: 4, role: 'WebTeam', name: 'WebTeam tunnels to RDP', request: r.tunnel(r.ip(w.win), { 'ec2-instance-connect:remotePort': '3389' }), expected: 'ImplicitlyDenied' },
  { hole: 4, role: 'WinTeam', name: 'WinTeam tunnels to SSH', request: r.tunnel(r.ip(w.win)), expected: 'ImplicitlyDenied' },
  {
    hole: 4,
    role: 'WinTeam',
    name: 'WinTeam tunnels to RDP on its target',
    legitimate: true,
    request: r.tunnel(r.ip(w.win), { 'ec2-instance-connect:remotePort': '3389' }),
    expected: 'Allowed',
  },
  {
    hole: 4,
    role: 'WinTeam',
    name: 'WinTeam tunnels to RDP in a subnet with no RDP target',
    request: r.tunnel(r.ip(w.stray), { 'ec2-instance-connect:remotePort': '3389' }),
    expected: 'ImplicitlyDenied',
  },
  {
    hole: 4,
    role: 'Narrowed',
    name: 'a grant narrowed by targetSubnets tunnels into its subnet',
    legitimate: true,
    request: r.tunnel(r.ip(w.web)),
    expected: 'Allowed',
  },
  {
    hole: 4,
    role: 'Narrowed',
    name: 'a grant narrowed by targetSubnets tunnels into another subnet',
    request: r.tunnel(r.ip(w.stray)),
    expected: 'ImplicitlyDenied',
  },

  // 8. The serial console is data plane: never granted, and denied to the control plane.
  {
    hole: 8,
    role: 'OnCall',
    name: 'an operator pushes a serial-console key to its own instance',
    request: { ...r.pushKey(w.web, 'ec2-user'), action: 'ec2-instance-connect:SendSerialConsoleSSHPublicKey' },
    expected: 'ImplicitlyDenied',
  },
  {
    hole: 8,
    role: 'OnCall',
    name: 'an operator still pushes an SSH key to its own instance',
    legitimate: true,
    request: r.pushKey(w.web, 'ec2-user'),
    expected: 'Allowed',
  },
  {
    hole: 8,
    role: 'ControlPlane',
    name: 'the control plane, later given PowerUserAccess, pushes a serial-console key',
    extra: ['powerUser'],
    request: { ...r.pushKey(w.web, 'ec2-user'), action: 'ec2-instance-connect:SendSerialConsoleSSHPublicKey' },
    expected: 'ExplicitlyDenied',
  },
];

describe('attacks on the synthesized IAM', () => {
  test('at least 30 attacks, each defence next to a legitimate request', () => {
    expect(ATTEMPTS.filter(a => !a.legitimate).length).toBeGreaterThanOrEqual(30);
    for (const hole of new Set(ATTEMPTS.map(a => a.hole))) {
      expect({ hole, legitimate: ATTEMPTS.some(a => a.hole === hole && a.legitimate) }).toEqual({ hole, legitimate: true });
    }
  });

  test.each(ATTEMPTS.map(a => [a.name, a] as const))('%s', (_name, attempt) => {
    expect(answer(policies, attempt)).toEqual(attempt.expected);
  });
});

describe('every deny is load-bearing', () => {
  // Drop a deny (or one condition of it) from the synthesized policies: an attack must then succeed, or a
  // legitimate request fail (a deny without its condition denies more).
  const mutations: Array<[string, () => void, () => void]> = [];
  for (const [role, rolePolicies] of Object.entries(policies)) {
    for (const { name, policy } of rolePolicies) {
      const statements = policy.Statement as any[];
      statements.forEach((statement, i) => {
        if (statement.Effect !== 'Deny') {
          return;
        }
        mutations.push([`${role}: dropping ${name} ${statement.Sid ?? i}`,
          () => { statements.splice(statements.indexOf(statement), 1); },
          () => { statements.splice(i, 0, statement); }]);
        for (const [operator, keys] of Object.entries<any>(statement.Condition ?? {})) {
          for (const key of Object.keys(keys)) {
            const value = keys[key];
            mutations.push([`${role}: dropping ${operator} ${key} from ${name} ${statement.Sid ?? i}`,
              () => { delete keys[key]; }, () => { keys[key] = value; }]);
          }
        }
      });
    }
  }

  test('there are denies to drop in every role', () => {
    for (const role of Object.keys(policies)) {
      expect({ role, denies: mutations.some(([what]) => what.startsWith(`${role}:`)) }).toEqual({ role, denies: true });
    }
  });

  test.each(mutations.map(([what, drop, restore]) => [what, drop, restore] as const))('%s is caught', (what, drop, restore) => {
    const role = what.split(':')[0];
    drop();
    try {
      const changed = ATTEMPTS.filter(a => a.role === role && answer(policies, a) !== a.expected);
      expect(changed.length).toBeGreaterThan(0);
    } finally {
      restore();
    }
  });
});

describe('what tags cannot narrow is said at synth time', () => {
  test('a grant by tag warns that its tunnels reach every target of its ports in those subnets', () => {
    Annotations.fromStack(w.stack).hasWarning('/Test/Access/WebTeam', Match.stringLikeRegexp(
      'names targets by instanceIds or instanceTags, which OpenTunnel cannot see .* the IDs and tags narrow only key pushes'));
  });

  test('a grant narrowed by targetSubnets or instances does not warn', () => {
    const warnings = Annotations.fromStack(w.stack).findWarning('*', Match.stringLikeRegexp('OpenTunnel cannot see')).map(m => m.id);
    expect(warnings.sort()).toEqual(['/Test/Access/WebTeam', '/Test/Access/WinTeam']);
  });
});
