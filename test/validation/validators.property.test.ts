import * as fc from 'fast-check';
import { isIpAddressOrCidr, isValidOsUser, validatePort } from '../../lib/private/validation';
import { testStack } from '../util';

const RUNS = { numRuns: 300 };
const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet).map(parts => parts.join('.'));

describe('isIpAddressOrCidr', () => {
  test('accepts every IPv4 address, with or without a prefix of 0-32', () => {
    fc.assert(fc.property(ipv4, fc.option(fc.integer({ min: 0, max: 32 })), (address, prefix) =>
      isIpAddressOrCidr(prefix === null ? address : `${address}/${prefix}`)), RUNS);
  });

  test('accepts every IPv6 address, with or without a prefix of 0-128', () => {
    fc.assert(fc.property(fc.ipV6(), fc.option(fc.integer({ min: 0, max: 128 })), (address, prefix) =>
      isIpAddressOrCidr(prefix === null ? address : `${address}/${prefix}`)), RUNS);
  });

  test('rejects IPv4 prefixes over 32 and IPv6 prefixes over 128', () => {
    fc.assert(fc.property(ipv4, fc.integer({ min: 33, max: 10_000 }), (address, prefix) => !isIpAddressOrCidr(`${address}/${prefix}`)), RUNS);
    fc.assert(fc.property(fc.ipV6(), fc.integer({ min: 129, max: 10_000 }), (address, prefix) => !isIpAddressOrCidr(`${address}/${prefix}`)), RUNS);
  });

  test('rejects an octet over 255', () => {
    fc.assert(fc.property(ipv4, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 256, max: 99_999 }), (address, i, big) => {
      const parts = address.split('.');
      parts[i] = String(big);
      return !isIpAddressOrCidr(parts.join('.'));
    }), RUNS);
  });

  test('rejects a missing or extra part, an extra prefix, and an empty or non-numeric prefix', () => {
    fc.assert(fc.property(ipv4, fc.integer({ min: 0, max: 32 }), (address, prefix) =>
      !isIpAddressOrCidr(address.split('.').slice(1).join('.'))
      && !isIpAddressOrCidr(`${address}.1`)
      && !isIpAddressOrCidr(`${address}/${prefix}/${prefix}`)
      && !isIpAddressOrCidr(`${address}/`)
      && !isIpAddressOrCidr(`${address}/x${prefix}`)), RUNS);
  });

  test('rejects strings that are no address at all', () => {
    fc.assert(fc.property(fc.string().filter(s => !/^[0-9a-fA-F:./]*$/.test(s)), s => !isIpAddressOrCidr(s)), RUNS);
  });
});

describe('validatePort', () => {
  const stack = testStack();

  test('accepts every integer from 1 to 65535', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 65535 }), port => {
      validatePort(stack, 'port', port);
      return true;
    }), RUNS);
  });

  test('rejects every other integer, and every fraction', () => {
    const outside = fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 65536 }));
    fc.assert(fc.property(outside, port => throws(() => validatePort(stack, 'port', port))), RUNS);
    fc.assert(fc.property(fc.double({ min: 1, max: 65535, noNaN: true }).filter(n => !Number.isInteger(n)), port =>
      throws(() => validatePort(stack, 'port', port))), RUNS);
  });
});

/**
 * The `InstanceOSUser` rule of the SendSSHPublicKey API, written out character by character (independently of the
 * regular expression the library uses): 1-32 characters; the first a letter or `_`; the middle letters, digits,
 * `@`, `.`, `_`, `-`; the 32nd (only) may also be `$`… and the last of 2+ characters may not be `@` or `.`.
 */
function osUserRule(name: string): boolean {
  const letter = (c: string) => /[A-Za-z]/.test(c);
  const digit = (c: string) => c >= '0' && c <= '9';
  const middle = (c: string) => letter(c) || digit(c) || '@._-'.includes(c);
  const last = (c: string) => letter(c) || digit(c) || '$_-'.includes(c);
  if (name.length < 1 || name.length > 32 || !(letter(name[0]) || name[0] === '_')) {
    return false;
  }
  const chars = name.split('');
  if (chars.length === 1) {
    return true;
  }
  // Up to 30 middle characters, then an optional last one: the final character decides which class it belongs to.
  const body = chars.slice(1);
  const end = body[body.length - 1];
  if (body.length <= 30 && body.every(middle)) {
    return true;
  }
  return body.length <= 31 && body.slice(0, -1).every(middle) && last(end);
}

describe('isValidOsUser', () => {
  const alphabet = fc.constantFrom(...'abcXYZ019_-.@$ ;:/\\'.split(''));
  const names = fc.array(alphabet, { minLength: 0, maxLength: 34 }).map(cs => cs.join(''));

  test('agrees with the API\'s rule on every generated name', () => {
    fc.assert(fc.property(names, name => isValidOsUser(name) === osUserRule(name)), { numRuns: 2000 });
  });

  test('accepts the usual AMI users and rejects root-like garbage', () => {
    for (const user of ['ec2-user', 'ubuntu', 'centos', 'admin', 'Administrator', '_svc', 'user$']) {
      expect(isValidOsUser(user)).toBe(true);
    }
    for (const user of ['', '1user', '-user', 'user name', 'user;id', 'a'.repeat(33), 'us$er']) {
      expect(isValidOsUser(user)).toBe(false);
    }
  });
});

function throws(fn: () => void): boolean {
  try {
    fn();
    return false;
  } catch {
    return true;
  }
}
