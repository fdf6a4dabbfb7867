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

  it('keeps code-unit key order for array-index and __proto__ keys (a JS object cannot)', () => {
    const labels = JSON.parse('{"b":{"10":"x","9":"y","a":"z"},"__proto__":{"2":1},"a":[{"0":null,"-1":true}]}') as unknown;
    expect(canonicalJson(labels)).toBe('{"__proto__":{"2":1},"a":[{"-1":true,"0":null}],"b":{"10":"x","9":"y","a":"z"}}');
  });

  it('refuses values JSON cannot represent, nested too', () => {
    expect(() => canonicalJson({ a: [1, () => 1] })).toThrow(TypeError);
    expect(() => canonicalJson({ a: Symbol('s') })).toThrow(TypeError);
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
    expect(() => canonicalJson({ '1': NaN })).toThrow(TypeError);
  });

  it('agrees with JSON.stringify over key-sorted data with index-like keys (property test)', () => {
    const key = fc.oneof(fc.string(), fc.nat().map(String), fc.constant('__proto__'));
    const value = fc.letrec<{ tree: unknown }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small' },
        fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
        fc.array(tie('tree'), { maxLength: 4 }),
        fc.array(fc.tuple(key, tie('tree')), { maxLength: 5 }).map((pairs) => {
          const object: Record<string, unknown> = {};
          for (const [k, v] of pairs) Object.defineProperty(object, k, { value: v, enumerable: true, writable: true, configurable: true });
          return object;
        }),
      ),
    })).tree;
    fc.assert(
      fc.property(value, (tree) => {
        expect(canonicalJson(tree)).toBe(sortedStringify(tree));
      }),
      { numRuns: 1000, seed: 8785 },
    );
  });

  it('writes data already in key order (reused, not copied) as sorted data, plain or null-prototype (property test)', () => {
    const nullPrototype = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(nullPrototype);
      if (value === null || typeof value !== 'object') return value;
      const out = Object.create(null) as Record<string, unknown>;
      for (const key of Object.keys(value)) out[key] = nullPrototype((value as Record<string, unknown>)[key]);
      return out;
    };
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (value, unsorted) => {
        const sorted = JSON.parse(sortedStringify(value)) as unknown;
        // Sorted subtrees next to unsorted ones: only the unsorted part is copied.
        const mixed = { z: sorted, a: unsorted, m: [sorted, unsorted] };
        expect(canonicalJson(sorted)).toBe(sortedStringify(value));
        expect(canonicalJson(nullPrototype(sorted))).toBe(sortedStringify(value));
        expect(canonicalJson(mixed)).toBe(sortedStringify(mixed));
      }),
      { numRuns: 500, seed: 8785 },
    );
  });

  it('copies what JSON.stringify would not write as it is: other prototypes, holes and undefined items', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
      toJSON(): string {
        return 'not this';
      }
    }
    expect(canonicalJson({ a: new Point(1, 2), b: new Date(0) })).toBe('{"a":{"x":1,"y":2},"b":{}}');
    // eslint-disable-next-line no-sparse-arrays
    expect(canonicalJson([1, , undefined, { a: 1 }])).toBe('[1,null,null,{"a":1}]');
    expect(canonicalJson({ a: 1, b: undefined, c: null })).toBe('{"a":1,"c":null}');
  });

  it('escapes any UTF-16 string as RFC 8785 section 3.2.2.2 spells it out (property test)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 40 }), (text, units) => {
        expect(canonicalJson(text)).toBe(rfc8785String(text));
        expect(canonicalJson(units)).toBe(rfc8785String(units));
        expect(canonicalJson({ [units]: text })).toBe(`{${rfc8785String(units)}:${rfc8785String(text)}}`);
      }),
      { numRuns: 2000, seed: 8785 },
    );
  });
});

const SHORT_ESCAPES: Readonly<Record<number, string>> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r', 34: '\\"', 92: '\\\\' };

/** The string rules of RFC 8785 written out code unit by code unit (the reference the native writer must match). */
function rfc8785String(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const highWithLow = code >= 0xd800 && code <= 0xdbff && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff;
    if (highWithLow) {
      out += text.slice(i, i + 2);
      i++;
    } else if (code < 0x20 || code === 34 || code === 92 || (code >= 0xd800 && code <= 0xdfff)) {
      out += SHORT_ESCAPES[code] ?? `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += text[i];
  }
  return `${out}"`;
}
