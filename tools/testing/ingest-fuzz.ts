// The ingest fuzz: seeded, deterministic mutations of valid manifests (the np-guard corpus, the demo cluster, the
// Calico / Cilium / ANP fixtures) in the ways a hostile or careless user would break them, plus a fixed list of
// hostile shapes. ONE generator, run by the engine (libs/engine/test/fuzz/ingest-fuzz.spec.ts: every case through
// parse, build, analyze and every text output), the built CLI (apps/cli/test/ingest-fuzz-cli.spec.ts: a sample
// through `netpol list`) and the server (apps/api/test/ingest-fuzz.spec.ts: a sample through the REST upload).
// The oracle is the same everywhere: no crash, a located issue with a known code, the same bytes twice.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { CONFORMANCE_DIR } from './np-guard-corpus.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

export interface FuzzSeed {
  readonly name: string;
  readonly text: string;
}

export interface FuzzCase {
  /** `mutation@seed-file#index`: what was done to which file (stable for one generator seed). */
  readonly name: string;
  /** `.json` or `.yaml`: the CLI's file name (the server detects the format itself). */
  readonly extension: 'yaml' | 'json';
  readonly bytes: Uint8Array;
}

/** Seed files: every small manifest of the corpus and our fixtures (big ones would only slow the run down). */
export function fuzzSeeds(maxBytes = 40_000): FuzzSeed[] {
  const roots = [
    path.join(CONFORMANCE_DIR, 'cases'),
    path.join(CONFORMANCE_DIR, 'cases-anp'),
    path.join(REPO_ROOT, 'libs/engine/test/fixtures/demo'),
    path.join(REPO_ROOT, 'apps/api/test/fixtures/policy-kinds-calico.yaml'),
    path.join(REPO_ROOT, 'apps/api/test/fixtures/policy-kinds-cilium.yaml'),
  ];
  const files: string[] = [];
  const walk = (entry: string) => {
    if (!existsSync(entry)) return;
    if (statSync(entry).isDirectory()) for (const name of readdirSync(entry).sort()) walk(path.join(entry, name));
    else if (/\.(ya?ml|json)$/i.test(entry) && !/(^|\/)(expected[^/]*|case\.json|catalog\.json)$/.test(entry)) files.push(entry);
  };
  roots.forEach(walk);
  return files
    .filter((file) => statSync(file).size <= maxBytes)
    .map((file) => ({ name: path.relative(path.dirname(REPO_ROOT), file), text: readFileSync(file, 'utf8') }));
}

/** mulberry32: small, seeded, the same sequence on every machine. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Scalars a careless user types where a port, CIDR, selector value, action or name belongs (YAML source). */
const HOSTILE_SCALARS = [
  '99999999999999999999', '-1', '0', '1.5', '"80"', '""', '65536', '1e3', '0x50', 'null', '~', '[]', '{}', '[null]',
  '"10.0.0.0/33"', '"1.2.3.4/0x10"', '"fe80::1%eth0/64"', '"::ffff:1.2.3.4/96"', '"::ffff:1.2.3.4/128"', '"010.0.0.1/32"',
  'true', 'yes', 'on', '0120', '1_000', '0b101', '!!binary aGVsbG8=', '!foo bar', '!!python/object:os.system x', '!!str 80',
  `"${'a'.repeat(64)}"`, `"${'a'.repeat(254)}"`, '"Ünïcödé"', '"\\u0000"', '"\\ud800"', '.inf', '-.nan', '2147483648',
  '"TCP "', 'tcp', 'SCTP', 'ICMP', '"*"', 'Exists', 'in', 'Exist', 'all()', '"has(x) &&"', 'Allow', 'deny', 'Pass',
  '{__proto__: {polluted: 1}}', '{constructor: {prototype: {polluted: 1}}}', '&anchor x', '*undefined_alias', 'a: b',
  '{port: 80, endPort: 79}', '{matchExpressions: [{key: a, operator: Exists, values: [x]}]}', '{matchExpressions: [{key: a, operator: In}]}',
  '[{cidr: 10.0.0.0/8, except: [10.0.0.0/7]}]', '[{port: http, endPort: 90}]',
];

/** Keys the analysis reads, in the dialects we model (the text mutators aim at them). */
const FIELD_KEYS = [
  'port', 'endPort', 'containerPort', 'cidr', 'except', 'protocol', 'podSelector', 'namespaceSelector', 'matchLabels',
  'matchExpressions', 'operator', 'values', 'key', 'name', 'namespace', 'kind', 'apiVersion', 'labels', 'replicas',
  'ingress', 'egress', 'from', 'to', 'ports', 'policyTypes', 'items', 'spec', 'metadata', 'selector', 'action',
  'priority', 'order', 'nets', 'notNets', 'toPorts', 'endpointSelector', 'fromEndpoints', 'toCIDR', 'subject',
  'namespaces', 'pods', 'hostNetwork', 'podIP', 'podIPs', 'ownerReferences', 'template', 'types', 'tier', 'destination',
  'source', 'portNumber', 'portRange', 'networks', 'nodes', 'namedPort', 'containers', 'hostIP', 'uid', 'controller',
];

const SPECIAL_INSERTS = [
  '\0', '\uD800', '\uDC00', '\uFEFF', '\r', '\r\n', '\t', '\u2028', '\u0085', '---\n', '...\n', '--- # a comment\n', '# c\n',
  '? [a]\n: b\n', '!!binary ', '!foo ', '&x ', '*x', '<<: *x\n', '{', '[', '"', "'", '|', '>', '%YAML 1.1\n', '%TAG ! tag:x,2000:\n',
  '- ', ': ', '\\', '\u0000\u0000', '𝒳',
];

type Rng = () => number;
type Mutator = (text: string, rng: Rng) => string | Uint8Array;

const pick = <T>(items: readonly T[], rng: Rng): T => items[Math.floor(rng() * items.length)]!;
const below = (n: number, rng: Rng): number => Math.floor(rng() * n);

/** Text mutators on one seed file. */
const MUTATORS: Readonly<Record<string, Mutator>> = {
  truncate: (text, rng) => text.slice(0, below(text.length + 1, rng)),
  'byte-flip': (text, rng) => {
    const bytes = new TextEncoder().encode(text);
    for (let k = 1 + below(4, rng); k > 0 && bytes.length > 0; k--) bytes[below(bytes.length, rng)] = below(256, rng);
    return bytes;
  },
  'insert-special': (text, rng) => {
    const at = below(text.length + 1, rng);
    return text.slice(0, at) + pick(SPECIAL_INSERTS, rng) + text.slice(at);
  },
  'line-ends': (text, rng) => text.replace(/\n/g, pick(['\r\n', '\r'], rng)),
  'tab-indent': (text, rng) => text.replace(/\n( +)/g, (all, spaces: string) => (rng() < 0.3 ? `\n${'\t'.repeat(Math.max(1, spaces.length >> 1))}` : all)),
  'replace-value': (text, rng) => {
    const key = pick(FIELD_KEYS, rng);
    const found = [...text.matchAll(new RegExp(`(\\b${key}:)([^\\n]*)`, 'g'))];
    if (found.length === 0) return text;
    const match = pick(found, rng);
    return `${text.slice(0, match.index)}${match[1]} ${pick(HOSTILE_SCALARS, rng)}${text.slice(match.index + match[0].length)}`;
  },
  'replace-key': (text, rng) => {
    const key = pick(FIELD_KEYS, rng);
    const found = [...text.matchAll(new RegExp(`\\b${key}:`, 'g'))];
    if (found.length === 0) return text;
    const match = pick(found, rng);
    const replacement = pick(['__proto__', 'constructor', 'prototype', `${key} `, key.toUpperCase(), 'hasOwnProperty', `"${key}\\u0000"`, '? [a]\n', `&k ${key}`, `${key}s`, `${key.slice(1)}`], rng);
    return `${text.slice(0, match.index)}${replacement}:${text.slice(match.index + match[0].length)}`;
  },
  'kind-typo': (text, rng) =>
    text.replace(/kind: (\w+)/, (_all, kind: string) => pick([`kind: "${kind} "`, `kind: ${kind}List`, 'kind: List', `kind: ${kind.toLowerCase()}`, 'kind: ""', 'kind: null', 'kind: [a]'], rng)),
  'api-version': (text, rng) =>
    text.replace(/apiVersion: (\S+)/, () => `apiVersion: ${pick(['networking.k8s.io/v2', 'v2', '""', 'null', '/', 'a/b/c', 'projectcalico.org/v3', 'cilium.io/v2', 'policy.networking.k8s.io/v1alpha1', '[]'], rng)}`),
  'long-line': (text, rng) => {
    const at = text.indexOf('\n', below(text.length, rng));
    return at < 0 ? text : `${text.slice(0, at)} # ${'x'.repeat(200_000)}${text.slice(at)}`;
  },
  'as-json': (text, rng) => {
    // The same documents as one JSON List, then one value of it replaced: the JSON readers see the same damage.
    const lines = text.split(/\n---\s*\n/);
    const items = lines.map((doc) => JSON.stringify(doc));
    return rng() < 0.5 ? `{"apiVersion":"v1","kind":"List","items":[${items.join(',')}]}` : `{"apiVersion":"v1","kind":"List","items":[{"kind":${pick(items, rng)}}]}`;
  },
};

/** Fixed hostile shapes from the ingest contract (README "Input validation"), generated, not mutated. */
const FIXED: ReadonlyArray<readonly [string, 'yaml' | 'json', () => string | Uint8Array]> = [
  ['100,000 tiny documents with comments and document ends', 'yaml', () =>
    Array.from({ length: 100_000 }, (_, i) => `${i % 3 === 0 ? '# c\n' : ''}{apiVersion: v1, kind: ConfigMap, metadata: {name: c${i}}}\n`).join(['---\n', '...\n---\n', '--- # x\n'][0])],
  ['documents separated by --- with comments and ... ends', 'yaml', () =>
    Array.from({ length: 300 }, (_, i) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: n${i}}\n`).join('...\n--- # next\n')],
  ['a List inside a List', 'yaml', () => 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items: [{apiVersion: v1, kind: Namespace, metadata: {name: x}}]\n'],
  ['items: null', 'yaml', () => 'apiVersion: v1\nkind: List\nitems: null\n'],
  ['items: [null, 1, [], "x"]', 'yaml', () => 'apiVersion: v1\nkind: PodList\nitems: [null, 1, [], "x"]\n'],
  ['kind with trailing spaces', 'yaml', () => 'apiVersion: v1\nkind: "Namespace  "\nmetadata: {name: a}\n'],
  ['apiVersion networking.k8s.io/v2', 'yaml', () => 'apiVersion: networking.k8s.io/v2\nkind: NetworkPolicy\nmetadata: {name: a, namespace: b}\nspec: {podSelector: {}}\n'],
  ['__proto__ / constructor / prototype at several depths', 'yaml', () =>
    'apiVersion: v1\nkind: Pod\n__proto__: {x: 1}\nmetadata:\n  name: p\n  namespace: a\n  constructor: {prototype: {polluted: true}}\n  labels: {constructor: x, prototype: y}\nspec:\n  containers: [{name: c, __proto__: {ports: [{containerPort: 1}]}}]\n'],
  ['JSON __proto__ keys', 'json', () => '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"a","labels":{"__proto__":"x"}},"__proto__":{"polluted":1}}'],
  ['YAML tags !!binary, !!python/object, !foo', 'yaml', () =>
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: !!binary cA==\n  namespace: !foo a\n  labels: !!python/object:os.system {a: b}\n'],
  ['anchors on keys', 'yaml', () => 'apiVersion: v1\nkind: Namespace\nmetadata:\n  &k name: a\n  labels: {*k : b}\n'],
  ['complex keys ? [a]', 'yaml', () => 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels:\n    ? [a]\n    : b\n'],
  ['labels of 64 characters and unicode', 'yaml', () => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels: {${'k'.repeat(64)}: v, ü: ü, a: ${'v'.repeat(64)}}\n`],
  ['selector operator typos and values on Exists', 'yaml', () =>
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: a}\nspec:\n  podSelector:\n    matchExpressions:\n    - {key: a, operator: Exist}\n    - {key: b, operator: Exists, values: [x]}\n    - {key: c, operator: in, values: [x]}\n'],
  ['ports: huge, negative, fractional, string-typed, endPort < port', 'yaml', () =>
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: a}\nspec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - {port: 99999999999999999999}\n    - {port: -1}\n    - {port: 1.5}\n    - {port: "80"}\n    - {port: 90, endPort: 80}\n'],
  ['CIDRs: /33, /0x10, zone, mapped /96', 'yaml', () =>
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: a}\nspec:\n  podSelector: {}\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.0.0.0/33}\n    - ipBlock: {cidr: 1.2.3.4/0x10}\n    - ipBlock: {cidr: "fe80::1%eth0/64"}\n    - ipBlock: {cidr: "::ffff:1.2.3.4/96"}\n'],
  ['empty strings everywhere', 'yaml', () =>
    'apiVersion: ""\nkind: ""\nmetadata: {name: "", namespace: "", labels: {"": ""}}\nspec: {podSelector: {matchLabels: {"": ""}}, ingress: [{from: [{ipBlock: {cidr: ""}}], ports: [{port: "", protocol: ""}]}]}\n'],
  ['very long single line', 'yaml', () => `apiVersion: v1\nkind: Namespace\nmetadata: {name: a, labels: {a: "${'x'.repeat(1_000_000)}"}}\n`],
  ['BOM in the middle, CR-only line ends', 'yaml', () => 'apiVersion: v1\rkind: Namespace\r\uFEFFmetadata: {name: a}\r'],
  ['invalid UTF-8 and an overlong NUL', 'yaml', () => new Uint8Array([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xc0, 0x80, 0xff, 0x0a])],
  ['Calico NetworkPolicy with every field of the wrong type', 'yaml', () =>
    'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: c, namespace: a}\nspec:\n  order: "x"\n  tier: 1\n  selector: [a]\n  types: Ingress\n  ingress: {action: Allow}\n  egress: [{action: 1, protocol: [], source: "x", destination: {nets: "10.0.0.0/8", ports: {a: 1}, selector: 3}}]\n'],
  ['Calico GlobalNetworkPolicy with null everywhere', 'yaml', () =>
    'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: g}\nspec:\n  order: null\n  selector: null\n  namespaceSelector: null\n  ingress: [null, {action: null, source: null, destination: {ports: [null]}}]\n'],
  ['Cilium policy with every field of the wrong type', 'yaml', () =>
    'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: c, namespace: a}\nspec:\n  endpointSelector: []\n  ingress: {fromEndpoints: 1}\n  egress: [{toPorts: {ports: 1}, toCIDR: 1, toCIDRSet: [{cidr: 1, except: "x"}], toEntities: {a: 1}}]\nspecs: 3\n'],
  ['AdminNetworkPolicy with every field of the wrong type', 'yaml', () =>
    'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: x}\nspec:\n  priority: "1"\n  subject: []\n  ingress: {action: Allow}\n  egress: [{action: [], to: {networks: 1}, ports: [{portNumber: {port: "x", protocol: 1}}, {portRange: {start: 9, end: 1}}]}]\n'],
  // With a pod the policies select: the compilers and lint rules only read the policies of namespaces with pods.
  ...['podSelector: {matchExpressions: [null]}', 'podSelector: {}\n  ingress: [{from: [null]}]', 'podSelector: {}\n  ingress: [{ports: [null]}]', 'podSelector: {}\n  ingress: [null]', 'podSelector: {}\n  policyTypes: [null]'].map(
    (spec) =>
      [`a null list item: ${spec.replace(/\s+/g, ' ')}`, 'yaml', () =>
        `apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a, labels: {app: x}}\nspec: {containers: [{name: c, ports: [{containerPort: 80}]}]}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: a}\nspec:\n  ${spec}\n`] as const,
  ),
];

/**
 * The cases for one generator seed: the fixed hostile shapes, then `count` mutations (one to three mutators each)
 * of seed files picked by the PRNG. The same seed gives the same cases, byte for byte.
 */
export function fuzzCases(seed: number, count: number, seeds: readonly FuzzSeed[] = fuzzSeeds()): FuzzCase[] {
  const rng = prng(seed);
  const encoder = new TextEncoder();
  const cases: FuzzCase[] = FIXED.map(([name, extension, make]) => {
    const input = make();
    return { name: `fixed: ${name}`, extension, bytes: typeof input === 'string' ? encoder.encode(input) : input };
  });
  const names = Object.keys(MUTATORS);
  for (let i = 0; i < count && seeds.length > 0; i++) {
    const source = pick(seeds, rng);
    let value: string | Uint8Array = source.text;
    const applied: string[] = [];
    for (let k = 1 + below(3, rng); k > 0; k--) {
      // Byte-level damage ends the chain: the next mutators work on text.
      if (typeof value !== 'string') break;
      const name = pick(names, rng);
      // The long line only rarely (each costs a 200 KB parse).
      if (name === 'long-line' && rng() < 0.8) continue;
      value = MUTATORS[name]!(value, rng);
      applied.push(name);
    }
    const extension = applied.includes('as-json') || source.name.endsWith('.json') ? 'json' : 'yaml';
    cases.push({
      name: `${applied.join('+') || 'unchanged'}@${source.name}#${i}`,
      extension,
      bytes: typeof value === 'string' ? encoder.encode(value) : value,
    });
  }
  return cases;
}
