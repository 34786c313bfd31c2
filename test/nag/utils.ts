import { App, Stack } from 'aws-cdk-lib';
import { InstanceConnectChecks } from '../../lib';

/** A stack in a fresh app, with a concrete environment. */
export function nagStack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'us-east-1' } });
}

/** The findings of one rule of the pack on the app of `stack`: construct paths, with the severity. */
export function findings(stack: Stack, rule: string): Array<{ path: string; severity: string }> {
  const report = new InstanceConnectChecks(stack.node.root).validateScope(stack.node.root);
  return report.violations
    .filter(v => v.ruleName === `InstanceConnect-${rule}`)
    .flatMap(v => v.violatingResources.map(r => ({ path: r.constructPath ?? '', severity: v.severity ?? '' })));
}

/** The findings of `rule`, as `severity path` strings. */
export function violations(stack: Stack, rule: string): string[] {
  return findings(stack, rule).map(f => `${f.severity} ${f.path}`);
}
