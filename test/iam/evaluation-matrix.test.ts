import { buildScenario, Case, matrix, Scenario } from './scenario';
import { evaluate } from './simulate';

/** Every allow and deny the documentation intends, evaluated on the synthesized, resolved policies. */
describe('IAM evaluation matrix', () => {
  const scenario = buildScenario();
  const cases = matrix(scenario);
  const policies = policiesByRole(scenario);

  test('has at least 60 requests', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  test.each(cases.map(c => [c.role, c.name, c] as const))('%s: %s', (_role, _name, c) => {
    expect(evaluate(policies[c.role], c.request)).toEqual(c.expected);
  });
});

/**
 * The matrix is only proof if it notices a missing condition: drop each condition key of each data-plane and
 * control-plane policy in turn, and some request must change its answer.
 */
describe('every condition is load-bearing', () => {
  const scenario = buildScenario();
  const cases = matrix(scenario);
  const policies = policiesByRole(scenario);

  const mutations: Array<[string, string, () => void, () => void]> = [];
  for (const [role, rolePolicies] of Object.entries(policies)) {
    for (const { name, policy } of rolePolicies) {
      (policy.Statement as any[]).forEach((statement, i) => {
        for (const [operator, keys] of Object.entries<any>(statement.Condition ?? {})) {
          for (const key of Object.keys(keys)) {
            const value = keys[key];
            mutations.push([role, `${name} statement ${statement.Sid ?? i} ${operator} ${key}`,
              () => { delete keys[key]; },
              () => { keys[key] = value; }]);
          }
        }
      });
    }
  }

  test('there are conditions to drop', () => {
    expect(mutations.length).toBeGreaterThan(20);
  });

  test.each(mutations.map(([role, what, drop, restore]) => [role, what, drop, restore] as const))('%s: dropping %s is caught', (role, _what, drop, restore) => {
    drop();
    try {
      const changed = cases.filter((c: Case) => c.role === role && evaluate(policies[c.role], c.request) !== c.expected);
      expect(changed.length).toBeGreaterThan(0);
    } finally {
      restore();
    }
  });
});

function policiesByRole(s: Scenario): Record<string, Array<{ name: string; policy: any }>> {
  const result: Record<string, Array<{ name: string; policy: any }>> = {};
  for (const [name, role] of Object.entries(s.roles)) {
    result[name] = s.world.policiesOf(role);
  }
  result.Sso = s.world.policiesOf(s.sso);
  return result;
}
