// The JSON reader parses a List item by item when it can: the outcome must be exactly that of one JSON.parse of the
// whole text (same value, same SYNTAX message and line, same DUPLICATE_KEY / FORBIDDEN_KEY issues), whatever sits
// between, around or inside the items.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readJson } from './json-reader.js';
import { resolveLimits } from './limits.js';

const item = fc.constantFrom(
  '{"kind":"Pod","metadata":{"name":"a"}}',
  '{ "kind" : "Pod", "metadata": {"name": "b", "labels": {"x": "1"}} }',
  '{"kind":"Pod","metadata":{"name":"c","name":"d"}}', // duplicate key inside an item
  '{"kind":"Pod","__proto__":{"polluted":true}}',
  '{"kind":"Pod","spec":{"a":[{"b":1},{"__proto__":{}}]}}', // deep inside an item, after converted objects
  '{"kind":"Pod","s":"a \\" ] , { \\\\"}',
  '{"kind":"Pod","a":[{"b":[1,2]},{}]}',
  '[{"kind":"Pod"}]',
  '"text"',
  '7',
  '{"kind":"Pod"', // unterminated
  '{"kind":"Pod"}}',
);
const separator = fc.constantFrom(',', ', ', ',\n  ', '\n,', ' , ', ',,', '', ' x ', ';');
const edge = fc.constantFrom('', ' ', '\n  ', ',', 'x');
const header = fc.constantFrom(
  '"apiVersion":"v1","kind":"List",',
  '"kind":"List","metadata":{"resourceVersion":""},',
  '"items":[],',
  '"__proto__":{},',
  '',
);
const trailer = fc.constantFrom('', ',"metadata":{}', ',"items":[]', ',"kind":"List"', ',"z":[{"a":1}]', ' x');

function expected(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return { syntax: `invalid JSON: ${(error as Error).message}` };
  }
}

/** Plain data for comparison (null prototypes, `__proto__` keys as JSON.parse made them). */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

describe('JSON List read item by item', () => {
  it('gives exactly the outcome of one JSON.parse of the whole text', () => {
    fc.assert(
      fc.property(header, fc.array(item, { maxLength: 4 }), fc.array(separator, { minLength: 4, maxLength: 4 }), edge, edge, trailer, (head, items, seps, before, after, tail) => {
        const body = items.map((text, i) => (i === 0 ? text : `${seps[i % seps.length]!}${text}`)).join('');
        const text = `{${head}"items":[${before}${body}${after}]${tail}}`;
        const outcome = readJson('list.json', text, resolveLimits(undefined));
        const reference = expected(text);
        if (typeof reference === 'object' && reference !== null && 'syntax' in reference) {
          expect(outcome.documents).toEqual([]);
          expect(outcome.issues.map((i) => [i.code, i.message])).toEqual([['SYNTAX', (reference as { syntax: string }).syntax]]);
          return;
        }
        const codes = outcome.issues.map((i) => i.code);
        if (codes.includes('DUPLICATE_KEY')) {
          expect(outcome.documents).toEqual([]);
          return;
        }
        expect(codes.every((code) => code === 'FORBIDDEN_KEY')).toBe(true);
        expect(codes.length > 0).toBe(text.includes('"__proto__"'));
        if (codes.length > 0) return; // the dropped keys make the value differ from JSON.parse's, on purpose
        expect(plain(outcome.documents[0]!.value)).toEqual(plain(reference));
      }),
      { numRuns: 1500, seed: 13 },
    );
  });

  it('reports a duplicate key anywhere in the items, located', () => {
    const text = '{"kind":"List","items":[\n{"kind":"Pod","metadata":{"name":"a"}},\n{"kind":"Pod","metadata":{"name":"b","name":"c"}}\n]}';
    const outcome = readJson('list.json', text, resolveLimits(undefined));
    expect(outcome.issues.map(({ code, path, line }) => ({ code, path, line }))).toEqual([{ code: 'DUPLICATE_KEY', path: 'items[1].metadata.name', line: 3 }]);
  });

  it('reports `__proto__` keys of the items and of the List in document order', () => {
    const text = '{"kind":"List","__proto__":{},\n"items":[\n{"kind":"Pod","__proto__":{}},\n{"kind":"Pod"}\n],\n"metadata":{"__proto__":1}}';
    const outcome = readJson('list.json', text, resolveLimits(undefined));
    expect(outcome.issues.map(({ code, path, line }) => ({ code, path, line }))).toEqual([
      { code: 'FORBIDDEN_KEY', path: '__proto__', line: 1 },
      { code: 'FORBIDDEN_KEY', path: 'items[0].__proto__', line: 3 },
      { code: 'FORBIDDEN_KEY', path: 'metadata.__proto__', line: 6 },
    ]);
  });
});
