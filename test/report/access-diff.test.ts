import { fleetApp, FleetOptions, scratch } from './fixtures';
import { main } from '../../lib/report/cli';

function assembly(name: string, options: FleetOptions): string {
  return fleetApp(scratch(name), options).synth().directory;
}

function run(argv: string[]): { code: number; out: string } {
  let out = '';
  const code = main(argv, t => { out += t; });
  return { code, out };
}

describe('the access diff', () => {
  const base = assembly('base', {});

  test('an unchanged app reports no change and exits 0', () => {
    expect(run(['diff', base, assembly('same', {})])).toEqual({ code: 0, out: expect.stringContaining('No change') });
  });

  test('widening a grant (RDP, a new OS user, any source) is a gain, and exits 1', () => {
    const { code, out } = run(['diff', base, assembly('wider', { remotePorts: [22, 3389], osUsers: ['ec2-user', 'admin'], sourceIpRanges: ['0.0.0.0/1', '128.0.0.0/1'] })]);
    expect(code).toBe(1);
    expect(out).toMatch(/## Access gained[\s\S]*OpenTunnel .*ports: \+ 3389/);
    expect(out).toMatch(/SendSSHPublicKey .*OS users: \+ admin/);
    expect(out).toMatch(/source ranges: \+ any/);
  });

  test('a hand-written over-broad grant is a gain', () => {
    const { code, out } = run(['diff', base, assembly('broad', { overBroad: true })]);
    expect(code).toBe(1);
    expect(out).toMatch(/Fleet\/HandWritten\S* \| SendSSHPublicKey \| any instance \| new access/);
  });

  test('removing a grant is a loss and exits 0', () => {
    const { code, out } = run(['diff', base, assembly('removed', { onCall: false })]);
    expect(code).toBe(0);
    expect(out).toMatch(/## Access lost[\s\S]*Fleet\/AccessOnCall\S* \| OpenTunnel \| .* \| access removed/);
    expect(out).not.toMatch(/Access gained/);
  });

  test('the report command prints any assembly in each format; bad input exits 2', () => {
    expect(run(['report', base, '--format', 'json']).out).toMatch(/"formatVersion": 1/);
    expect(run(['report', base]).out).toMatch(/^# EC2 Instance Connect access review/);
    expect(run(['report', base, '--format', 'html']).out).toMatch(/^<!DOCTYPE html>/);
    expect(run(['report', '/nonexistent']).code).toBe(2);
    expect(run(['frobnicate']).code).toBe(2);
    expect(run(['--help'])).toEqual({ code: 0, out: expect.stringMatching(/^usage:[\s\S]*widened\n$/) });
  });
});
