import * as fs from 'fs';
import * as path from 'path';
import { IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1 } from 'aws-cdk-lib';
import { writeReportFiles } from './private/write';

/** Options of the access review written on `cdk synth`. */
export interface InstanceConnectAccessReportProps {
  /**
   * The formats to write: any of `json`, `md` and `html`.
   * @default ['json', 'md', 'html']
   */
  readonly formats?: string[];

  /**
   * The name of the files written, without the extension.
   * @default 'instance-connect-access-report'
   */
  readonly fileName?: string;
}

/**
 * A validation plugin that writes the EC2 Instance Connect access review next to the synthesized templates: who can
 * open tunnels and push keys, to which targets, on which ports, as which OS users, from where and until when, decided
 * by evaluating the templates' IAM policies. It writes new files only and never reports a violation.
 *
 * `Validations.of(app).addPlugins(new InstanceConnectAccessReport())`
 */
export class InstanceConnectAccessReport implements IPolicyValidationPluginBeta1 {
  public readonly name = 'InstanceConnectAccessReport';
  public readonly version?: string;
  public readonly ruleIds?: string[];
  private readonly formats: string[];
  private readonly fileName: string;

  constructor(props: InstanceConnectAccessReportProps = {}) {
    this.formats = props.formats ?? ['json', 'md', 'html'];
    this.fileName = props.fileName ?? 'instance-connect-access-report';
    const unknown = this.formats.filter(f => !['json', 'md', 'html'].includes(f));
    if (unknown.length > 0 || this.formats.length === 0) {
      throw new Error(`InstanceConnectAccessReport: formats must be a non-empty list of 'json', 'md' and 'html'; got ${JSON.stringify(props.formats)}`);
    }
    if (!/^[A-Za-z0-9._-]+$/.test(this.fileName)) {
      throw new Error(`InstanceConnectAccessReport: fileName must be a plain file name (letters, digits, '.', '_', '-'); got ${JSON.stringify(props.fileName)}`);
    }
  }

  public validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const directory = context.templatePaths.length > 0 ? path.dirname(context.templatePaths[0]) : undefined;
    if (directory !== undefined && fs.existsSync(directory)) {
      writeReportFiles(context.templatePaths, directory, this.fileName, this.formats);
    }
    return { success: true, violations: [] };
  }
}
