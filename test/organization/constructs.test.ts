import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { IdentityCenterPrincipal, InstanceConnectGuardrails, InstanceConnectPermissionSet, InstanceConnectPermissionSetProps } from '../../lib';
import { findings } from '../nag/utils';
import { synthStrict, testStack } from '../util';
import { ACCOUNT_A, ACCOUNT_B, buildOrganization, INSTANCE_ARN } from './org-world';

const base: InstanceConnectPermissionSetProps = {
  instanceArn: INSTANCE_ARN, name: 'InstanceConnect', osUsers: ['ec2-user'], instanceTagAttributes: { team: 'team' },
};

describe('InstanceConnectPermissionSet', () => {
  test('a permission set with the data plane inline, one hour sessions, and an assignment per account', () => {
    const { stack, permissionSet } = buildOrganization();

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SSO::PermissionSet', {
      InstanceArn: INSTANCE_ARN, Name: 'InstanceConnect', SessionDuration: 'PT60M', InlinePolicy: Match.objectLike({ Version: '2012-10-17' }),
    });
    template.resourceCountIs('AWS::SSO::Assignment', 2);
    for (const account of [ACCOUNT_A, ACCOUNT_B]) {
      template.hasResourceProperties('AWS::SSO::Assignment', {
        InstanceArn: INSTANCE_ARN,
        PrincipalType: 'GROUP',
        TargetType: 'AWS_ACCOUNT',
        TargetId: account,
        PermissionSetArn: stack.resolve(permissionSet.permissionSetArn),
      });
    }
    template.resourceCountIs('AWS::SSO::InstanceAccessControlAttributeConfiguration', 0);
    expect(() => synthStrict(stack)).not.toThrow();
  });

  test('attribute-based tags: the instance\'s tag must equal the person\'s attribute', () => {
    const { permissionSetPolicy } = buildOrganization();
    const push = permissionSetPolicy.Statement.find((s: any) => s.Sid === 'PushKeysToTaggedInstances');
    expect(push.Condition.StringEquals).toEqual({ 'ec2:osuser': 'ec2-user', 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' });
    expect(push.Resource).toEqual('arn:aws:ec2:*:*:instance/*');
    const tunnel = permissionSetPolicy.Statement.find((s: any) => s.Sid === 'TunnelThroughTaggedEndpoints');
    expect(tunnel.Condition.StringEquals).toEqual({ 'aws:ResourceTag/instance-connect-access:endpoint': 'true' });
  });

  test('attributes for access control only when asked, with a warning that they replace the existing ones', () => {
    const stack = testStack();
    new InstanceConnectPermissionSet(stack, 'Ps', { ...base, accessControlAttributes: { team: '${path:enterprise.department}' } });

    Template.fromStack(stack).hasResourceProperties('AWS::SSO::InstanceAccessControlAttributeConfiguration', {
      InstanceArn: INSTANCE_ARN, AccessControlAttributes: [{ Key: 'team', Value: { Source: ['${path:enterprise.department}'] } }],
    });
    Annotations.fromStack(stack).hasWarning('/Test/Ps', Match.stringLikeRegexp('this replaces any existing one'));
  });

  test('an RDP-only permission set needs no OS user and pushes no key', () => {
    const stack = testStack();
    const ps = new InstanceConnectPermissionSet(stack, 'Ps', { instanceArn: INSTANCE_ARN, name: 'Desktop', remotePorts: [3389] });
    const statements = stack.resolve(ps.policyDocument.toJSON()).Statement;
    expect(statements.filter((s: any) => s.Effect === 'Allow').map((s: any) => s.Sid)).toEqual(['TunnelThroughTaggedEndpoints', 'DescribeForTheCli']);
  });

  test.each([
    ['a name Identity Center refuses', { name: 'Instance Connect!' }, 'props.name must be 1-32 letters, digits or +=,.@-_, got "Instance Connect!"'],
    ['an instance ARN that is not one', { instanceArn: 'arn:aws:iam::111122223333:role/x' }, 'props.instanceArn must be an IAM Identity Center instance ARN'],
    ['a session of 13 hours', { sessionDuration: Duration.hours(13) }, 'props.sessionDuration must be whole minutes from 1 to 12 hours, got 13 hours'],
    ['key pushes with no instance tags', { instanceTagAttributes: undefined }, 'must name the instances by instanceTags or instanceTagAttributes, got neither'],
    ['no OS users for SSH', { osUsers: undefined }, 'props.osUsers is required unless the permission set only opens RDP'],
    ['root without allowRootLogin', { osUsers: ['root'] }, 'props.osUsers[0] is "root": set allowRootLogin'],
    ['an attribute key with a space', { instanceTagAttributes: { team: 'my team' } }, 'props.instanceTagAttributes["team"] must be an attribute key'],
    ['no endpoint tag at all', { endpointTags: {} }, 'props.endpointTags must name at least one tag (tunnels would reach every endpoint), got {}'],
  ] as const)('refuses %s, naming the property and the value', (_name, change, message) => {
    const stack = testStack();
    expect(() => new InstanceConnectPermissionSet(stack, 'Ps', { ...base, ...change } as InstanceConnectPermissionSetProps)).toThrow(message);
  });

  test('a policy larger than a role\'s inline policies may be is refused at synth', () => {
    const stack = testStack();
    const osUsers = Array.from({ length: 600 }, (_, i) => `operator-user-${i}`);
    expect(() => new InstanceConnectPermissionSet(stack, 'Ps', { ...base, osUsers }))
      .toThrow(/the permission set's inline policy is about \d+ characters, more than the 10240 IAM allows a role's inline policies/);
  });

  test('assignments take 12-digit accounts only', () => {
    const stack = testStack();
    const ps = new InstanceConnectPermissionSet(stack, 'Ps', base);
    expect(() => ps.assign(IdentityCenterPrincipal.user('u-1'), ['1111'])).toThrow('assign accounts[0] must be a 12-digit account ID, got "1111"');
    expect(() => ps.assign(IdentityCenterPrincipal.user('u-1'), [])).toThrow('assign accounts must not be empty, got []');
  });

  test('InstanceConnectChecks reads the permission set: no error, and the honest warning that tunnels are not narrowed by address', () => {
    const { stack } = buildOrganization();
    const byRule = (rule: string) => findings(stack, rule).map(f => f.path);
    for (const rule of ['EIC3', 'EIC4', 'EIC5', 'EIC6', 'EIC7', 'EIC8', 'EIC10']) {
      expect({ rule, found: byRule(rule) }).toEqual({ rule, found: [] });
    }
    expect(byRule('EIC14')).toEqual(['Org/InstanceConnect/Resource']);
  });
});

describe('InstanceConnectGuardrails', () => {
  test('two service control policies, attached to the targets, each within 5,120 characters', () => {
    const { stack, guardrails } = buildOrganization();

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Organizations::Policy', 2);
    template.allResourcesProperties('AWS::Organizations::Policy', { Type: 'SERVICE_CONTROL_POLICY', TargetIds: ['ou-ab12-cdefgh34'] });
    for (const document of guardrails.documents) {
      // As the API counts it: minified, with the partition (the longest, aws-us-gov) CloudFormation fills in.
      const content = JSON.stringify(stack.resolve(document.toJSON()))
        .replace(/\{"Fn::Join":\["",\["arn:",\{"Ref":"AWS::Partition"\},"([^"]*)"\]\]\}/g, '"arn:aws-us-gov$1"');
      expect(content.length).toBeLessThanOrEqual(5120);
    }
    expect(guardrails.documents.flatMap(d => d.toJSON().Statement.map((s: any) => s.Sid))).toEqual([
      'DataPlaneOnlyForNamedPrincipals', 'NoSerialConsole', 'ProtectedTagKeysOnlyForDeployers', 'FleetTagsOnlyForDeployers',
      'DeletingEveryTagOnlyForDeployers', 'ProtectedByNameOnlyForDeployers', 'ProtectedByTagOnlyForDeployers', 'TargetsGroupsOnlyForDeployers',
      'ReferencingTargetArnOnlyForDeployers', 'ReferencingDeliveryDestinationResourceArnOnlyForDeployers', 'ResourcelessChangesOnlyForDeployers',
    ]);
    expect(() => synthStrict(stack)).not.toThrow();
  });

  test('many named principals split into several policies, and more than a target takes is refused', () => {
    const stack = testStack();
    const many = Array.from({ length: 80 }, (_, i) => `arn:aws:iam::*:role/team-${i}-instance-connect-operators`);
    const split = new InstanceConnectGuardrails(stack, 'Split', { targetIds: ['ou-ab12-cdefgh34'], connectPrincipals: many });
    expect(split.policies.length).toBeGreaterThan(1);
    for (const document of split.documents) {
      expect(JSON.stringify(stack.resolve(document.toJSON())).length).toBeLessThanOrEqual(5120);
    }
    expect(() => new InstanceConnectGuardrails(stack, 'TooMany', { targetIds: ['ou-ab12-cdefgh34'], connectPrincipals: many, existingPoliciesPerTarget: 4 }))
      .toThrow(/the guardrails need \d+ service control policies of at most 5120 characters, but a target takes 5 with 4 already attached/);
    // A deny's exceptions cannot be split (fewer exceptions would deny more): too many for one policy is an error.
    const tooMany = Array.from({ length: 400 }, (_, i) => `arn:aws:iam::*:role/team-${i}-instance-connect-operators`);
    expect(() => new InstanceConnectGuardrails(stack, 'TooLong', { targetIds: ['ou-ab12-cdefgh34'], connectPrincipals: tooMany }))
      .toThrow(/is longer than the 5120 characters of a service control policy \(name fewer principals or roles\) and cannot be split/);
  });

  test('policy names are unique in the organisation: two guardrails with the same ID in two stacks do not collide', () => {
    const app = new App();
    const stacks = ['Workloads', 'Sandbox'].map(id => new Stack(app, id));
    stacks.forEach(stack => new InstanceConnectGuardrails(stack, 'Guardrails', { targetIds: ['ou-ab12-cdefgh34'] }));
    const names = stacks.map(stack => (Object.values(Template.fromStack(stack).findResources('AWS::Organizations::Policy'))[0] as any).Properties.Name);
    expect(names[0]).not.toEqual(names[1]);
    expect(names[0]).toMatch(/^Workloads-Guardrails-[A-F0-9]{8}-instance-connect$/);
  });

  test('the README\'s example takes two policies; 20 permission sets and 10 break-glass roles with the CDK exemption take three', () => {
    const stack = testStack();
    const readme = new InstanceConnectGuardrails(stack, 'Readme', {
      targetIds: ['ou-ab12-cdefgh34'],
      connectPermissionSets: ['InstanceConnect'],
      accessTagKeys: ['team', 'instance-connect-access:endpoint'],
      deploymentRoles: ['arn:aws:iam::*:role/InstanceConnectDeployer'],
      breakGlassRoles: ['arn:aws:iam::*:role/BreakGlass'],
    });
    const large = new InstanceConnectGuardrails(stack, 'Large', {
      targetIds: ['ou-ab12-cdefgh34'],
      connectPermissionSets: Array.from({ length: 20 }, (_, i) => `InstanceConnectTeam${i}`),
      accessTagKeys: ['team', 'instance-connect-access:endpoint'],
      exemptCdkExecutionRole: true,
      deploymentRoles: ['arn:aws:iam::*:role/InstanceConnectDeployer'],
      breakGlassRoles: Array.from({ length: 10 }, (_, i) => `arn:aws:iam::*:role/BreakGlass${i}`),
    });
    // Minified, as the API counts it, with the partition CloudFormation fills in.
    const lengths = (g: InstanceConnectGuardrails) => g.documents.map(d => JSON.stringify(stack.resolve(d.toJSON()))
      .replace(/\{"Fn::Join":\["",\["arn:",\{"Ref":"AWS::Partition"\},"([^"]*)"\]\]\}/g, '"arn:aws$1"').length);
    // eslint-disable-next-line no-console
    console.log(`guardrails: README example ${lengths(readme).join(', ')} characters; large ${lengths(large).join(', ')} characters`);
    expect(lengths(readme)).toHaveLength(2);
    expect(lengths(large)).toHaveLength(3);
    for (const length of [...lengths(readme), ...lengths(large)]) {
      expect(length).toBeLessThanOrEqual(5120);
    }
  });

  test.each([
    ['no target', { targetIds: [] }, 'props.targetIds must name at least one OU, account or root, got []'],
    ['a target that is none of OU, account or root', { targetIds: ['engineering'] }, 'props.targetIds[0] must be an OU (ou-…), an account (12 digits) or a root (r-…), got "engineering"'],
    ['a principal that is not an ARN pattern', { targetIds: ['r-ab12'], connectPrincipals: ['operators'] }, 'props.connectPrincipals[0] must be an IAM or STS ARN pattern'],
    ['five policies already attached', { targetIds: ['r-ab12'], existingPoliciesPerTarget: 5 }, 'props.existingPoliciesPerTarget must be from 1 (FullAWSAccess) to 4, got 5'],
    ['a parameter prefix that is not a path', { targetIds: ['r-ab12'], protectedParameterPrefixes: ['instance-connect'] },
      'props.protectedParameterPrefixes[0] must be an SSM parameter path prefix such as /instance-connect/, got "instance-connect"'],
  ] as const)('refuses %s', (_name, props, message) => {
    const stack = testStack();
    expect(() => new InstanceConnectGuardrails(stack, 'G', props as any)).toThrow(message);
  });
});
