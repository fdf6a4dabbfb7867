// Issue 13: the block reader (first tier of the YAML fast path) must give exactly the locating reader's plain data
// and YAML 1.1 boolean marks on every document it accepts, and bail on everything else. Checked document by document
// on every YAML file of the conformance corpus (np-guard and dialects), on synthetic clusters written in two
// styles, on hand-written edge cases, and on seeded random mutations of real documents (where any accepted document
// must match the locating reader, which must find no issue in it).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Random } from '../../bench/random.js';
import { generateSyntheticCluster, SIZE_PRESETS } from '../../bench/synthetic-cluster.js';
import { DEFAULT_MAX_DEPTH } from './limits.js';
import { formatPath } from './path.js';
import { BlockYamlReader } from './yaml-block-reader.js';
import { readYaml } from './yaml-reader.js';

const CONFORMANCE = join(import.meta.dirname, '../../../../../shared/conformance');
const readBlockDocument = (text: string, start: number, end: number, maxDepth: number) => new BlockYamlReader(text, maxDepth).read(start, end);
const LIMITS = { maxAliases: 100, maxDepth: DEFAULT_MAX_DEPTH, maxObjects: 200_000 };
const DOCUMENT_MARKER = /^---[ \t]*(?:#.*)?\r?$/gm;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/i.test(entry) ? [path] : [];
    });
}

/** The documents of a text, as the fast reader splits them. */
function chunks(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const marker of text.matchAll(DOCUMENT_MARKER)) {
    out.push(text.slice(start, marker.index));
    start = marker.index + marker[0].length;
  }
  out.push(text.slice(start));
  return out;
}

/** Every path (formatted the reader's way) at which the locating reader marks a YAML 1.1 value. */
function marked(document: ReturnType<typeof readYaml>['documents'][number] | undefined, value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: (string | number)[]): void => {
    if (document?.isYaml11Value(path)) out.push(formatPath(path));
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...path, i]));
    else if (typeof v === 'object' && v !== null) for (const key of Object.keys(v)) walk((v as Record<string, unknown>)[key], [...path, key]);
  };
  walk(value, []);
  return out.sort();
}

/** [path, source] of every number the locating reader marks (leading-zero octals such as `0644`). */
function octalSources(document: ReturnType<typeof readYaml>['documents'][number], value: unknown): [string, string][] {
  const out: [string, string][] = [];
  const walk = (v: unknown, path: (string | number)[]): void => {
    const source = typeof v === 'number' ? document.yaml11Source?.(path) : undefined;
    if (source !== undefined) out.push([formatPath(path), source]);
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...path, i]));
    else if (typeof v === 'object' && v !== null) for (const key of Object.keys(v)) walk((v as Record<string, unknown>)[key], [...path, key]);
  };
  walk(value, []);
  return out.sort();
}

type Outcome = 'accepted' | 'bailed';

/** Reads one document both ways; when the block reader accepts it, both must agree exactly. */
function compare(chunk: string): Outcome {
  const block = readBlockDocument(chunk, 0, chunk.length, LIMITS.maxDepth);
  if (!block) return 'bailed';
  const slow = readYaml('doc.yaml', chunk, LIMITS);
  expect(slow.issues, chunk).toEqual([]);
  const slowDocument = slow.documents[0];
  expect(block.value, chunk).toStrictEqual(slowDocument?.value ?? null);
  if (slowDocument) {
    // Same boolean marks: re-walk the block reader's value and ask the locating reader about each of its paths.
    expect([...block.booleans].sort(), chunk).toEqual(marked(slowDocument, block.value));
    expect([...block.octals].sort(), chunk).toEqual(octalSources(slowDocument, block.value));
    expect(slowDocument.lineAt([]), chunk).toBe(chunk.slice(0, block.rootOffset).split('\n').length);
  }
  return 'accepted';
}

describe('block YAML reader', () => {
  it('reads every document of the conformance corpus (np-guard and dialects) exactly as the locating reader, or bails', () => {
    const files = yamlFiles(CONFORMANCE);
    expect(files.length).toBeGreaterThan(500);
    const counts = { accepted: 0, bailed: 0 };
    for (const file of files) for (const chunk of chunks(readFileSync(file, 'utf8'))) counts[compare(chunk)]++;
    // Hand-written manifests: most are in the subset (the rest use flow style, block scalars, ...).
    expect(counts.accepted).toBeGreaterThan(counts.bailed * 2);
  }, 240_000);

  it.each([
    ['yaml.stringify (indented sequences)', { indentSeq: true }],
    ['kubectl style (sequences at their key’s indentation)', { indentSeq: false }],
  ])('reads a synthetic cluster written by %s, accepting every document', (_name, options) => {
    const items = (generateSyntheticCluster(SIZE_PRESETS.S, 3).list as { items: unknown[] }).items;
    for (const item of items.slice(0, 600)) expect(compare(stringify(item, options)), stringify(item, options)).toBe('accepted');
  }, 240_000);

  const accepted = [
    'a: 1\nb: -2\nc: 0\nd: 1.50\ne: -0.25\nf: -0\n',
    'a: true\nb: False\nc: TRUE\nd: "true"\ne: \'no\'\n',
    'a: null\nb: ~\nc:\nd: Null\ne: NULL\n',
    '# head\n\na: x # trailing\n  # indented comment\nb: "q # not a comment"\nc: x#y\n',
    'list:\n- a\n- b: 1\n  c: 2\n-\n- \n',
    'list:\n  - name: a\n    ports:\n    - port: 80\n      protocol: TCP\n  - name: b\n',
    'empty: []\nobj: {}\nafter: [] # c\n',
    '"quoted key": 1\n\'single key\': 2\n"a\\"b": 3\n',
    'esc: "tab\\tnl\\nq\\"bs\\\\sl\\/u\\u00e9"\nsq: \'it\'\'s\'\n',
    'url: http://x:80/a\ncidr: 10.0.0.0/8\nver: 1.2.3\ndate: 2026-01-01\nport: 80-90\n',
    'a:    spaced   \nkey : v\n',
    '  indented: root\n  b: 2\n',
    'a:\n  b:\n    c:\n      d: []\n',
    'p: -foo\nq: :bar\nr: ?q\ns: a,b [c] {d}\n',
    'labels:\n  constructor: a\n  toString: b\n  hasOwnProperty: c\n',
    'big: 123456789012345678901234567890\n',
    'mode: 0644\nb: 0123\nzero: 00\nseven: 07\nnine: 0129\nlist:\n- 0120\n- 00120 # c\n',
    '# only a comment\n',
    '',
  ];
  it.each(accepted.map((text) => [JSON.stringify(text), text]))('accepts %s as the locating reader reads it', (_name, text) => {
    expect(compare(text)).toBe('accepted');
  });

  const bailed = [
    'a: |\n  text\n',
    'a: >\n  text\n',
    'a: plain\n  continued\n',
    'a: "multi\n  line"\n',
    'a: [1, 2]\n',
    'a: {b: 1}\n',
    'a: &x 1\nb: *x\n',
    'a: !!str 1\n',
    '%YAML 1.2\n---\na: 1\n',
    '? a\n: 1\n',
    'a: 1\na: 2\n',
    '__proto__: 1\n',
    'a: on\n',
    'b: yes\n',
    'on: 1\n',
    'true: 1\n',
    '1: a\n',
    'null: a\n',
    'a: 1e3\n',
    'a: .5\n',
    'a: 0x1F\n',
    'a: +1\n',
    'a: .inf\n',
    'a: 1_000\n',
    'a: 0b101\n',
    'a: b: c\n',
    'a: 1\r\nb: 2\r\n',
    'a:\tb\n',
    'a: "\\x41"\n',
    '<<: {a: 1}\n',
    '<<:\n  a: 1\n',
    'a:\n  <<:\n    b: 1\n',
    'a: -012\n',
    '0123: a\n',
    '- - a\n',
    'plain scalar document\n',
    'a: 1\n b: 2\n',
    'a:\n    b: 1\n  c: 2\n',
    '--- x\n',
    '...\n',
    `${'k'.repeat(1025)}: 1\n`,
    'a: "x"y\n',
    'a: []x\n',
  ];
  it.each(bailed.map((text) => [JSON.stringify(text), text]))('bails on %s', (_name, text) => {
    expect(readBlockDocument(text, 0, text.length, LIMITS.maxDepth)).toBeUndefined();
  });

  it('bails at the depth limit (collections only, as the locating reader counts)', () => {
    const nested = (levels: number) => Array.from({ length: levels }, (_, i) => `${'  '.repeat(i)}k:`).join('\n') + ' 1\n';
    // `levels` maps nest the scalar at depth `levels`: the deepest map is at depth levels - 1.
    expect(readBlockDocument(nested(4), 0, nested(4).length, 4)).toBeDefined();
    expect(readBlockDocument(nested(5), 0, nested(5).length, 4)).toBeUndefined();
    expect(readBlockDocument('a:\n  b:\n    c: []\n', 0, 18, 3)).toBeUndefined();
    expect(readBlockDocument('a:\n  b:\n    c: []\n', 0, 18, 4)).toBeDefined();
  });

  it('matches the locating reader on seeded random mutations of real documents, wherever it accepts one', () => {
    const random = new Random(13);
    const items = (generateSyntheticCluster(SIZE_PRESETS.S, 5).list as { items: unknown[] }).items;
    const pieces = [' ', '  ', '\n', ':', ': ', '- ', '-', '#', ' #', '"', "'", '\\', '[', ']', '{', '}', '[]', '{}', '&', '*', '!', '|', '>', '?', ',', '%', '@', '~', 'on', 'true', 'null', '0', '1.5', '-1', '0x1', '1e3', '__proto__', '\t', '\r', '---', '...', 'é', '\\u0041', "''"];
    const counts = { accepted: 0, bailed: 0 };
    for (let n = 0; n < 2500; n++) {
      let text = stringify(random.pick(items), { indentSeq: random.chance(0.5) });
      for (let edits = random.int(1, 3); edits > 0; edits--) {
        const at = random.int(0, text.length);
        const cut = random.chance(0.3) ? random.int(1, 4) : 0;
        text = text.slice(0, at) + random.pick(pieces) + text.slice(at + cut);
      }
      const slow = readYaml('doc.yaml', text, LIMITS);
      const block = readBlockDocument(text, 0, text.length, LIMITS.maxDepth);
      if (!block) {
        counts.bailed++;
        continue;
      }
      counts.accepted++;
      // Whatever the block reader accepts is valid YAML that reads to the same data as one document.
      expect(slow.issues, text).toEqual([]);
      expect(slow.documents.length, text).toBeLessThanOrEqual(1);
      expect(block.value, text).toStrictEqual(slow.documents[0]?.value ?? null);
      expect([...block.booleans].sort(), text).toEqual(marked(slow.documents[0], block.value));
    }
    expect(counts.accepted).toBeGreaterThan(600);
    expect(counts.bailed).toBeGreaterThan(600);
  }, 240_000);
});
