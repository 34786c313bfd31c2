import { eventPatternMatches, logFilterMatches } from './matchers';

describe('the CloudWatch Logs filter evaluator', () => {
  const event = { eventSource: 's.amazonaws.com', eventName: 'OpenTunnel', errorCode: 'AccessDenied', nested: { a: 1 } };

  test.each([
    ['{ $.eventName = "OpenTunnel" }', true],
    ['{ $.eventName = "SendSSHPublicKey" }', false],
    ['{ $.eventName != "OpenTunnel" }', false],
    ['{ $.eventName != "Other" }', true],
    ['{ ($.eventName = "OpenTunnel") && ($.eventSource = "s.amazonaws.com") }', true],
    ['{ ($.eventName = "OpenTunnel") && ($.eventSource = "t.amazonaws.com") }', false],
    ['{ ($.eventName = "Other") || ($.eventSource = "s.amazonaws.com") }', true],
    ['{ ($.eventName = "Other") || ($.eventSource = "t.amazonaws.com") }', false],
    ['{ $.errorCode = "Access*" }', true],
    ['{ $.errorCode = "*Denied" }', true],
    ['{ $.errorCode = "*Unauthorized*" }', false],
    ['{ $.missing = "x" }', false],
    ['{ $.nested.a = 1 }', true],
    ['{ $.eventName = "Open.unnel" }', false],
    ['{ ($.eventName = "Other") || ($.eventName = "OpenTunnel") && ($.errorCode = "No") }', false],
  ])('%s → %s', (pattern, expected) => {
    expect(logFilterMatches(pattern, event)).toBe(expected);
  });

  test('rejects what it does not understand', () => {
    expect(() => logFilterMatches('[ip, user]', event)).toThrow(/not a JSON filter pattern/);
    expect(() => logFilterMatches('{ $.a > 1 }', event)).toThrow(/expected = or !=/);
  });
});

describe('the EventBridge pattern evaluator', () => {
  const event = { 'source': 'aws.x', 'detail-type': 'AWS API Call via CloudTrail', 'detail': { eventName: 'OpenTunnel', list: ['a', 'b'] } };

  test.each([
    [{ source: ['aws.x'] }, true],
    [{ source: ['aws.y', 'aws.x'] }, true],
    [{ source: ['aws.y'] }, false],
    [{ 'source': ['aws.x'], 'detail-type': ['Other'] }, false],
    [{ detail: { eventName: ['OpenTunnel'] } }, true],
    [{ detail: { eventName: ['SendSSHPublicKey'] } }, false],
    [{ detail: { missing: ['x'] } }, false],
    [{ detail: { list: ['b'] } }, true],
    [{ detail: { eventName: [{ prefix: 'Open' }] } }, true],
    [{ detail: { missing: [{ exists: false }] } }, true],
    [{ detail: { eventName: [{ exists: false }] } }, false],
    [{ source: { nested: ['x'] } }, false],
  ])('%j → %s', (pattern, expected) => {
    expect(eventPatternMatches(pattern as Record<string, unknown>, event)).toBe(expected);
  });
});
