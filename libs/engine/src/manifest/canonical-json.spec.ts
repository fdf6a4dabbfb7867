import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

/**
 * Reference: structure assembled here with sorted keys (JS objects put integer-like keys first, so no
 * object can carry the order), scalars and keys written by JSON.stringify.
 */
function sortedStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = value as Record<string, unknown>;
    return `{${Object.keys(entries)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${sortedStringify(entries[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

describe('canonicalJson (RFC 8785)', () => {
  it('produces the RFC 8785 section 3.2.2 example', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    ) as unknown;
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units (RFC 8785 section 3.2.3)', () => {
    const input = { '\u20ac': 1, '\r': 2, '\ufb33': 3, '1': 4, '\ud83d\ude00': 5, '\u0080': 6, '\u00f6': 7 };
    expect(canonicalJson(input)).toBe('{"\\r":2,"1":4,"\u0080":6,"\u00f6":7,"\u20ac":1,"\ud83d\ude00":5,"\ufb33":3}');
  });

  it.each([
    [0, '0'],
    [-0, '0'],
    [5e-324, '5e-324'],
    [-5e-324, '-5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [9007199254740992, '9007199254740992'],
    [295147905179352830000, '295147905179352830000'],
    [9.999999999999997e22, '9.999999999999997e+22'],
    [1e23, '1e+23'],
    [0.000001, '0.000001'],
    [9.999999999999997e-7, '9.999999999999997e-7'],
    [333333333.3333333, '333333333.3333333'],
  ])('serialises the number %s as %s (RFC 8785 appendix B)', (value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });

  it.each([NaN, Infinity, -Infinity])('refuses %s', (value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  it('escapes only what JSON requires, with lowercase \\u00xx for other controls', () => {
    expect(canonicalJson('a"b\\c\b\f\n\r\t\u0001\u001f\u007f/é😀')).toBe('"a\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f\u007f/é😀"');
  });

  it('escapes lone surrogates as JSON.stringify does', () => {
    expect(canonicalJson('x\ud800y\udc00')).toBe('"x\\ud800y\\udc00"');
  });

  it('reads null-prototype objects and leaves out undefined members', () => {
    const value = Object.assign(Object.create(null) as Record<string, unknown>, { b: 1, a: undefined, c: [undefined] });
    expect(canonicalJson(value)).toBe('{"b":1,"c":[null]}');
  });

  it('agrees with JSON.stringify over key-sorted data (property test)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(sortedStringify(value));
      }),
      { numRuns: 500, seed: 8785 },
    );
  });
});
