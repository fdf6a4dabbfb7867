// scanJsonStructure takes shortcuts (strings skipped by indexOf, a key's colon taken with its string, indentation
// skipped in one loop): its result must be exactly that of a plain character-by-character scan, on compact and
// indented texts, with escapes, and past the depth limit (the keys before each List item included).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanJsonStructure, type JsonScanResult } from './json-scan.js';

/** The reference: one character at a time, strings and escapes tracked explicitly. */
function referenceScan(text: string, maxDepth: number): JsonScanResult {
  let keyCount = 0;
  let depth = 0;
  let line = 1;
  let inString = false;
  let escaped = false;
  let rootString = '';
  let stringStart = -1;
  let inItems = false;
  const itemOffsets: number[] = [];
  const itemLines: number[] = [];
  const itemKeyCounts: number[] = [];
  let itemsEndKeyCount = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') {
        inString = false;
        if (depth === 1) rootString = text.slice(stringStart, i + 1);
      }
      continue;
    }
    if (c === '"') {
      inString = true;
      stringStart = i;
    } else if (c === ':') keyCount++;
    else if (c === '{' || c === '[') {
      if (++depth > maxDepth) return { ok: false, depthExceededAt: i };
      if (depth === 2 && c === '[') inItems = rootString === '"items"';
      else if (depth === 3 && inItems && c === '{') {
        itemOffsets.push(i);
        itemLines.push(line);
        itemKeyCounts.push(keyCount);
      }
    } else if (c === '}' || c === ']') {
      if (depth-- === 2 && inItems) {
        inItems = false;
        itemsEndKeyCount = keyCount;
      }
    }
  }
  return { ok: true, keyCount, itemOffsets, itemLines, itemKeyCounts, itemsEndKeyCount };
}

const text = fc.constantFrom('a', 'items', 'x:y', '2026-10-01T08:00:09Z', 'a "quoted" \\ back\\slash', '{[', '\\"', ':', '\u00e9', 'line\nbreak', '');
const leaf = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null));
const value = fc.letrec((tie) => ({
  node: fc.oneof({ maxDepth: 6 }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(text, tie('node'), { maxKeys: 3 })),
})).node;
const list = fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('List'), items: fc.array(value, { maxLength: 4 }), metadata: fc.dictionary(text, value, { maxKeys: 2 }) });

describe('scanJsonStructure', () => {
  it('counts keys, finds List items and their lines as a plain character scan does', () => {
    fc.assert(
      fc.property(fc.oneof(list, value), fc.constantFrom(0, 1, 2, 4, '\t'), fc.constantFrom(3, 5, 64), (data, indent, maxDepth) => {
        const json = JSON.stringify(data, null, indent);
        expect(scanJsonStructure(json, maxDepth)).toEqual(referenceScan(json, maxDepth));
      }),
      { numRuns: 2000, seed: 13 },
    );
  });

  it('handles strings that end in escaped backslashes and texts that end inside a string', () => {
    for (const json of ['{"a\\\\":"b\\\\\\"c","items":[{"k":1}]}', '{"items":[{"a":"unterminated', '{"items":[\n    {"a":\n        "b"},\n    {}\n]}', '"\\\\"', '']) {
      expect(scanJsonStructure(json, 64)).toEqual(referenceScan(json, 64));
    }
  });
});
