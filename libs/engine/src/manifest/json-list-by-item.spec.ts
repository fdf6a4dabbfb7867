// parseManifests reads a JSON List one item at a time (parse, null prototypes, validation, defaults, projection per
// item): its objects and issues (codes, messages, paths, lines, order) must be exactly those of reading the whole text
// first and collecting after (`jsonListByItem: false`, the reference), for clean Lists and for every kind of broken
// item; and the projected parse (`project: true`) must give the same analysis as the full one. Read in two slices
// (head here, tail as a worker thread would post it), the merged result must be the sequential one, or undefined.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateSyntheticCluster, SIZE_PRESETS } from '../../bench/synthetic-cluster.js';
import { analyze } from '../analysis/analyze.js';
import { serializeAnalysis } from '../analysis/serialize.js';
import { buildSnapshot } from '../model/snapshot.js';
import { findJsonListSplit, mergeJsonListSlices, readJsonListSlice } from './json-list-slices.js';
import { openJsonListItems, READ_WHOLE_TEXT } from './json-reader.js';
import { scanJsonStructure } from './json-scan.js';
import { resolveLimits } from './limits.js';
import { parseManifests } from './parse-manifests.js';
import type { ParseOptions, ParseResult, SourceDocument } from './types.js';

const CONFORMANCE = join(import.meta.dirname, '../../../../../shared/conformance');

/** The by-item parse, after checking it against the whole-text reference. */
function parseBoth(documents: readonly SourceDocument[], options: ParseOptions = {}): ParseResult {
  const byItem = parseManifests(documents, options);
  const reference = parseManifests(documents, { ...options, jsonListByItem: false });
  expect(byItem.issues).toEqual(reference.issues);
  expect(byItem.objects).toEqual(reference.objects);
  return byItem;
}

/** Every `input` folder (and diff `old` / `new`) of a corpus, each as its documents. */
function corpusInputs(root: string): { name: string; documents: SourceDocument[] }[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (!statSync(path).isDirectory()) continue;
      if (entry === 'input' || entry === 'old' || entry === 'new') found.push(path);
      else walk(path);
    }
  };
  walk(root);
  const read = (dir: string): SourceDocument[] =>
    readdirSync(dir)
      .sort()
      .flatMap((entry) => {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) return read(path);
        return /\.(ya?ml|json)$/i.test(entry) ? [{ path, text: readFileSync(path, 'utf8') }] : [];
      });
  return found.map((dir) => ({ name: dir.slice(CONFORMANCE.length + 1), documents: read(dir) }));
}

// Each distinct input once: the diff, explain and exposure sets repeat many `cases/` inputs byte for byte (the
// documents' paths differ, which changes nothing the two reads could disagree on).
const corpora = [...corpusInputs(join(CONFORMANCE, 'np-guard')), ...corpusInputs(join(CONFORMANCE, 'dialects'))].filter(
  (corpus, i, all) => all.findIndex((other) => sameTexts(other.documents, corpus.documents)) === i,
);

function sameTexts(a: readonly SourceDocument[], b: readonly SourceDocument[]): boolean {
  return a.length === b.length && a.every((document, i) => document.text === b[i]!.text);
}

/** A folder's valid objects as one `kubectl get -o json` List (4-space indent, as kubectl writes). */
function asJsonList(result: ParseResult): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: result.objects.map((o) => o.object), metadata: { resourceVersion: '' } }, null, 4);
}

/** The analysis a parse gives (snapshot build issues and the serialised factorised analysis). */
function analysisOf(result: ParseResult): string {
  const built = buildSnapshot(result.objects);
  return JSON.stringify({ issues: built.issues, analysis: serializeAnalysis(analyze(built.snapshot)) });
}

type Json = Record<string, unknown>;
// 200 pods: every mutation parses the whole List twice or more (the S preset's 1k pods took 75 s of CI).
const small = generateSyntheticCluster({ pods: 200, namespaces: 9 }, 7).list as { items: Json[] };

/** The S cluster as kubectl text with item `k` replaced by `edit` of its text (or of a copy of its data). */
function mutated(k: number, edit: { data?: (item: Json) => unknown; text?: (text: string) => string }): string {
  const items = small.items.map((item, i) => {
    const data: unknown = i === k && edit.data ? edit.data(structuredClone(item)) : item;
    const text = JSON.stringify(data, null, 4).replaceAll('\n', '\n        ');
    return i === k && edit.text ? edit.text(text) : text;
  });
  return `{\n    "apiVersion": "v1",\n    "items": [\n        ${items.join(',\n        ')}\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n`;
}

const metadataOf = (item: Json) => item['metadata'] as Json;

const MUTATIONS: Record<string, { data?: (item: Json) => unknown; text?: (text: string) => string }> = {
  'a duplicate key at the top of the item': { text: (t) => `{"kind": "Pod", ${t.slice(1)}` },
  'a duplicate key in the metadata': { text: (t) => t.replace('"metadata": {', '"metadata": {"name": "again",') },
  '`__proto__` in the item': { text: (t) => t.replace('"metadata": {', '"metadata": {"__proto__": {"polluted": true},') },
  'a syntax error in the item': { text: (t) => t.replace('"metadata": {', '"metadata": {,') },
  'a wrong type': { data: (item) => ((metadataOf(item)['name'] = 5), item) },
  'a YAML-1.1-looking string': { data: (item) => ((metadataOf(item)['labels'] = { ...(metadataOf(item)['labels'] as Json), enabled: 'yes', octal: '0120' }), item) },
  'an unknown field': { data: (item) => ((item['spec'] = { ...(item['spec'] as Json), podSelectr: {} }), item) },
  'an item that is not an object': { data: () => 'not an object' },
  'an item that is a number': { data: () => 42 },
  'an item that is an array': { data: (item) => [item] },
  'an items array holding a nested List': { data: (item) => ({ apiVersion: 'v1', kind: 'List', items: [item, { kind: 'Pod' }] }) },
  'an item without kind and apiVersion': { data: (item) => (delete item['kind'], delete item['apiVersion'], item) },
  'an item defined twice': { data: () => small.items[small.items.length >> 1] },
  'a misspelt kind': { data: (item) => ({ ...item, apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicie' }) },
  'a NUL in a label value': { data: (item) => ((metadataOf(item)['labels'] = { bad: 'a\u0000b' }), item) },
  'an escaped character in a name': { data: (item) => ((metadataOf(item)['name'] = 'caf\u00e9'), item) },
  'a Namespace label the API server overrides': {
    data: () => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n-override', labels: { 'kubernetes.io/metadata.name': 'other' } } }),
  },
};

describe('JSON List read item by item: the same result as the whole-text read', () => {
  it('takes the item-by-item read on a clean List, and hands the items the whole-text read must report back', () => {
    const list = openJsonListItems('c.json', mutated(-1, {}), resolveLimits(undefined));
    expect(list?.itemCount).toBe(small.items.length);
    for (const [name, k, quick] of [
      ['a wrong type', 9, true],
      ['an unknown field', 9, true],
      ['a duplicate key in the metadata', 9, false],
      ['`__proto__` in the item', 9, false],
      ['a syntax error in the item', 9, false],
    ] as const) {
      const items = openJsonListItems('c.json', mutated(k, MUTATIONS[name]!), resolveLimits(undefined))!;
      expect(items.readItem(k) === READ_WHOLE_TEXT, name).toBe(!quick);
      expect(items.readItem(k - 1)).not.toBe(READ_WHOLE_TEXT);
    }
  });

  it('on a generated S cluster and its projection', () => {
    const text = mutated(-1, {});
    const full = parseBoth([{ path: 'cluster.json', text }]);
    expect(full.issues).toEqual([]);
    expect(full.objects).toHaveLength(small.items.length);
    parseBoth([{ path: 'cluster.json', text }], { project: true });
  });

  const items = small.items.length;
  // Item 1 is a Namespace, the last one a NetworkPolicy (the generator writes Namespaces first, policies last).
  const quiet = ['a YAML-1.1-looking string', 'an escaped character in a name', 'an unknown field'];
  it.each(Object.keys(MUTATIONS).flatMap((name) => [1, items - 1].map((k) => [name, k] as const)))('with %s (item %i)', (name, k) => {
    const documents = [{ path: 'cluster.json', text: mutated(k, MUTATIONS[name]!) }];
    const result = parseBoth(documents);
    if (!quiet.includes(name)) expect(result.issues.length).toBeGreaterThan(0);
    if (k > 1) parseBoth(documents, { project: true });
  });

  it('with the object limit reached inside the List, and across files', () => {
    const text = mutated(-1, {});
    parseBoth([{ path: 'cluster.json', text }], { maxObjects: items >> 1 });
    // The limit is met in the second file: the first file's objects count, and its duplicates are seen.
    parseBoth(
      [
        { path: 'first.json', text: mutated(3, MUTATIONS['`__proto__` in the item']!) },
        { path: 'second.json', text },
      ],
      { maxObjects: items + 100 },
    );
    // A fallback (duplicate key) after objects of an earlier file: nothing of the failed quick read stays.
    parseBoth([
      { path: 'first.json', text },
      { path: 'second.json', text: mutated(items - 1, MUTATIONS['a duplicate key in the metadata']!) },
    ]);
  });

  it('with a List kind its items inherit (PodList), a plain object with items, and a YAML file beside', () => {
    const podList = '{"apiVersion":"v1","kind":"PodList","items":[\n{"metadata":{"name":"a","namespace":"n"}},\n{"metadata":{"name":"b"},"spec":{"bad":1}}\n]}';
    parseBoth([{ path: 'pods.json', text: podList }]);
    parseBoth([{ path: 'pods.json', text: podList.replace('PodList', 'Pod') }]);
    parseBoth([{ path: 'pods.json', text: podList.replace('"kind":"PodList",', '') }]);
    parseBoth([{ path: 'pods.json', text: podList.replace('"apiVersion":"v1",', '"apiVersion":7,') }]);
    parseBoth([
      { path: 'a.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  namespace: n\n' },
      { path: 'pods.json', text: podList },
    ]);
  });

  const item = fc.constantFrom(
    '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}}',
    '{ "kind" : "Pod", "metadata": {"name": "b", "labels": {"x": "1"}} }',
    '{"kind":"Pod","metadata":{"name":"c","name":"d"}}',
    '{"kind":"Pod","__proto__":{"polluted":true}}',
    '{"kind":"Pod","metadata":{"name":"e"},"spec":{"a":[{"b":1},{"__proto__":{}}]}}',
    '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a\\u0000"}}',
    '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n","labels":{"kubernetes.io/metadata.name":"m"}}}',
    '{"metadata":{"name":"f"}}',
    '[{"kind":"Pod"}]',
    '"text"',
    '7',
    '{"kind":"Pod"',
  );
  const separator = fc.constantFrom(',', ',\n  ', '\n,', ',,', '');
  const header = fc.constantFrom('"apiVersion":"v1","kind":"List",', '"apiVersion":"v1","kind":"PodList",', '"kind":"List","metadata":{"__proto__":1},', '"items":[],', '');
  const trailer = fc.constantFrom('', ',"metadata":{}', ',"kind":"List"', ',"apiVersion":"v1","kind":"PodList"');

  it('on Lists of clean and broken items, separators, headers and trailers (property)', () => {
    fc.assert(
      fc.property(header, fc.array(item, { maxLength: 5 }), separator, trailer, fc.boolean(), (head, texts, sep, tail, project) => {
        const text = `{${head}"items":[\n${texts.join(`${sep}\n`)}\n]${tail}}`;
        parseBoth([{ path: 'list.json', text }], { project });
      }),
      { numRuns: 300, seed: 13 },
    );
  });
});

describe('JSON List read item by item: the conformance corpora', () => {
  it('finds the corpora', () => {
    expect(corpora.length).toBeGreaterThan(150);
  });

  it.each(corpora.map((c) => [c.name, c] as const))('%s: as written and as one kubectl JSON List; projected, the same analysis', (_name, corpus) => {
    const written = parseBoth(corpus.documents);
    const listed = parseBoth([{ path: 'list.json', text: asJsonList(written) }]);
    const projected = parseBoth([{ path: 'list.json', text: asJsonList(written) }], { project: true });
    expect(analysisOf(projected)).toEqual(analysisOf(listed));
    expect(analysisOf(parseManifests(corpus.documents, { project: true }))).toEqual(analysisOf(written));
  });
});

describe('JSON List read item by item: a generated M cluster', () => {
  it('the same objects and issues; projected, the same analysis', () => {
    const text = JSON.stringify(generateSyntheticCluster(SIZE_PRESETS.M, 3).list);
    const full = parseBoth([{ path: 'cluster.json', text }]);
    const projected = parseManifests([{ path: 'cluster.json', text }], { project: true });
    expect(projected.objects).toHaveLength(full.objects.length);
    expect(analysisOf(projected)).toEqual(analysisOf(full));
  });
});

/**
 * The List read as a head and a tail (the tail through structuredClone, as a worker posts it) and merged, checked
 * against the sequential parse; undefined when the merge declines (the host then parses sequentially).
 */
function threaded(text: string, split: number | undefined, options: ParseOptions = {}): ParseResult | undefined {
  if (split === undefined) return undefined;
  const head = readJsonListSlice('cluster.json', text, { part: 'head', split }, options);
  const tail = structuredClone(readJsonListSlice('cluster.json', text, { part: 'tail', split }, options));
  const merged = mergeJsonListSlices('cluster.json', text, head, tail, options);
  if (!merged) return undefined;
  const sequential = parseManifests([{ path: 'cluster.json', text }], options);
  expect(merged.issues).toEqual(sequential.issues);
  expect(merged.objects).toEqual(sequential.objects);
  const prototypes = new Set<unknown>();
  const walk = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    if (!Array.isArray(value)) prototypes.add(Object.getPrototypeOf(value));
    for (const item of Object.values(value)) walk(item);
  };
  for (const parsed of merged.objects.slice(-50)) walk(parsed.object);
  expect([...prototypes]).toEqual([null]);
  return merged;
}

describe('JSON List read in two slices (two threads): the sequential result, or a fallback', () => {
  const items = small.items.length;
  const clean = mutated(-1, {});
  const offsets = (text: string) => (scanJsonStructure(text, 64) as { itemOffsets: number[] }).itemOffsets;

  it('splits a clean List near its middle, projected or not, compact or indented', () => {
    const split = findJsonListSplit(clean);
    // An item's start at or after the middle (the first candidate there that parses as an object with kind and metadata).
    expect(offsets(clean)).toContain(split);
    expect(split).toBeGreaterThanOrEqual(clean.length >> 1);
    expect(threaded(clean, split)?.objects).toHaveLength(items);
    expect(threaded(clean, split, { project: true })?.objects).toHaveLength(items);
    const compact = JSON.stringify(small);
    expect(threaded(compact, findJsonListSplit(compact), { project: true })?.objects).toHaveLength(items);
  });

  it('at any item, with the List kind after the items (kubectl order)', () => {
    for (const k of [1, 2, items >> 1, items - 1]) expect(threaded(clean, offsets(clean)[k]), `item ${k}`).toBeDefined();
  });

  it('declines a split that is not between two items of the List', () => {
    const text = JSON.stringify(small, null, 4);
    const nested = text.indexOf('{', offsets(text)[1000]! + 1); // an object inside item 1000
    expect(threaded(text, nested)).toBeUndefined();
    const inString = text.indexOf('"', offsets(text)[1000]!) + 1;
    expect(threaded(text, inString)).toBeUndefined();
  });

  it('joins warnings and duplicates across the split in the sequential order', () => {
    const last = small.items[items - 1]!;
    const text = mutated(items - 1, { data: () => ({ ...small.items[5], metadata: { ...metadataOf(small.items[5]!) } }) });
    const merged = threaded(text, findJsonListSplit(text));
    expect(merged?.issues.map((issue) => issue.code)).toEqual(['DUPLICATE_OBJECT']);
    const warned = mutated(items - 1, { data: () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: metadataOf(last) }) });
    expect(threaded(warned, findJsonListSplit(warned))?.issues.map((issue) => issue.code)).toEqual(['UNKNOWN_KIND']);
  });

  const declined = [
    'a duplicate key in the metadata',
    '`__proto__` in the item',
    'a syntax error in the item',
    'a wrong type',
    'an item that is not an object',
    'an items array holding a nested List',
    'an item without kind and apiVersion',
    'a NUL in a label value',
  ];
  it.each(Object.keys(MUTATIONS).flatMap((name) => [1, items - 1].map((k) => [name, k] as const)))('with %s (item %i): merged exactly or declined', (name, k) => {
    const text = mutated(k, MUTATIONS[name]!);
    const merged = threaded(text, findJsonListSplit(text), { project: true });
    if (declined.includes(name)) expect(merged).toBeUndefined();
  });

  it('declines a List over the object limit (OBJECT_LIMIT is reported sequentially)', () => {
    expect(threaded(clean, findJsonListSplit(clean), { maxObjects: items - 1 })).toBeUndefined();
    expect(threaded(clean, findJsonListSplit(clean), { maxObjects: items })).toBeDefined();
  });
});
