// The Calico selector parser against Calico's own parser tests (shared/conformance/dialects/calico-selectors):
// every match row, every invalid selector and every canonical form; plus located errors and hostile input.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CalicoSelector, isSelectorError, MAX_SELECTOR_DEPTH, MAX_SELECTOR_LENGTH } from './selector.js';

const DIR = path.resolve(import.meta.dirname, '../../../../../../../shared/conformance/dialects/calico-selectors');
const read = <T>(file: string): T => JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as T;
const matches = read<{ selector: string; labels: Record<string, string>; match: boolean; origin: string }[]>('selectors.json');
const invalid = read<{ selector: string; note: string; origin: string }[]>('invalid-selectors.json');
const canonical = read<{ selector: string; canonical: string; origin: string }[]>('canonical.json');

function parse(text: string): CalicoSelector {
  const parsed = CalicoSelector.parse(text);
  if (isSelectorError(parsed)) throw new Error(`${text}: ${parsed.message} at column ${parsed.column}`);
  return parsed;
}

describe('Calico selectors: conformance', () => {
  it('has every entry', () => {
    expect([matches.length, invalid.length, canonical.length]).toEqual([98, 26, 17]);
  });
  it.each(matches.map((m, i) => [i, m.selector, JSON.stringify(m.labels), m.match] as const))('match #%i: %s on %s → %s', (i, selector, _labels, match) => {
    expect(parse(selector).matches(matches[i].labels)).toBe(match);
  });
  it.each(invalid.map((m) => [m.selector, m.note] as const))('invalid: %s (%s)', (selector) => {
    const parsed = CalicoSelector.parse(selector);
    expect(isSelectorError(parsed)).toBe(true);
  });
  it.each(canonical.map((m) => [m.selector, m.canonical] as const))('canonical: %s → %s', (selector, expected) => {
    const parsed = parse(selector);
    expect(parsed.canonical).toBe(expected);
    // The canonical form is a fixed point.
    expect(parse(parsed.canonical).canonical).toBe(expected);
  });
});

describe('Calico selectors: errors and limits', () => {
  it('locates errors by offset and column', () => {
    expect(CalicoSelector.parse('a == "b" && %')).toMatchObject({ code: 'SELECTOR_SYNTAX', offset: 12, column: 13 });
    expect(CalicoSelector.parse('a == "unterminated')).toMatchObject({ code: 'SELECTOR_SYNTAX', offset: 5, message: 'unterminated string' });
    expect(CalicoSelector.parse('app in "x"')).toMatchObject({ offset: 7, message: expect.stringContaining('set literal') });
  });
  it('bounds length and nesting depth', () => {
    expect(CalicoSelector.parse(`a == "${'x'.repeat(MAX_SELECTOR_LENGTH)}"`)).toMatchObject({ code: 'SELECTOR_TOO_LONG' });
    expect(CalicoSelector.parse(`${'('.repeat(MAX_SELECTOR_DEPTH + 1)}has(a)${')'.repeat(MAX_SELECTOR_DEPTH + 1)}`)).toMatchObject({ code: 'SELECTOR_TOO_DEEP' });
    expect(CalicoSelector.parse(`${'!'.repeat(10_000)}has(a)`)).toMatchObject({ code: 'SELECTOR_TOO_DEEP' });
    expect(isSelectorError(CalicoSelector.parse(`${'('.repeat(MAX_SELECTOR_DEPTH)}has(a)${')'.repeat(MAX_SELECTOR_DEPTH)}`))).toBe(false);
  });
  it('prints parentheses where precedence needs them, and reads label keys with prefixes', () => {
    expect(parse('(a == "1" || b == "2") && has(c)').canonical).toBe('(a == "1" || b == "2") && has(c)');
    expect(parse('a == "1" || b == "2" && has(c)').canonical).toBe('a == "1" || b == "2" && has(c)');
    const s = parse('projectcalico.org/namespace == "prod" && app.kubernetes.io/name in {"web"}');
    expect(s.keys()).toEqual(['app.kubernetes.io/name', 'projectcalico.org/namespace']);
    expect(s.matches({ 'projectcalico.org/namespace': 'prod', 'app.kubernetes.io/name': 'web' })).toBe(true);
    // A word operator does not run into a label: `a inner` is a label followed by garbage.
    expect(isSelectorError(CalicoSelector.parse('a inner {"x"}'))).toBe(true);
    expect(parse('a in{"x"}').matches({ a: 'x' })).toBe(true);
  });
});
