import * as fs from 'fs';
import * as path from 'path';

// The layers of lib/: private/ is the bottom and imports nothing above it; a folder's own private/ holds what only
// that folder uses. A relative import that climbs out of lib/private/ breaks the first rule.
const LIB = path.join(__dirname, '..', '..', 'lib');
const PRIVATE = path.join(LIB, 'private');

/** The relative module specifiers a TypeScript file imports or re-exports. */
function relativeImports(file: string): string[] {
  const source = fs.readFileSync(file, 'utf-8');
  return [...source.matchAll(/(?:import|export)\s[^'"]*?from\s+'(\.[^']*)'|import\s*\(\s*'(\.[^']*)'\s*\)|require\(\s*'(\.[^']*)'\s*\)/g)]
    .map(m => m[1] ?? m[2] ?? m[3]);
}

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return tsFiles(full);
    }
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

describe('lib/private is the bottom layer', () => {
  test('the scan sees the imports of lib/private', () => {
    // So that the test below cannot pass because the scan found nothing.
    expect(tsFiles(PRIVATE).flatMap(relativeImports)).toContain('./vocabulary');
    expect(relativeImports(path.join(LIB, 'endpoint', 'instance-connect-endpoint.ts'))).toContain('../private/errors');
  });

  test.each(tsFiles(PRIVATE).map(file => [path.relative(LIB, file), file]))('%s imports nothing outside lib/private', (_, file) => {
    const outside = relativeImports(file).filter(specifier => {
      const target = path.resolve(path.dirname(file), specifier);
      return target !== PRIVATE && !target.startsWith(PRIVATE + path.sep);
    });
    expect(outside).toEqual([]);
  });
});
