/**
 * Evaluators for the two pattern languages the audit trail uses, so tests can check that the patterns match the
 * events CloudTrail writes. They implement the subset the library uses, with the documented semantics:
 *
 * - CloudWatch Logs JSON filter patterns: `{ <expr> }` with `($.a.b = "value")`, `!=`, `&&`, `||`, parentheses, and
 *   `*` wildcards in string values (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html).
 * - EventBridge patterns: every field in the pattern must match; an array lists allowed values (OR); a nested object
 *   matches the event's nested object (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html).
 */

/** Whether a CloudWatch Logs JSON filter pattern matches a log event (a JSON document). */
export function logFilterMatches(pattern: string, event: unknown): boolean {
  const trimmed = pattern.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) {
    throw new Error(`not a JSON filter pattern: ${pattern}`);
  }
  const parser = new FilterParser(trimmed.slice(1, -1));
  const expression = parser.parseOr();
  parser.expectEnd();
  return expression(event);
}

type Predicate = (event: unknown) => boolean;

class FilterParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  public parseOr(): Predicate {
    let left = this.parseAnd();
    while (this.take('||')) {
      const l = left;
      const r = this.parseAnd();
      left = e => l(e) || r(e);
    }
    return left;
  }

  public expectEnd(): void {
    this.skipSpace();
    if (this.pos !== this.text.length) {
      throw new Error(`unexpected '${this.text.slice(this.pos)}'`);
    }
  }

  private parseAnd(): Predicate {
    let left = this.parseTerm();
    while (this.take('&&')) {
      const l = left;
      const r = this.parseTerm();
      left = e => l(e) && r(e);
    }
    return left;
  }

  private parseTerm(): Predicate {
    if (this.take('(')) {
      const inner = this.parseOr();
      if (!this.take(')')) {
        throw new Error(`missing ')' at ${this.pos}`);
      }
      return inner;
    }
    const selector = this.match(/^\$((?:\.[A-Za-z0-9_]+)+)/);
    if (!selector) {
      throw new Error(`expected a selector at '${this.text.slice(this.pos)}'`);
    }
    const path = selector[1].slice(1).split('.');
    const operator = this.match(/^(!=|=)/);
    if (!operator) {
      throw new Error(`expected = or != at '${this.text.slice(this.pos)}'`);
    }
    const quoted = this.match(/^"((?:[^"\\]|\\.)*)"/);
    const bare = quoted ? undefined : this.match(/^([^\s()&|]+)/);
    if (!quoted && !bare) {
      throw new Error(`expected a value at '${this.text.slice(this.pos)}'`);
    }
    const expected = (quoted ?? bare)![1];
    const equals = (actual: unknown) => actual !== undefined && actual !== null && wildcard(expected).test(String(actual));
    return operator[1] === '='
      ? e => equals(get(e, path))
      : e => !equals(get(e, path));
  }

  private take(token: string): boolean {
    this.skipSpace();
    if (this.text.startsWith(token, this.pos)) {
      this.pos += token.length;
      return true;
    }
    return false;
  }

  private match(re: RegExp): RegExpMatchArray | undefined {
    this.skipSpace();
    const m = this.text.slice(this.pos).match(re);
    if (m) {
      this.pos += m[0].length;
    }
    return m ?? undefined;
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) {
      this.pos++;
    }
  }
}

function wildcard(value: string): RegExp {
  return new RegExp(`^${value.split('*').map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

function get(event: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), event);
}

/** Whether an EventBridge event pattern matches an event. */
export function eventPatternMatches(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = event[key];
    if (Array.isArray(expected)) {
      const values = Array.isArray(actual) ? actual : [actual];
      return expected.some(allowed => values.some(value => valueMatches(allowed, value)));
    }
    if (expected !== null && typeof expected === 'object') {
      // A nested pattern matches an object, or any object of an array of them (CloudTrail's `resources`).
      const objects = Array.isArray(actual) ? actual : [actual];
      return objects.some(o => o !== null && typeof o === 'object' && !Array.isArray(o) &&
        eventPatternMatches(expected as Record<string, unknown>, o as Record<string, unknown>));
    }
    throw new Error(`pattern field ${key} must be an array or an object, got ${JSON.stringify(expected)}`);
  });
}

function valueMatches(allowed: unknown, value: unknown): boolean {
  if (allowed !== null && typeof allowed === 'object') {
    const [operator, operand] = Object.entries(allowed as Record<string, unknown>)[0];
    switch (operator) {
      case 'prefix': return typeof value === 'string' && value.startsWith(operand as string);
      case 'suffix': return typeof value === 'string' && value.endsWith(operand as string);
      case 'exists': return (value !== undefined) === operand;
      default: throw new Error(`unsupported EventBridge operator ${operator}`);
    }
  }
  return value !== undefined && allowed === value;
}
