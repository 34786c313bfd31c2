import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Annotations, App, Aspects, Lazy, Names, Stage, Token } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { InstanceConnectBaseline } from './instance-connect-baseline';
import { InstanceConnectStackSetProps, StackSetCallAs, StackSetRegionConcurrency } from './instance-connect-stack-set-props';
import { show, validationError } from '../private/errors';

/** The largest template StackSets takes inline (TemplateBody). */
const TEMPLATE_BODY_MAX_BYTES = 51_200;

/** The baseline's template as the StackSet receives it. */
interface BaselineTemplate {
  readonly body: string;
  readonly capabilities: string[];
  readonly errors: string[];
}

/**
 * The EC2 Instance Connect baseline (`InstanceConnectBaseline`) as a CloudFormation StackSet with service-managed
 * permissions: every account of the target OUs gets it in every target Region, and accounts that join an OU get it
 * automatically.
 *
 * The baseline is a stack of its own app, synthesized with this construct's app, and its template goes inline
 * (`TemplateBody`): it has no asset, no Lambda-backed custom resource and no CDK bootstrap check, so StackSets needs
 * nothing published first. Aspects of this construct's scopes (tags) are applied to it too, and its errors and
 * warnings are reported here. Customise it through `baseline` before synthesis; validation plugins such as cdk-nag
 * packs are the baseline app's own: `Validations.of(stackSet.baseline).addPlugins(new AwsSolutionsChecks(stackSet.baseline))`.
 *
 * Deploy it in the organisation's management account, or a delegated administrator account of StackSets with
 * `callAs: StackSetCallAs.DELEGATED_ADMIN`; StackSets does not deploy to the management account itself.
 *
 * @example
 * new InstanceConnectStackSet(this, 'Baseline', {
 *   organizationalUnitIds: ['ou-ab12-cdef3456', 'ou-ab12-ghij7890'],
 *   regions: ['eu-west-1', 'eu-central-1', 'us-east-1'],
 *   baseline: { centralEventBusArn: 'arn:aws:events:eu-west-1:111111111111:event-bus/instance-connect' },
 * });
 */
export class InstanceConnectStackSet extends Construct {
  /**
   * The StackSet.
   *
   * An L1 on purpose: aws-cdk-lib has no stable L2 for StackSets, so this is the escape hatch to what this construct
   * does not set.
   */
  public readonly stackSet: cloudformation.CfnStackSet;
  /** The stack each account gets (in an app of its own). */
  public readonly baseline: InstanceConnectBaseline;
  private readonly app: App;
  private template?: BaselineTemplate;

  constructor(scope: Construct, id: string, props: InstanceConnectStackSetProps) {
    super(scope, id);
    validateTargets(this, props);
    const baselineOptions = props.baseline ?? {};
    for (const [name, value] of Object.entries(baselineOptions)) {
      if (containsToken(value)) {
        throw validationError(this, `baseline.${name} must be a literal: the baseline is a template of its own, deployed in other accounts, ` +
          `and cannot refer to this app's resources; got ${show(Token.asString(value))}`);
      }
    }

    // An app of its own, so that its validation plugins (cdk-nag packs, cfn-guard, aws-cdk-lib's CloudFormation
    // rules) judge the baseline's own template; written inside this app's assembly, where its validation report stays,
    // but as no artifact of it. It fails on validation errors whatever the CDK CLI asks of this app
    // (`failSynthOnValidationErrors: false`, which leaves the CLI to read this app's report, not the baseline's), and
    // its findings become this construct's errors.
    this.app = new App({
      outdir: path.join(Stage.of(this)?.outdir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out')), `${Names.uniqueId(this)}.baseline.out`),
      autoSynth: false,
      context: this.node.getAllContext(),
      postCliContext: { [cxapi.FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT]: true },
    });
    this.baseline = new InstanceConnectBaseline(this.app, 'InstanceConnectBaseline', baselineOptions);

    this.stackSet = new cloudformation.CfnStackSet(this, 'Resource', {
      stackSetName: props.stackSetName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }),
      description: 'EC2 Instance Connect Endpoint access: the per-account baseline',
      permissionModel: 'SERVICE_MANAGED',
      callAs: props.callAs ?? StackSetCallAs.SELF,
      autoDeployment: {
        enabled: props.autoDeployment ?? true,
        retainStacksOnAccountRemoval: (props.autoDeployment ?? true) ? props.retainStacksOnAccountRemoval ?? false : undefined,
      },
      stackInstancesGroup: [{ deploymentTargets: { organizationalUnitIds: props.organizationalUnitIds }, regions: props.regions }],
      operationPreferences: {
        maxConcurrentPercentage: props.maxConcurrentPercentage ?? 25,
        failureTolerancePercentage: props.failureTolerancePercentage ?? 10,
        regionConcurrencyType: props.regionConcurrency ?? StackSetRegionConcurrency.PARALLEL,
      },
      // Operations queue instead of failing while another one runs (an account joining during a roll-out).
      managedExecution: { Active: true },
      capabilities: Lazy.list({ produce: () => this.synthesizeBaseline().capabilities }),
      templateBody: Lazy.string({ produce: () => this.synthesizeBaseline().body }),
    });
    this.node.addValidation({ validate: () => this.synthesizeBaseline().errors });
  }

  /** Synthesizes the baseline once, with the aspects of this construct's scopes. */
  private synthesizeBaseline(): BaselineTemplate {
    if (this.template) {
      return this.template;
    }
    for (const scope of this.node.scopes) {
      for (const aspect of Aspects.of(scope).all) {
        Aspects.of(this.app).add(aspect);
      }
    }
    let artifact: cxapi.CloudFormationStackArtifact;
    let template: TemplateShape & { Parameters?: Record<string, unknown> };
    try {
      artifact = this.app.synth().getStackArtifact(this.baseline.artifactId);
      template = artifact.template;
    } catch (error) {
      // Validation plugins added to the baseline (cdk-nag packs) report by throwing.
      this.template = { body: '{}', capabilities: [], errors: [`baseline: ${(error as Error).message}`] };
      return this.template;
    }
    const errors: string[] = [];
    for (const message of artifact.messages) {
      const text = `baseline ${message.id}: ${String(message.entry.data)}`;
      if (message.level === 'error') {
        errors.push(text);
      } else if (message.level === 'warning') {
        const ack = /\[ack: ([^\]]+)\]\s*$/.exec(text);
        Annotations.of(this).addWarningV2(ack?.[1] ?? 'cdk-instance-connect-access:baselineWarning', text.replace(/\s*\[ack: [^\]]+\]\s*$/, ''));
      }
    }
    const body = JSON.stringify(template);
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes > TEMPLATE_BODY_MAX_BYTES) {
      errors.push(`the baseline's template is ${bytes} bytes; StackSets takes at most ${TEMPLATE_BODY_MAX_BYTES} inline`);
    }
    if (/cdk-[a-z0-9]+-(container-)?assets-/.test(body)) {
      errors.push('the baseline uses CDK assets (a Lambda function\'s code, a file), which StackSets does not publish: use inline resources only');
    }
    if (template.Parameters?.BootstrapVersion) {
      errors.push('the baseline checks the CDK bootstrap version, which the accounts of a StackSet do not have: use a synthesizer without it');
    }
    // The StackSet passes no parameter values: a parameter without a default can never get one.
    const undefaulted = Object.entries(template.Parameters ?? {}).filter(([name, p]) => name !== 'BootstrapVersion' && (p as { Default?: unknown }).Default === undefined);
    if (undefaulted.length > 0) {
      errors.push(`the baseline's parameters ${undefaulted.map(([name]) => name).join(', ')} have no default, and the StackSet passes no values: ` +
        'give each a default, or read the value from an SSM parameter (ssm.StringParameter.valueForStringParameter)');
    }
    if (template.Transform !== undefined) {
      errors.push(`the baseline uses the transform ${JSON.stringify(template.Transform)}, which service-managed StackSets cannot run ` +
        '(their execution role runs no macro): use resources the transform would produce instead');
    }
    this.template = { body, capabilities: capabilitiesOf(template), errors };
    return this.template;
  }
}

/** A synthesized template, as far as capabilities go. */
interface TemplateShape {
  readonly Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  readonly Transform?: unknown;
}

/** What CloudFormation must be told the template does. */
function capabilitiesOf(template: TemplateShape): string[] {
  const resources = Object.values(template.Resources ?? {});
  const iam = resources.filter(r => r.Type.startsWith('AWS::IAM::'));
  const named = iam.some(r => ['RoleName', 'ManagedPolicyName', 'GroupName', 'UserName', 'InstanceProfileName'].some(p => r.Properties?.[p] !== undefined));
  return [
    ...(iam.length > 0 ? ['CAPABILITY_IAM'] : []),
    ...(named ? ['CAPABILITY_NAMED_IAM'] : []),
  ];
}

function validateTargets(scope: Construct, props: InstanceConnectStackSetProps): void {
  if (props.organizationalUnitIds.length === 0) {
    throw validationError(scope, 'organizationalUnitIds must name at least one OU or the root, got []');
  }
  props.organizationalUnitIds.forEach((ou, i) => {
    if (!Token.isUnresolved(ou) && !/^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/.test(ou)) {
      throw validationError(scope, `organizationalUnitIds[${i}] must be an OU ID such as ou-ab12-cdef3456 or a root ID such as r-ab12, got ${show(ou)}`);
    }
  });
  if (props.regions.length === 0) {
    throw validationError(scope, 'regions must name at least one Region, got []');
  }
  props.regions.forEach((region, i) => {
    if (!Token.isUnresolved(region) && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
      throw validationError(scope, `regions[${i}] must be a Region name such as eu-west-1, got ${show(region)}`);
    }
  });
  if (new Set(props.regions).size !== props.regions.length) {
    throw validationError(scope, `regions must not repeat a Region, got ${show(props.regions)}`);
  }
  if (props.stackSetName !== undefined && !Token.isUnresolved(props.stackSetName) && !/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(props.stackSetName)) {
    throw validationError(scope, `stackSetName must start with a letter and hold up to 128 letters, digits and dashes, got ${show(props.stackSetName)}`);
  }
  const percentage = (name: string, value: number | undefined, min: number) => {
    if (value !== undefined && !Token.isUnresolved(value) && (!Number.isInteger(value) || value < min || value > 100)) {
      throw validationError(scope, `${name} must be a whole number from ${min} to 100, got ${show(value)}`);
    }
  };
  percentage('maxConcurrentPercentage', props.maxConcurrentPercentage, 1);
  percentage('failureTolerancePercentage', props.failureTolerancePercentage, 0);
  const baseline = props.baseline ?? {};
  if (baseline.createTrail && props.regions.length > 1 && !baseline.trailHomeRegion) {
    throw validationError(scope, `baseline.trailHomeRegion must name the Region of the multi-Region trail when createTrail deploys to ${props.regions.length} ` +
      `Regions; otherwise each Region would create a trail of the same name, got ${show(props.regions)} and no trailHomeRegion`);
  }
  if (baseline.trailHomeRegion && !Token.isUnresolved(baseline.trailHomeRegion) && !props.regions.includes(baseline.trailHomeRegion)) {
    throw validationError(scope, `baseline.trailHomeRegion must be one of regions ${show(props.regions)}, got ${show(baseline.trailHomeRegion)}`);
  }
  if (props.autoDeployment === false && props.retainStacksOnAccountRemoval !== undefined) {
    throw validationError(scope, 'retainStacksOnAccountRemoval applies to automatic deployment; it needs autoDeployment: true');
  }
}

/** Whether a baseline option holds a token, however deep. */
function containsToken(value: unknown): boolean {
  if (Token.isUnresolved(value)) {
    return true;
  }
  if (Array.isArray(value)) {
    return value.some(containsToken);
  }
  if (value !== null && typeof value === 'object') {
    return Object.values(value).some(containsToken);
  }
  return false;
}
