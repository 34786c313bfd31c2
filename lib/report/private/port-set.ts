import { ANY } from './model';

/** A set of TCP ports (1 to 65535) as sorted, disjoint, inclusive ranges. */
export class PortSet {
  public static none(): PortSet {
    return new PortSet([]);
  }

  public static of(from: number, to: number): PortSet {
    return new PortSet(from <= to ? [[from, to]] : []);
  }

  private constructor(private readonly ranges: ReadonlyArray<readonly [number, number]>) {}

  public isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  public union(other: PortSet): PortSet {
    const all = [...this.ranges, ...other.ranges].sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const [from, to] of all) {
      const last = merged[merged.length - 1];
      if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
      else merged.push([from, to]);
    }
    return new PortSet(merged);
  }

  public intersect(other: PortSet): PortSet {
    const out: Array<[number, number]> = [];
    for (const [a, b] of this.ranges) {
      for (const [c, d] of other.ranges) {
        const from = Math.max(a, c);
        const to = Math.min(b, d);
        if (from <= to) out.push([from, to]);
      }
    }
    return new PortSet([]).union(new PortSet(out));
  }

  /** The ports of this set that `other` lacks. */
  public minus(other: PortSet): PortSet {
    let rest: Array<[number, number]> = this.ranges.map(([a, b]) => [a, b]);
    for (const [c, d] of other.ranges) {
      rest = rest.flatMap(([a, b]): Array<[number, number]> => [[a, Math.min(b, c - 1)], [Math.max(a, d + 1), b]])
        .filter(([a, b]) => a <= b);
    }
    return new PortSet([]).union(new PortSet(rest));
  }

  public toRanges(): Array<readonly [number, number]> {
    return [...this.ranges];
  }
}

/** `22`, `1024-2047`, or `any` for every port. */
export function portLabels(ports: PortSet): string[] {
  const ranges = ports.toRanges();
  if (ranges.length === 1 && ranges[0][0] <= 1 && ranges[0][1] === 65535) {
    return [ANY];
  }
  return ranges.map(([from, to]) => (from === to ? String(from) : `${from}-${to}`));
}

/** The set `portLabels` wrote. */
export function parsePortLabels(labels: readonly string[]): PortSet {
  return labels.reduce((set, l) => {
    const [from, to] = l === ANY ? [1, 65535] : l.split('-').map(Number);
    return set.union(PortSet.of(from, to ?? from));
  }, PortSet.none());
}
