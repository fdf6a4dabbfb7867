import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonListSplitter, type SplitItem } from './json-list-splitter.js';
import { ManifestStream } from './manifest-stream.js';
import { parseManifests } from './parse-manifests.js';
import type { ParsedObject } from './types.js';

/** Splits `text` at the given offsets and feeds the pieces. */
function split(text: string, cuts: readonly number[] = []): { items: SplitItem[]; splitter: JsonListSplitter } {
  const splitter = new JsonListSplitter('t.json', 64);
  const items: SplitItem[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    items.push(...splitter.write(text.slice(from, cut)));
    from = cut;
  }
  items.push(...splitter.write(text.slice(from)));
  splitter.end();
  return { items, splitter };
}

/** Streams `text` (always split item by item) in pieces of `size` characters. */
function stream(text: string, size = 7) {
  const s = new ManifestStream('t.json', (parsed: ParsedObject) => parsed, { streamAfterChars: 0 });
  for (let i = 0; i < text.length; i += size) s.write(text.slice(i, i + size));
  return s.end();
}

/** Keys of every object in `value`. */
const keysIn = (value: unknown): number =>
  Array.isArray(value) ? value.reduce((n: number, v) => n + keysIn(v), 0) : typeof value === 'object' && value !== null ? Object.values(value).reduce((n: number, v) => n + 1 + keysIn(v), 0) : 0;

const namespace = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: { app: name } },
  ...extra,
});

const list = (items: unknown[], kind = 'List') => JSON.stringify({ apiVersion: 'v1', items, kind, metadata: { resourceVersion: '' } }, null, 2);

/** 1-based line of the first occurrence of `needle`. */
const lineOf = (text: string, needle: string, from = 0) => text.slice(0, text.indexOf(needle, from)).split('\n').length;

describe('JsonListSplitter', () => {
  it('gives each item its exact text, index and line, and keeps the other top-level fields', () => {
    const text = list([namespace('a'), namespace('b')]);
    const { items, splitter } = split(text);
    expect(splitter.problems).toEqual([]);
    expect(items.map((item) => JSON.parse(item.text))).toEqual([namespace('a'), namespace('b')]);
    expect(items.map((item) => item.index)).toEqual([0, 1]);
    const itemStarts = text.split('\n').flatMap((line, i) => (line === '    {' ? [i + 1] : []));
    expect(items.map((item) => item.line)).toEqual(itemStarts);
    expect(splitter.header.map((field) => [field.key, JSON.parse(field.text)])).toEqual([
      ['apiVersion', 'v1'],
      ['kind', 'List'],
      ['metadata', { resourceVersion: '' }],
    ]);
  });

  it('handles strings with escaped quotes, backslashes and brackets, and nested arrays, split at every offset', () => {
    const tricky = namespace('x', {
      data: ['a"]}', '\\', '\\"[{', 'line\nbreak', [[1, [2, []]], {}], { '"}': ['{'] }],
    });
    const text = list([tricky, [1, [2]], 'plain', 3, null, namespace('y')]);
    const whole = split(text).items;
    expect(whole.map((item) => JSON.parse(item.text))).toEqual([tricky, [1, [2]], 'plain', 3, null, namespace('y')]);
    for (let cut = 0; cut <= text.length; cut++) expect(split(text, [cut]).items, `cut at ${cut}`).toEqual(whole);
  });

  it('gives the same items wherever the text is cut (property, fixed seed)', () => {
    const label = fc.string({ unit: fc.constantFrom('a', '"', '\\', '[', ']', '{', '}', ',', ':', ' ', 'é', '\n', '😀') });
    const item = fc.record({
      apiVersion: fc.constant('v1'),
      kind: fc.constant('Namespace'),
      metadata: fc.record({ name: fc.stringMatching(/^[a-z]{1,8}$/), annotations: fc.dictionary(label, label, { maxKeys: 3 }) }),
      extra: fc.array(fc.oneof(label, fc.array(fc.array(fc.integer())), fc.constant(null)), { maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 6 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 12 }), (items, pretty, cuts) => {
        const text = pretty ? list(items) : JSON.stringify({ kind: 'List', apiVersion: 'v1', items });
        const whole = split(text);
        expect(whole.splitter.problems).toEqual([]);
        expect(whole.items.map((i) => JSON.parse(i.text))).toEqual(items);
        // Keys counted while splitting (colons in keys and values are inside strings): the reader's duplicate check.
        expect(whole.items.map((i) => i.keyCount)).toEqual(items.map(keysIn));
        const cut = split(text, cuts.map((c) => c % (text.length + 1)));
        expect(cut.items).toEqual(whole.items);
        expect(cut.splitter.header).toEqual(whole.splitter.header);
      }),
      { numRuns: 300, seed: 4242 },
    );
  });

  it('locates every item on 1 + the newlines before it, with escapes and raw newlines in strings cut anywhere (property, fixed seed)', () => {
    // Strings written by hand: escaped quotes and backslash runs that a cut can separate, and raw newlines (not
    // JSON, refused later by the reader) that still count as lines.
    const piece = fc.constantFrom('a', '\\\\', '\\"', '\n', '{', ']', ' ', ',');
    const str = fc.array(piece, { maxLength: 6 }).map((parts) => `"${parts.join('')}"`);
    const item = fc.tuple(str, str, fc.constantFrom('', '\n', ' \n  ')).map(([a, b, gap]) => `{${gap}"k":${a},${gap}"n":[1,{"x":${b}}]}`);
    fc.assert(
      fc.property(fc.array(item, { maxLength: 6 }), fc.constantFrom(',', ',\n', ' ,\n\n '), fc.array(fc.nat(), { maxLength: 12 }), (items, separator, cuts) => {
        const text = `{"kind":"List",\n"items":[\n${items.join(separator)}\n]}\n`;
        const whole = split(text);
        expect(whole.splitter.problems).toEqual([]);
        expect(whole.items.map((i) => i.text)).toEqual(items);
        let from = 0;
        for (const splitItem of whole.items) {
          const at = text.indexOf(splitItem.text, from);
          expect(splitItem.line).toBe(text.slice(0, at).split('\n').length);
          from = at + splitItem.text.length;
        }
        expect(split(text, cuts.map((c) => c % (text.length + 1))).items).toEqual(whole.items);
      }),
      { numRuns: 300, seed: 1313 },
    );
  });

  it('reports broken structure as SYNTAX with its line, and too deep nesting as DEPTH_LIMIT', () => {
    const broken = '{\n  "kind": "List",\n  "items": [\n    {"a": [1, 2}\n  ]\n}';
    expect(split(broken).splitter.problems).toEqual([
      expect.objectContaining({ code: 'SYNTAX', severity: 'error', path: '', line: 4 }),
    ]);
    expect(split('{"items": [{}] ').splitter.problems).toEqual([expect.objectContaining({ code: 'SYNTAX', line: 1 })]);
    expect(split('{"items": [{}],}').splitter.problems[0]).toMatchObject({ code: 'SYNTAX' });
    expect(split('{"items": [{}]}\n x').splitter.problems[0]).toMatchObject({ code: 'SYNTAX', line: 2 });
    const deep = `{"items": [\n${'['.repeat(70)}${']'.repeat(70)}]}`;
    expect(split(deep).splitter.problems).toEqual([expect.objectContaining({ code: 'DEPTH_LIMIT', line: 2 })]);
  });
});

describe('ManifestStream (a List split item by item)', () => {
  it('finds what parseManifests finds: objects, sources, warnings and located errors', () => {
    const badPolicy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'p', namespace: 'a' },
      spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] } }] }] },
    };
    for (const items of [
      [namespace('a'), namespace('b'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }],
      [namespace('a'), 'not an object', badPolicy, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }],
    ]) {
      const text = list(items);
      const whole = parseManifests([{ path: 't.json', text }]);
      const streamed = stream(text);
      expect(streamed.streamed).toBe(true);
      expect(streamed.kept).toEqual(whole.objects);
      expect(streamed.issues).toEqual(whole.issues);
      expect(streamed.issues.length).toBeGreaterThan(0);
    }
  });

  it('gives items without a kind the kind of a …List (before or after the items)', () => {
    const items = [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }];
    for (const text of [
      JSON.stringify({ kind: 'NamespaceList', apiVersion: 'v1', items }, null, 1),
      JSON.stringify({ items, kind: 'NamespaceList', apiVersion: 'v1' }, null, 1),
    ]) {
      const whole = parseManifests([{ path: 't.json', text }]);
      const streamed = stream(text, 5);
      expect(whole.objects).toHaveLength(2);
      expect(streamed.kept).toEqual(whole.objects);
      expect(streamed.issues).toEqual(whole.issues);
    }
  });

  it('reports a duplicate key inside an item at items[i]… on its line, and nothing else', () => {
    const items = [namespace('a'), namespace('b'), namespace('c'), namespace('d')];
    const text = list(items).replace('"app": "d"', '"app": "d",\n        "app": "again"');
    const expected = { code: 'DUPLICATE_KEY', severity: 'error', file: 't.json', document: 0, path: 'items[3].metadata.labels.app', line: lineOf(text, '"app": "again"') };
    expect(parseManifests([{ path: 't.json', text }]).issues).toEqual([expect.objectContaining(expected)]);
    const streamed = stream(text, 11);
    expect(streamed.issues).toEqual([expect.objectContaining(expected)]);
    expect(streamed.kept).toEqual([]);
  });

  it('reports a second top-level items key as DUPLICATE_KEY', () => {
    const text = '{\n  "apiVersion": "v1",\n  "kind": "List",\n  "items": [],\n  "items": [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}}]\n}';
    expect(stream(text).issues).toEqual([expect.objectContaining({ code: 'DUPLICATE_KEY', path: 'items', line: 5 })]);
    expect(parseManifests([{ path: 't.json', text }]).issues).toEqual([expect.objectContaining({ code: 'DUPLICATE_KEY', path: 'items', line: 5 })]);
  });

  it('reports bad JSON inside an item as SYNTAX on the line of the body', () => {
    const text = list([namespace('a'), namespace('b')]).replace('"name": "b"', '"name": b');
    const streamed = stream(text);
    expect(streamed.issues).toEqual([expect.objectContaining({ code: 'SYNTAX', severity: 'error', path: '', file: 't.json' })]);
    // The error's own line when the runtime's message locates it (Node 22+), else the first line of its item.
    const itemLine = text.split('\n').findIndex((line, i) => line === '    {' && i > 3) + 1;
    expect([itemLine, lineOf(text, '"name": b')]).toContain(streamed.issues[0]!.line);
    expect(streamed.kept).toEqual([]);
    // A worse problem later wins over a duplicate key earlier, as in the whole-text reader.
    const both = list([namespace('a'), namespace('b')]).replace('"app": "a"', '"app": "a", "app": "x"').replace('"name": "b"', '"name": b');
    expect(stream(both).issues.map((i) => i.code)).toEqual(['SYNTAX']);
  });

  it('reports __proto__ keys (items and top level) as FORBIDDEN_KEY, like the whole-text reader', () => {
    const text = list([namespace('a')]).replace('"name": "a"', '"name": "a", "__proto__": {"x": 1}').replace('"kind": "List"', '"kind": "List", "__proto__": 1');
    const whole = parseManifests([{ path: 't.json', text }]);
    const streamed = stream(text);
    expect(whole.issues.map((i) => [i.code, i.path])).toEqual([['FORBIDDEN_KEY', 'items[0].metadata.__proto__'], ['FORBIDDEN_KEY', '__proto__']]);
    expect(streamed.issues).toEqual(whole.issues);
  });

  it('keeps the whole-text path for YAML, small bodies and JSON objects without items', () => {
    const yaml = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n';
    const r = new ManifestStream('t', (p) => p.object.metadata.name);
    r.write(yaml.slice(0, 10));
    r.write(yaml.slice(10));
    expect(r.end()).toEqual({ kept: ['a'], issues: [], streamed: false });
    const single = new ManifestStream('t', (p) => p.object.kind, { streamAfterChars: 0 });
    single.write(JSON.stringify(namespace('a')));
    expect(single.end()).toMatchObject({ kept: ['Namespace'], streamed: false });
  });
});

describe('ManifestStream: read whole up to streamAfterChars, split past it', () => {
  const text = list([
    ...Array.from({ length: 30 }, (_, i) => namespace(`ns-${i}`)),
    namespace('ns-3'),
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns-1', labels: { app: 'x' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 70000 }] }] } },
  ]);
  const feed = (streamAfterChars: number | undefined) => {
    const s = new ManifestStream('t.json', (parsed: ParsedObject) => `${parsed.object.kind}/${parsed.object.metadata.name}@${parsed.source.line}`, { streamAfterChars });
    for (let i = 0; i < text.length; i += 7) s.write(text.slice(i, i + 7));
    return s.end();
  };

  it('gives parseManifests\' objects (each mapped by keep as it is read) and issues either way, the split catching up mid-body', () => {
    const whole = parseManifests([{ path: 't.json', text }]);
    const expected = whole.objects.map((parsed) => `${parsed.object.kind}/${parsed.object.metadata.name}@${parsed.source.line}`);
    expect(whole.issues.map((i) => i.code)).toEqual(['DUPLICATE_OBJECT', 'INVALID_VALUE']);
    const readWhole = feed(undefined); // the default, 256 Mi characters
    const splitMidway = feed(Math.floor(text.length / 2));
    expect(readWhole.streamed).toBe(false);
    expect(splitMidway.streamed).toBe(true);
    for (const result of [readWhole, splitMidway]) {
      expect(result.kept).toEqual(expected);
      expect(result.issues).toEqual(whole.issues);
    }
  });
  it('reads a List of several MiB whole by default (split item by item only past 256 Mi characters)', () => {
    const big = list(Array.from({ length: 4000 }, (_, i) => namespace(`ns-${i}`, { metadata: { name: `ns-${i}`, annotations: { note: 'x'.repeat(400) } } })));
    expect(big.length).toBeGreaterThan(2 ** 21);
    const s = new ManifestStream('t.json', (parsed: ParsedObject) => parsed.object.metadata.name);
    for (let i = 0; i < big.length; i += 65_536) s.write(big.slice(i, i + 65_536));
    const result = s.end();
    expect(result.streamed).toBe(false);
    expect(result.issues).toEqual([]);
    expect(result.kept).toHaveLength(4000);
    expect(result.kept[3999]).toBe('ns-3999');
  });
});

describe('ManifestStream: the parser rules across items', () => {
  it('reports duplicates, unknown fields, bad characters and the object cap as the whole-text parse does', () => {
    const text = list([
      namespace('a'),
      namespace('b', { spec: { finalizers: [] } }),
      namespace('a'),
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'a' }, spec: { podSelector: { matchLabel: {} } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a', annotations: { note: 'x\u0000' } } },
    ]);
    const streamed = stream(text);
    const whole = parseManifests([{ path: 't.json', text }]);
    expect(streamed.streamed).toBe(true);
    expect(streamed.issues).toEqual(whole.issues);
    expect(streamed.issues.map((i) => [i.code, i.path])).toEqual([
      ['DUPLICATE_OBJECT', 'items[2].metadata.name'],
      ['UNKNOWN_FIELD', 'items[3].spec.podSelector.matchLabel'],
      ['INVALID_CHARACTER', 'items[4].metadata.annotations.note'],
    ]);
    const capped = new ManifestStream('t.json', (parsed: ParsedObject) => parsed, { streamAfterChars: 0, maxObjects: 2 });
    capped.write(text);
    expect(capped.end().issues.filter((i) => i.severity === 'error').map((i) => [i.code, i.path])).toEqual([['OBJECT_LIMIT', 'items[2]']]);
  });
});
