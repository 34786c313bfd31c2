/**
 * The guardrails' proof: every action AWS's Service Authorization Reference lists for each protected resource type,
 * and every resource-less action the model names, evaluated with the generated SCPs as a member administrator, an
 * operator, each deployer, an auditor, and on an unprotected twin resource.
 */
import {
  actionsOf,
  actionsOn,
  ADMIN,
  CDK_PROPS,
  dataPlaneRows,
  failures,
  guardrailDocuments,
  matchesAction,
  matrix,
  README_PROPS,
  representative,
  READ_ACTIONS,
  resourceType,
  services,
  tagRows,
} from './guardrails-world';
import { ALLOWED_ON_PURPOSE } from '../../lib/organization/private/protected-resources';

describe.each([
  ['the README\'s example', README_PROPS],
  ['the CDK exemption and a connect principal', CDK_PROPS],
])('guardrails of %s', (_name, props) => {
  const { documents, model } = guardrailDocuments(props);
  const rows = [...matrix(model), ...dataPlaneRows(model), ...tagRows(model)];

  test('the matrix is several hundred requests', () => {
    // eslint-disable-next-line no-console
    console.log(`guardrails matrix (${_name}): ${rows.length} requests, ${documents.length} SCPs of ${documents.map(d => JSON.stringify(d).length).join(', ')} characters`);
    expect(rows.length).toBeGreaterThan(500);
  });

  // Thousands of evaluations: jest's 5-second default is a guess about the machine's load, not a requirement.
  test('IAM answers every request of the matrix as the model says', async () => {
    expect(await failures(documents, rows)).toEqual([]);
  }, 300_000);

  test('every protected resource type exists in the catalogue and is reached by at least one request', () => {
    for (const resource of model.resources) {
      for (const type of resource.resourceTypes) {
        expect(() => resourceType(type)).not.toThrow();
        expect(rows.some(r => r.name.includes(`(${type})`))).toBe(true);
      }
    }
  });

  test('every resource-less action exists in the catalogue and has no resource type there', () => {
    for (const action of model.resources.flatMap(r => r.resourceless ?? [])) {
      const [service, name] = action.split(':');
      const found = actionsOf(service).find(a => a.name === name);
      expect(found).toBeDefined();
      expect(found!.resourceTypes).toEqual([]);
    }
  });

  test('the services evaluate the condition key each tag selection compares', () => {
    for (const resource of model.resources.filter(r => r.tagConditionPrefix)) {
      for (const type of resource.resourceTypes) {
        expect(resourceType(type).conditionKeys).toContain(`${resource.tagConditionPrefix}\${TagKey}`);
      }
    }
  });
});

// Every kind of statement the README's guardrails have, and those of the CDK exemption and a connect principal: one
// configuration's mutations cover them all.
describe('the CDK exemption and a connect principal, each statement and condition removed in turn', () => {
  const { documents, model } = guardrailDocuments(CDK_PROPS);
  const sample = representative([...matrix(model), ...dataPlaneRows(model), ...tagRows(model)]);
  const readmeSids = guardrailDocuments(README_PROPS).documents.flatMap(d => d.Statement.map((st: any) => st.Sid));

  test('its statements include every kind the README\'s guardrails have', () => {
    expect(documents.flatMap(d => d.Statement.map((st: any) => st.Sid))).toEqual(expect.arrayContaining(readmeSids));
  });

  test('removing any statement lets some request of the matrix through (a few requests of each kind)', async () => {
    for (let d = 0; d < documents.length; d++) {
      for (let s = 0; s < documents[d].Statement.length; s++) {
        const mutated = structuredClone(documents);
        const [removed] = mutated[d].Statement.splice(s, 1);
        expect({ removed: removed.Sid, failures: (await failures(mutated, sample, true)).length }).toEqual({ removed: removed.Sid, failures: 1 });
      }
    }
  });

  test('removing any condition of any statement makes some request of the matrix wrong (a few requests of each kind)', async () => {
    for (let d = 0; d < documents.length; d++) {
      for (let s = 0; s < documents[d].Statement.length; s++) {
        for (const [operator, keys] of Object.entries(documents[d].Statement[s].Condition ?? {})) {
          for (const key of Object.keys(keys as object)) {
            const mutated = structuredClone(documents);
            const statement = mutated[d].Statement[s];
            delete statement.Condition[operator][key];
            if (Object.keys(statement.Condition[operator]).length === 0) {
              delete statement.Condition[operator];
            }
            const label = `${statement.Sid} ${operator} ${key}`;
            expect({ label, failures: (await failures(mutated, sample, true)).length }).toEqual({ label, failures: 1 });
          }
        }
      }
    }
  });
});

describe('the model against the catalogue', () => {
  const { model } = guardrailDocuments(CDK_PROPS);
  const protectedServices = [...new Set(model.resources.flatMap(r => r.resourceTypes.map(t => t.split(':')[0])))];

  test('the reads left to everyone match every Read and List action of the protected types, and no write', () => {
    for (const resource of model.resources) {
      for (const type of resource.resourceTypes) {
        const service = type.split(':')[0];
        const { reads, writes } = actionsOn(type);
        for (const read of reads) {
          expect({ read, matched: READ_ACTIONS[service].some(p => matchesAction(p, read)) }).toEqual({ read, matched: true });
        }
        for (const write of writes) {
          expect({ write, matched: READ_ACTIONS[service].some(p => matchesAction(p, write)) }).toEqual({ write, matched: false });
        }
      }
    }
    expect(Object.keys(READ_ACTIONS).sort()).toEqual(protectedServices.sort());
  });

  test('the reads left to everyone match no write of their service anywhere in the catalogue', () => {
    for (const service of protectedServices) {
      for (const action of actionsOf(service).filter(a => a.accessLevel !== 'Read' && a.accessLevel !== 'List')) {
        const name = `${service}:${action.name}`;
        expect({ name, matched: READ_ACTIONS[service].some(p => matchesAction(p, name)) }).toEqual({ name, matched: false });
      }
    }
  });

  test('every action allowed on purpose exists in the catalogue, is not a read, and has a reason', () => {
    for (const { actions, reason } of [...ALLOWED_ON_PURPOSE, ...model.resources.flatMap(r => (r.alsoAllowed ? [r.alsoAllowed] : []))]) {
      expect(reason.length).toBeGreaterThan(20);
      for (const pattern of actions) {
        const [service] = pattern.split(':');
        const matched = actionsOf(service).filter(a => matchesAction(pattern, `${service}:${a.name}`));
        expect({ pattern, matched: matched.length > 0 }).toEqual({ pattern, matched: true });
        expect({ pattern, reads: matched.filter(a => a.accessLevel === 'Read' || a.accessLevel === 'List').map(a => a.name) }).toEqual({ pattern, reads: [] });
      }
    }
  });

  test('the catalogue is the one the evaluator ships with', () => {
    expect(services().length).toBeGreaterThan(300);
    expect(ADMIN.arn).toMatch(/^arn:aws:iam::\d{12}:role\//);
  });
});
