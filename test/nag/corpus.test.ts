import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { InstanceConnectChecks } from '../../lib';

/**
 * The checks' fixture corpus: hand-written CloudFormation templates (test/nag/corpus/*.json), each a real way to
 * grant too much (or its fix), with the rule that must fire (or stay silent) in its Metadata:
 *
 *   "Metadata": { "Rule": "EIC8", "Expect": "fire" | "silent", "Twin": "<file name of its twin>",
 *                 "Case": "<the mistake or the fix, in words>", "Flagged": ["<logical IDs that must be flagged>"],
 *                 "Family": <1..8, optional: the family of semantic mistakes (issue 21) the pair belongs to> }
 *
 * Every non-compliant template has a compliant twin that differs only in the mistake, so a rule that fires on
 * everything (or nothing) fails here.
 */
interface Meta {
  readonly Rule: string;
  readonly Expect: 'fire' | 'silent';
  readonly Twin: string;
  readonly Case: string;
  readonly Flagged?: string[];
  /** The family of mistakes the pair tests, when it tests one: how IAM matches ARNs (1), every branch (2), every path to a principal (3), security groups as EC2 applies them (4), every public address (5), trails by Region (6), tags the grantee can change (7), conditions by meaning (8). */
  readonly Family?: number;
}

const DIR = path.join(__dirname, 'corpus');
const FILES = fs.readdirSync(DIR).filter(f => f.endsWith('.json')).sort();
const META = new Map(FILES.map(f => [f, JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')).Metadata as Meta]));

/** The logical IDs the rule flags in the template. */
function flagged(file: string, rule: string): string[] {
  const app = new App();
  const stack = new Stack(app, 'Corpus', { env: { account: '111122223333', region: 'us-east-1' } });
  new CfnInclude(stack, 'T', { templateFile: path.join(DIR, file) });
  const report = new InstanceConnectChecks(app).validateScope(app);
  return report.violations
    .filter(v => v.ruleName === `InstanceConnect-${rule}`)
    .flatMap(v => v.violatingResources.map(r => (r.constructPath ?? '').replace(/^Corpus\/T\//, '')))
    .sort();
}

describe('the checks\' fixture corpus', () => {
  test('has at least 220 templates, each non-compliant one with its compliant twin and back', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(220);
    for (const [file, meta] of META) {
      expect({ file, rule: meta.Rule, case: meta.Case }).toEqual({ file, rule: expect.stringMatching(/^EIC\d+$/), case: expect.any(String) });
      const twin = META.get(meta.Twin);
      expect({ file, twin: twin?.Twin, rule: twin?.Rule }).toEqual({ file, twin: file, rule: meta.Rule });
      expect([meta.Expect, twin!.Expect].sort()).toEqual(['fire', 'silent']);
      if (meta.Family !== undefined || twin?.Family !== undefined) {
        expect({ file, family: meta.Family }).toEqual({ file, family: twin!.Family });
        expect([1, 2, 3, 4, 5, 6, 7, 8]).toContain(meta.Family);
      }
    }
  });

  test.each(FILES.map(f => [f, META.get(f)!] as const))('%s', (file, meta) => {
    const found = flagged(file, meta.Rule);
    if (meta.Expect === 'fire') {
      expect(found.length).toBeGreaterThan(0);
      if (meta.Flagged) {
        expect(found).toEqual([...meta.Flagged].sort());
      }
    } else {
      expect(found).toEqual([]);
    }
  });
});
