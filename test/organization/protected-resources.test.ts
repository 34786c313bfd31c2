/**
 * The model meets the library's output: every resource the baseline, the central alerts and InstanceConnectAccess
 * synthesize is either selected the way the guardrails' model says (the protected tag, the IAM path, the bucket
 * prefix, the parameter prefix, or every resource of its type), or named here with the reason it needs no protection.
 * A resource type added to a construct fails this test until it is placed.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { README_PROPS } from './guardrails-world';
import { InstanceConnectAccess, InstanceConnectCentralAlerts, InstanceConnectStackSet } from '../../lib';
import { guardrailModel } from '../../lib/organization/private/guardrail-model';
import {
  PROTECTED_BUCKET_PREFIX, PROTECTED_BY_TAG_TYPES, PROTECTED_IAM_PATH, PROTECTED_LOG_GROUP_PREFIX, PROTECTED_TAG, PROTECTED_TARGETS_TAG_VALUE,
} from '../../lib/private/protected-tag';
import { STRICT_VALIDATION, testInstance, testVpc } from '../util';

type Resource = { Type: string; Properties?: any };

function templates(): Record<string, any> {
  const app = new App({ context: STRICT_VALIDATION });
  const management = new Stack(app, 'Management', { env: { account: '999988887777', region: 'eu-west-1' } });
  new InstanceConnectStackSet(management, 'Baseline', {
    organizationalUnitIds: ['ou-ab12-cdef3456'],
    regions: ['eu-west-1', 'us-east-1'],
    baseline: {
      centralEventBusArn: 'arn:aws:events:eu-west-1:222222222222:event-bus/instance-connect',
      createTrail: true,
      trailHomeRegion: 'eu-west-1',
      targetPorts: [22, 3389],
    },
  });
  const security = new Stack(app, 'Security', { env: { account: '222222222222', region: 'eu-west-1' } });
  new InstanceConnectCentralAlerts(security, 'Central', { organizationId: 'o-a1b2c3d4e5' });
  const workload = new Stack(app, 'Workload', { env: { account: '111122223333', region: 'us-east-1' } });
  const vpc = testVpc(workload);
  const access = new InstanceConnectAccess(workload, 'Access', { vpc });
  const web = testInstance(workload, vpc);
  access.allowConnectionsTo(web);
  access.addOperatorRole('OnCall', { instances: [web], osUsers: ['ec2-user'] });
  access.allowConnectionsTo(access.targetsSecurityGroupFor(ec2.Port.tcp(22)));
  const body = Template.fromStack(management).findResources('AWS::CloudFormation::StackSet');
  return {
    baseline: JSON.parse((Object.values(body)[0] as any).Properties.TemplateBody),
    central: Template.fromStack(security).toJSON(),
    access: Template.fromStack(workload).toJSON(),
  };
}

const tagged = (r: Resource) => {
  const tags = r.Properties?.Tags;
  const list = Array.isArray(tags) ? tags : Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  return list.some((t: any) => t.Key === PROTECTED_TAG.key && [PROTECTED_TAG.value, PROTECTED_TARGETS_TAG_VALUE].includes(t.Value));
};
const model = guardrailModel(README_PROPS, 'aws');
const parameterPrefixes = model.resources.flatMap(r => r.arns ?? []).filter(a => a.includes(':parameter/'))
  .map(a => `/${a.split(':parameter/')[1].replace(/\*$/, '')}`);

/** How the guardrails select each resource the library makes, or why they need not. */
function selection(logicalId: string, r: Resource): string {
  if (/^(Vpc|Instance)/.test(logicalId)) {
    return 'not protected: the test\'s own workload';
  }
  if (PROTECTED_BY_TAG_TYPES.includes(r.Type)) {
    return tagged(r) ? 'the protected tag' : `MISSING the protected tag on ${logicalId}`;
  }
  if (tagged(r)) {
    return `${logicalId} (${r.Type}) carries the protected tag but the guardrails do not model its type`;
  }
  switch (r.Type) {
    case 'AWS::EC2::InstanceConnectEndpoint':
    case 'AWS::CloudTrail::Trail':
      return 'every resource of its type';
    case 'AWS::S3::Bucket':
      return JSON.stringify(r.Properties.BucketName).includes(PROTECTED_BUCKET_PREFIX) ? 'the bucket prefix' : `MISSING the bucket prefix on ${logicalId}`;
    case 'AWS::Logs::LogGroup':
      return JSON.stringify(r.Properties.LogGroupName).includes(PROTECTED_LOG_GROUP_PREFIX) ? 'the log group prefix' : `MISSING the log group prefix on ${logicalId}`;
    case 'AWS::S3::BucketPolicy':
      return 'its bucket\'s prefix';
    case 'AWS::SSM::Parameter':
      return parameterPrefixes.some(p => String(r.Properties.Name).startsWith(p)) ? 'the parameter prefix' : `MISSING the parameter prefix on ${logicalId}`;
    case 'AWS::EC2::SecurityGroupIngress':
    case 'AWS::EC2::SecurityGroupEgress':
      return 'its group\'s protected tag';
    case 'AWS::SNS::TopicPolicy':
      return 'its topic\'s protected tag';
    case 'AWS::Logs::ResourcePolicy':
    case 'AWS::Events::EventBusPolicy':
      return 'the resource-less actions that change it';
    case 'AWS::IAM::Role':
    case 'AWS::IAM::ManagedPolicy':
      if (r.Properties.Path === PROTECTED_IAM_PATH) {
        return 'the IAM path';
      }
      // The control-plane role and operator roles: what they may do is bounded by the guardrails themselves (endpoint
      // changes are the deployers', tunnels and key pushes the named principals'), whatever their policies say.
      return 'not protected: the guardrails bound what the control-plane and operator roles can do';
    default:
      return `UNPLACED ${logicalId} (${r.Type})`;
  }
}

describe('every resource the library deploys is placed in the guardrails\' model', () => {
  const all = templates();
  test.each(Object.keys(all))('%s', (name) => {
    const placed = Object.entries<Resource>(all[name].Resources).map(([id, r]) => `${r.Type}: ${selection(id, r)}`);
    expect(placed.filter(p => /MISSING|UNPLACED|does not model/.test(p))).toEqual([]);
  });

  test('the tagged types are exactly the model\'s tag-selected types', () => {
    const modelled = new Set(model.resources.filter(r => r.tagConditionPrefix).flatMap(r => r.cloudFormationTypes ?? []));
    expect([...modelled].sort()).toEqual([...PROTECTED_BY_TAG_TYPES].sort());
  });

  test('the targets groups, and only they, are marked as groups workloads may join', () => {
    const groups = Object.values(all).flatMap(t => Object.entries<Resource>(t.Resources)).filter(([, r]) => r.Type === 'AWS::EC2::SecurityGroup');
    const isTargets = (t: any) => t.Key === PROTECTED_TAG.key && t.Value === PROTECTED_TARGETS_TAG_VALUE;
    const marked = groups.filter(([, r]) => (r.Properties.Tags ?? []).some(isTargets));
    expect(marked.map(([id]) => id).sort()).toEqual(groups.map(([id]) => id).filter(id => /TargetsSecurityGroup/.test(id)).sort());
    expect(marked.length).toBeGreaterThan(0);
  });

  test('each kind of protected resource of the model appears in the library\'s output', () => {
    const types = new Set(Object.values(all).flatMap(t => Object.values<Resource>(t.Resources)).filter(tagged).map(r => r.Type));
    expect([...types].sort()).toEqual([...PROTECTED_BY_TAG_TYPES].sort());
  });
});
