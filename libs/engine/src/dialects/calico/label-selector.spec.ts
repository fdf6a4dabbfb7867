// Calico selectors with a label-selector form (exposure's representative peers) match exactly the label sets the
// Calico evaluator matches; the others have none.
import { describe, expect, it } from 'vitest';
import { Selector, type Labels } from '../../algebra/selector.js';
import { calicoLabelSelector } from './label-selector.js';
import { CalicoSelector, isSelectorError } from './selector/selector.js';

const parse = (text: string): CalicoSelector => {
  const parsed = CalicoSelector.parse(text);
  if (isSelectorError(parsed)) throw new Error(parsed.message);
  return parsed;
};

/** Every label set over keys a, b, c with values x, y or absent (27 sets). */
const LABEL_SETS: Labels[] = (() => {
  const out: Labels[] = [];
  for (const a of [undefined, 'x', 'y']) for (const b of [undefined, 'x', 'y']) for (const c of [undefined, 'x', 'y']) {
    const labels: Record<string, string> = {};
    if (a) labels.a = a;
    if (b) labels.b = b;
    if (c) labels.c = c;
    out.push(labels);
  }
  return out;
})();

describe('calicoLabelSelector', () => {
  it.each([
    ["a == 'x'", { matchLabels: { a: 'x' }, matchExpressions: [] }],
    ["a == 'x' && b != 'y'", { matchLabels: { a: 'x' }, matchExpressions: [{ key: 'b', operator: 'NotIn', values: ['y'] }] }],
    // (the Calico parser keeps `in` values sorted)
    ["has(a) && !has(b) && c in {'y', 'x'}", { matchLabels: {}, matchExpressions: [{ key: 'a', operator: 'Exists', values: [] }, { key: 'b', operator: 'DoesNotExist', values: [] }, { key: 'c', operator: 'In', values: ['x', 'y'] }] }],
    ["a not in {'x'} && !(b == 'x') && !(c != 'y')", { matchLabels: { c: 'y' }, matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['x'] }, { key: 'b', operator: 'NotIn', values: ['x'] }] }],
    ["!(a in {'x'}) && !(b not in {'y'})", { matchLabels: {}, matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['x'] }, { key: 'b', operator: 'In', values: ['y'] }] }],
    ["a == 'x' && a == 'y'", { matchLabels: { a: 'x' }, matchExpressions: [{ key: 'a', operator: 'In', values: ['y'] }] }],
    ['all()', { matchLabels: {}, matchExpressions: [] }],
  ])('%s: its label-selector form matches what Calico matches', (text, expected) => {
    const selector = parse(text);
    const spec = calicoLabelSelector(selector);
    expect(spec).toEqual(expected);
    const compiled = Selector.compile(spec);
    for (const labels of LABEL_SETS) expect(compiled.matches(labels), JSON.stringify(labels)).toBe(selector.matches(labels));
  });

  it.each(["a == 'x' || b == 'x'", "a contains 'x'", "a starts with 'x'", "a ends with 'x'", "!(a == 'x' && b == 'y')", 'global()', "!all()"])('%s has no label-selector form', (text) => {
    expect(calicoLabelSelector(parse(text))).toBeNull();
  });

  it('renames keys (a namespaceSelector’s projectcalico.org/name is the namespace name)', () => {
    expect(calicoLabelSelector(parse("projectcalico.org/name == 'b'"), (key) => (key === 'projectcalico.org/name' ? 'kubernetes.io/metadata.name' : key))).toEqual({
      matchLabels: { 'kubernetes.io/metadata.name': 'b' },
      matchExpressions: [],
    });
  });
});
