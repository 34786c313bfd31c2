import * as fs from 'fs';
import * as path from 'path';
import { accessReportOfTemplates } from './from-templates';
import { AccessReport } from './model';
import { renderHtml, renderJson, renderMarkdown } from './render';

export const RENDERERS: Record<string, (report: AccessReport) => string> = { json: renderJson, md: renderMarkdown, html: renderHtml };

/** Writes the report of the templates in each format into `directory`, as new files. Returns the paths written. */
export function writeReportFiles(templatePaths: readonly string[], directory: string, fileName: string, formats: readonly string[]): string[] {
  const report = accessReportOfTemplates(templatePaths);
  return formats.map(format => {
    const file = path.join(directory, `${fileName}.${format}`);
    fs.writeFileSync(file, RENDERERS[format](report));
    return file;
  });
}
