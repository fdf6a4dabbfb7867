// The hostile-input suite: ONE table of cases (input + the expected located issue), run by the same expectations
// through the engine parser (libs/engine/test/hostile-inputs.spec.ts), the built CLI (apps/cli/test/
// hostile-inputs-cli.spec.ts: `netpol list` exits 2 with the issue on stderr) and the server (apps/api/test/
// hostile-inputs-api.spec.ts: REST upload → status + located issue, nothing written; GraphQL ingestSnapshot →
// BAD_USER_INPUT with the same issue).
import { MAX_OBJECTS } from '../../libs/engine/src/manifest/limits.js';

export type HostileCategory = 'parse' | 'structure' | 'kubernetes' | 'size' | 'encoding' | 'counts';

export interface HostileCase {
  readonly name: string;
  readonly category: HostileCategory;
  /** The upload: text (every channel) or raw bytes (not representable as a GraphQL string). */
  readonly input: () => string | Uint8Array;
  /** `.json` or `.yaml`: the CLI's file name (the server detects the format itself). */
  readonly extension: 'yaml' | 'json';
  /** The error issue every channel must report. */
  readonly code: string;
  readonly path: string;
  readonly document?: number;
  /** The issue's line in the file, where a case pins it (every channel checks it then). */
  readonly line?: number;
  /** REST status: 400 unparseable, 413 too many objects, 422 invalid. */
  readonly status: 400 | 413 | 422;
  /** Engine time budget (default 5 s): the object-cap case reads MAX_OBJECTS objects before it stops. */
  readonly budgetMs?: number;
}

const utf8 = new TextEncoder();

const doc = (kind: string, apiVersion: string, body: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\n${body}`;
const pod = (body: string) => doc('Pod', 'v1', `metadata:\n  name: p\n  namespace: a\n${body}`);
const podMeta = (meta: string, body = '') => doc('Pod', 'v1', `metadata:\n  name: p\n  namespace: a\n${meta}${body}`);
const policy = (spec: string) => doc('NetworkPolicy', 'networking.k8s.io/v1', `metadata:\n  name: np\n  namespace: a\nspec:\n${spec}`);
const deployment = (spec: string) => doc('Deployment', 'apps/v1', `metadata:\n  name: d\n  namespace: a\nspec:\n${spec}`);
const service = (spec: string) => doc('Service', 'v1', `metadata:\n  name: s\n  namespace: a\nspec:\n${spec}`);
const namespace = (name: string, extra = '') => doc('Namespace', 'v1', `metadata:\n  name: ${name}\n${extra}`);
const ipBlock = (cidr: string, except = '') =>
  policy(`  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock:\n        cidr: "${cidr}"\n${except ? `        except: ["${except}"]\n` : ''}`);
const peer = (yaml: string) => policy(`  podSelector: {}\n  ingress:\n  - from:\n    - ${yaml}\n`);
const port = (yaml: string) => policy(`  podSelector: {}\n  ingress:\n  - ports:\n    - ${yaml}\n`);
const containerPort = (yaml: string) => pod(`spec:\n  containers:\n  - name: c\n    ports:\n    - ${yaml}\n`);
const json = (value: unknown) => JSON.stringify(value);
const jsonPod = (metadata: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  `{"apiVersion":"v1","kind":"Pod","metadata":${json({ name: 'p', namespace: 'a', ...metadata })}${Object.entries(extra)
    .map(([k, v]) => `,${json(k)}:${json(v)}`)
    .join('')}}`;

function aliasBomb(): string {
  let text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n';
  for (let i = 1; i <= 9; i++) text += `  a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]\n`;
  return text;
}

const yamlCase = (name: string, category: HostileCategory, code: string, path: string, status: 400 | 413 | 422, input: () => string | Uint8Array, document?: number): HostileCase => ({
  name,
  category,
  input,
  extension: 'yaml',
  code,
  path,
  status,
  ...(document !== undefined ? { document } : {}),
});
const jsonCase = (name: string, category: HostileCategory, code: string, path: string, status: 400 | 413 | 422, input: () => string | Uint8Array): HostileCase => ({
  name,
  category,
  input,
  extension: 'json',
  code,
  path,
  status,
});

const atLine = (testCase: HostileCase, line: number): HostileCase => ({ ...testCase, line });

export const HOSTILE_CASES: readonly HostileCase[] = [
  // --- parse: the text cannot be read (400)
  yamlCase('YAML alias bomb (billion laughs)', 'parse', 'ALIAS_LIMIT', 'data.a3[0][0]', 400, aliasBomb),
  yamlCase('YAML 101 aliases', 'parse', 'ALIAS_LIMIT', 'metadata.labels.l100', 400, () =>
    podMeta(`  annotations: {x: &v a}\n  labels:\n${Array.from({ length: 101 }, (_, i) => `    l${i}: *v\n`).join('')}`),
  ),
  yamlCase('YAML alias to an unknown anchor', 'parse', 'SYNTAX', 'metadata.labels', 400, () => podMeta('  labels: *nowhere\n')),
  yamlCase('YAML nesting 100 deep (flow)', 'parse', 'DEPTH_LIMIT', `metadata.annotations.a${'[0]'.repeat(61)}`, 400, () => podMeta(`  annotations: {a: ${'['.repeat(100)}${']'.repeat(100)}}\n`)),
  yamlCase('YAML nesting 70 deep (block maps)', 'parse', 'DEPTH_LIMIT', `spec.${Array.from({ length: 63 }, (_, i) => `k${i}`).join('.')}`, 400, () =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${Array.from({ length: 70 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:\n`).join('')}${'  '.repeat(71)}x: 1\n`,
  ),
  // Past a few hundred levels the `yaml` parser itself recursed out of stack (SYNTAX "Maximum call stack size exceeded").
  atLine(yamlCase('YAML nesting 2,000 deep (flow)', 'parse', 'DEPTH_LIMIT', '', 400, () => podMeta(`  labels: ${'['.repeat(2000)}${']'.repeat(2000)}\n`)), 6),
  atLine(
    yamlCase('YAML nesting 1,000 deep (block maps)', 'parse', 'DEPTH_LIMIT', '', 400, () =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i + 1)}k${i}:\n`).join('')}`,
    ),
    69,
  ),
  atLine(yamlCase('YAML nesting 3,000 deep (one line of "- ")', 'parse', 'DEPTH_LIMIT', '', 400, () => podMeta(`  labels:\n  ${'- '.repeat(3000)}x\n`)), 7),
  jsonCase('JSON nesting 100,000 deep (objects)', 'parse', 'DEPTH_LIMIT', '', 400, () => `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`),
  jsonCase('JSON nesting 100 deep', 'parse', 'DEPTH_LIMIT', '', 400, () => `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":${'['.repeat(100)}${']'.repeat(100)}}`),
  jsonCase('JSON nesting a million deep', 'parse', 'DEPTH_LIMIT', '', 400, () => `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`),
  yamlCase('YAML duplicate key', 'parse', 'DUPLICATE_KEY', 'metadata.name', 400, () => 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n'),
  yamlCase('YAML keys 1 and "1"', 'parse', 'DUPLICATE_KEY', 'metadata.labels[1]', 400, () => podMeta('  labels:\n    1: a\n    "1": b\n')),
  jsonCase('JSON duplicate key', 'parse', 'DUPLICATE_KEY', 'metadata.name', 400, () => '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","name":"b"}}'),
  jsonCase('JSON duplicate key in a List item', 'parse', 'DUPLICATE_KEY', 'items[0].spec', 400, () =>
    '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"},"spec":{},"spec":{}}]}',
  ),
  jsonCase('JSON truncated', 'parse', 'SYNTAX', '', 400, () => '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"'),
  // (A trailing comma, a `//` comment or NaN is not here: a small body that is not JSON gets a second chance as YAML
  // flow style, which reads those, as kubectl does.)
  jsonCase('JSON mismatched brackets', 'parse', 'SYNTAX', '', 400, () => '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"]}'),
  jsonCase('JSON extra closing brace', 'parse', 'SYNTAX', '', 400, () => '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}}}'),
  // An unclosed [ or { is located where it opens, not at the end of the file where the YAML library places it.
  atLine(yamlCase('YAML unclosed flow map', 'parse', 'SYNTAX', '', 400, () => 'apiVersion: v1\nkind: Pod\nmetadata: {name: [\n'), 3),
  atLine(
    yamlCase('YAML unclosed flow sequence (ports: [{port: 80}, …) with more lines after it', 'parse', 'SYNTAX', '', 400, () =>
      `${namespace('a')}---\n${policy('  podSelector: {}\n  ingress:\n  - ports: [{port: 80}, {port: 443},\n      {port: 8080}\n')}---\n${namespace('b')}`, 1),
    14,
  ),
  yamlCase('YAML bad indentation', 'parse', 'SYNTAX', '', 400, () => 'apiVersion: v1\nkind: Pod\nmetadata:\n    name: a\n  namespace: b\n'),
  yamlCase('YAML tab indentation', 'parse', 'SYNTAX', '', 400, () => 'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: a\n'),
  yamlCase('YAML complex (non-scalar) map key', 'parse', 'SYNTAX', 'metadata.labels', 400, () => 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    ? [a, b]\n    : c\n'),
  yamlCase('YAML unterminated quoted string', 'parse', 'SYNTAX', '', 400, () => 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "a\n'),
  atLine(yamlCase('YAML syntax error in the second document', 'parse', 'SYNTAX', '', 400, () => `${namespace('a')}---\napiVersion: v1\nkind: Pod\nmetadata: {name: [\n`, 1), 8),

  // --- structure: parses, but not a well-formed object (422)
  yamlCase('__proto__ key in labels (YAML)', 'structure', 'FORBIDDEN_KEY', 'metadata.labels.__proto__', 422, () => podMeta('  labels:\n    __proto__:\n      polluted: x\n')),
  jsonCase('__proto__ key at the top (JSON)', 'structure', 'FORBIDDEN_KEY', '__proto__', 422, () => '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"},"__proto__":{"polluted":1}}'),
  jsonCase('__proto__ key in a List header (JSON)', 'structure', 'FORBIDDEN_KEY', 'metadata.__proto__', 422, () =>
    '{"apiVersion":"v1","kind":"List","metadata":{"__proto__":{"x":1}},"items":[{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}}]}',
  ),
  yamlCase('metadata is a string', 'structure', 'WRONG_TYPE', 'metadata', 422, () => 'apiVersion: v1\nkind: Pod\nmetadata: p\n'),
  yamlCase('kind is a number', 'structure', 'WRONG_TYPE', 'kind', 422, () => 'apiVersion: v1\nkind: 3\nmetadata:\n  name: p\n'),
  yamlCase('apiVersion is a list', 'structure', 'WRONG_TYPE', 'apiVersion', 422, () => 'apiVersion: [v1]\nkind: Pod\nmetadata:\n  name: p\n'),
  yamlCase('missing kind', 'structure', 'MISSING_FIELD', 'kind', 422, () => 'apiVersion: v1\nmetadata:\n  name: p\n'),
  yamlCase('missing apiVersion', 'structure', 'MISSING_FIELD', 'apiVersion', 422, () => 'kind: Pod\nmetadata:\n  name: p\n'),
  yamlCase('missing metadata.name', 'structure', 'MISSING_FIELD', 'metadata.name', 422, () => 'apiVersion: v1\nkind: Pod\nmetadata:\n  namespace: a\n'),
  yamlCase('List items is a map', 'structure', 'WRONG_TYPE', 'items', 422, () => 'apiVersion: v1\nkind: List\nitems: {a: 1}\n'),
  yamlCase('labels is a list', 'structure', 'WRONG_TYPE', 'metadata.labels', 422, () => podMeta('  labels: [a, b]\n')),
  yamlCase('label value is a number', 'structure', 'WRONG_TYPE', 'metadata.labels.version', 422, () => podMeta('  labels:\n    version: 1\n')),
  yamlCase('label value is null', 'structure', 'WRONG_TYPE', 'metadata.labels.app', 422, () => podMeta('  labels:\n    app:\n')),
  yamlCase('podSelector is a number', 'structure', 'WRONG_TYPE', 'spec.podSelector', 422, () => policy('  podSelector: 3\n')),
  yamlCase('ingress is a map', 'structure', 'WRONG_TYPE', 'spec.ingress', 422, () => policy('  podSelector: {}\n  ingress: {from: []}\n')),
  yamlCase('containers is a string', 'structure', 'WRONG_TYPE', 'spec.containers', 422, () => pod('spec:\n  containers: web\n')),
  yamlCase('containerPort is a string', 'structure', 'WRONG_TYPE', 'spec.containers[0].ports[0].containerPort', 422, () => containerPort('containerPort: "80"')),
  yamlCase('replicas is a float', 'structure', 'WRONG_TYPE', 'spec.replicas', 422, () => deployment('  replicas: 1.5\n')),
  yamlCase('hostNetwork is a string', 'structure', 'WRONG_TYPE', 'spec.hostNetwork', 422, () => pod('spec:\n  hostNetwork: "true"\n')),
  yamlCase('unknown field podSelector.matchLabel', 'structure', 'UNKNOWN_FIELD', 'spec.podSelector.matchLabel', 422, () => policy('  podSelector:\n    matchLabel:\n      app: x\n')),
  yamlCase('unknown field policyTyes', 'structure', 'UNKNOWN_FIELD', 'spec.policyTyes', 422, () => policy('  podSelector: {}\n  policyTyes: [Ingress]\n')),
  yamlCase('unknown field ingres', 'structure', 'UNKNOWN_FIELD', 'spec.ingres', 422, () => policy('  podSelector: {}\n  ingres:\n  - {}\n')),
  yamlCase('unknown field in a peer', 'structure', 'UNKNOWN_FIELD', 'spec.ingress[0].from[0].podselector', 422, () => peer('podselector: {}')),
  yamlCase('unknown field in a port', 'structure', 'UNKNOWN_FIELD', 'spec.ingress[0].ports[0].endport', 422, () => port('port: 80\n      endport: 90')),
  // A misspelt policy kind of a known group must not be dropped with a warning (the rest analysed without it).
  yamlCase('kind NetworkPolicie among other objects', 'structure', 'UNKNOWN_KIND', 'kind', 422, () =>
    `${namespace('a')}---\n${policy('  podSelector: {}\n').replace('kind: NetworkPolicy', 'kind: NetworkPolicie')}---\n${pod('spec:\n  containers: []\n')}`, 1),
  // A plural written as the kind (the resource name) is a kind kubectl refuses too, though 3 edits from the kind.
  atLine(
    yamlCase('kind NetworkPolicies (the plural) among other objects', 'structure', 'UNKNOWN_KIND', 'kind', 422, () =>
      `${namespace('a')}---\n${policy('  podSelector: {}\n').replace('kind: NetworkPolicy', 'kind: NetworkPolicies')}`, 1),
    7,
  ),
  yamlCase('kind GlobalNetworkPolicies (Calico, plural)', 'structure', 'UNKNOWN_KIND', 'kind', 422, () =>
    doc('GlobalNetworkPolicies', 'projectcalico.org/v3', 'metadata:\n  name: g\nspec:\n  selector: all()\n')),
  yamlCase('kind CiliumNetworkPolicys (Cilium, plural)', 'structure', 'UNKNOWN_KIND', 'kind', 422, () =>
    doc('CiliumNetworkPolicys', 'cilium.io/v2', 'metadata:\n  name: c\n  namespace: a\nspec:\n  endpointSelector: {}\n')),
  jsonCase('kind Deploymnet in a List', 'structure', 'UNKNOWN_KIND', 'items[1].kind', 422, () =>
    json({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }, { apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'd', namespace: 'a' } }] }),
  ),
  yamlCase('unknown field in spec of a Deployment template', 'structure', 'UNKNOWN_FIELD', 'spec.template.spec.hostNetwrok', 422, () =>
    deployment('  template:\n    spec:\n      hostNetwrok: true\n'),
  ),
  yamlCase('unknown field in metadata', 'structure', 'UNKNOWN_FIELD', 'metadata.lables', 422, () => podMeta('  lables: {app: x}\n')),
  jsonCase('unknown field at the top (JSON)', 'structure', 'UNKNOWN_FIELD', 'specs', 422, () => jsonPod({}, { specs: {} })),
  yamlCase('YAML 1.1 boolean label value (on)', 'structure', 'YAML11_SCALAR', 'metadata.labels.enabled', 422, () => podMeta('  labels:\n    enabled: on\n')),
  yamlCase('YAML 1.1 boolean label value (yes)', 'structure', 'YAML11_SCALAR', 'metadata.labels.enabled', 422, () => podMeta('  labels:\n    enabled: yes\n')),
  yamlCase('YAML 1.1 boolean label value (N)', 'structure', 'YAML11_SCALAR', 'metadata.labels.enabled', 422, () => podMeta('  labels:\n    enabled: N\n')),
  yamlCase('YAML 1.1 boolean label key (on:)', 'structure', 'YAML11_SCALAR', 'metadata.labels.on', 422, () => podMeta('  labels:\n    on: x\n')),
  yamlCase('YAML 1.1 number (1_000) label value', 'structure', 'YAML11_SCALAR', 'metadata.labels.v', 422, () => podMeta('  labels:\n    v: 1_000\n')),
  // A leading-zero integer is octal to kubectl (YAML 1.1), decimal to YAML 1.2.
  atLine(yamlCase('YAML 1.1 octal port (0120)', 'structure', 'YAML11_SCALAR', 'spec.ingress[0].ports[0].port', 422, () => port('port: 0120')), 10),
  yamlCase('YAML 1.1 octal endPort (-012)', 'structure', 'YAML11_SCALAR', 'spec.ingress[0].ports[0].endPort', 422, () => port('port: 80\n      endPort: -012')),
  yamlCase('YAML 1.1 octal containerPort (0120)', 'structure', 'YAML11_SCALAR', 'spec.containers[0].ports[0].containerPort', 422, () => containerPort('containerPort: 0120')),
  yamlCase('YAML 1.1 octal label value (0120)', 'structure', 'YAML11_SCALAR', 'metadata.labels.v', 422, () => podMeta('  labels:\n    v: 0120\n')),
  atLine(yamlCase('YAML merge key (<<)', 'structure', 'YAML11_SCALAR', 'metadata.labels[<<]', 422, () => podMeta('  annotations: &base {a: x}\n  labels:\n    <<: *base\n    b: y\n')), 8),
  yamlCase('YAML merge key (<<) in block style', 'structure', 'YAML11_SCALAR', 'spec[<<]', 422, () => policy('  <<:\n    podSelector: {}\n')),
  yamlCase('YAML 1.1 boolean name (no)', 'structure', 'YAML11_SCALAR', 'metadata.name', 422, () => 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: no\n'),
  yamlCase('YAML 1.1 boolean policyType (on)', 'structure', 'YAML11_SCALAR', 'spec.policyTypes[0]', 422, () => policy('  policyTypes: [on]\n')),
  yamlCase('YAML 1.1 boolean port (off)', 'structure', 'YAML11_SCALAR', 'spec.ingress[0].ports[0].port', 422, () => port('port: off')),
  yamlCase('YAML 1.1 boolean in hostNetwork (yes)', 'structure', 'YAML11_SCALAR', 'spec.hostNetwork', 422, () => pod('spec:\n  hostNetwork: yes\n')),
  yamlCase('YAML .inf number', 'structure', 'INVALID_VALUE', 'metadata.annotations.x', 422, () => podMeta('  annotations:\n    x: .inf\n')),

  // --- Kubernetes validation: well-formed, refused by the API server (422)
  yamlCase('254-character Pod name', 'kubernetes', 'INVALID_VALUE', 'metadata.name', 422, () => doc('Pod', 'v1', `metadata:\n  name: ${'a'.repeat(254)}\n`)),
  yamlCase('uppercase Pod name', 'kubernetes', 'INVALID_VALUE', 'metadata.name', 422, () => doc('Pod', 'v1', 'metadata:\n  name: Web\n')),
  yamlCase('Pod name with a space', 'kubernetes', 'INVALID_VALUE', 'metadata.name', 422, () => doc('Pod', 'v1', 'metadata:\n  name: "a b"\n')),
  yamlCase('empty Pod name', 'kubernetes', 'INVALID_VALUE', 'metadata.name', 422, () => doc('Pod', 'v1', 'metadata:\n  name: ""\n')),
  yamlCase('namespace Prod_NS in metadata.namespace', 'kubernetes', 'INVALID_VALUE', 'metadata.namespace', 422, () => doc('Pod', 'v1', 'metadata:\n  name: p\n  namespace: Prod_NS\n')),
  yamlCase('Namespace object named Prod_NS', 'kubernetes', 'INVALID_VALUE', 'metadata.name', 422, () => namespace('Prod_NS')),
  yamlCase('64-character Namespace name', 'kubernetes', 'INVALID_VALUE', 'metadata.name', 422, () => namespace('n'.repeat(64))),
  yamlCase('64-character Service name', 'kubernetes', 'INVALID_VALUE', 'metadata.name', 422, () => doc('Service', 'v1', `metadata:\n  name: ${'s'.repeat(64)}\n`)),
  yamlCase('Service name starting with a digit', 'kubernetes', 'INVALID_VALUE', 'metadata.name', 422, () => doc('Service', 'v1', 'metadata:\n  name: 1web\n')),
  yamlCase('label key with two slashes', 'kubernetes', 'INVALID_VALUE', 'metadata.labels[a/b/c]', 422, () => podMeta('  labels:\n    a/b/c: x\n')),
  yamlCase('label key name part over 63', 'kubernetes', 'INVALID_VALUE', `metadata.labels.${'k'.repeat(64)}`, 422, () => podMeta(`  labels:\n    ${'k'.repeat(64)}: x\n`)),
  yamlCase('label key prefix over 253', 'kubernetes', 'INVALID_VALUE', `metadata.labels[${'p'.repeat(254)}/k]`, 422, () => podMeta(`  labels:\n    ${'p'.repeat(254)}/k: x\n`)),
  yamlCase('label key with an uppercase prefix', 'kubernetes', 'INVALID_VALUE', 'metadata.labels[Example.com/k]', 422, () => podMeta('  labels:\n    Example.com/k: x\n')),
  yamlCase('label value over 63', 'kubernetes', 'INVALID_VALUE', 'metadata.labels.app', 422, () => podMeta(`  labels:\n    app: ${'v'.repeat(64)}\n`)),
  yamlCase('label value ending with a dash', 'kubernetes', 'INVALID_VALUE', 'metadata.labels.app', 422, () => podMeta('  labels:\n    app: web-\n')),
  yamlCase('label value with a slash', 'kubernetes', 'INVALID_VALUE', 'metadata.labels.app', 422, () => podMeta('  labels:\n    app: a/b\n')),
  yamlCase('matchLabels value invalid', 'kubernetes', 'INVALID_VALUE', 'spec.podSelector.matchLabels.app', 422, () => policy('  podSelector:\n    matchLabels:\n      app: "-x"\n')),
  yamlCase('selector operator unknown', 'kubernetes', 'INVALID_VALUE', 'spec.podSelector.matchExpressions[0].operator', 422, () =>
    policy('  podSelector:\n    matchExpressions:\n    - {key: a, operator: Equals, values: [x]}\n'),
  ),
  yamlCase('In without values', 'kubernetes', 'MISSING_FIELD', 'spec.podSelector.matchExpressions[0].values', 422, () => policy('  podSelector:\n    matchExpressions:\n    - {key: a, operator: In}\n')),
  yamlCase('Exists with values', 'kubernetes', 'INVALID_VALUE', 'spec.podSelector.matchExpressions[0].values', 422, () =>
    policy('  podSelector:\n    matchExpressions:\n    - {key: a, operator: Exists, values: [x]}\n'),
  ),
  yamlCase('policyTypes value unknown', 'kubernetes', 'INVALID_VALUE', 'spec.policyTypes[0]', 422, () => policy('  policyTypes: [Inbound]\n')),
  yamlCase('three policyTypes', 'kubernetes', 'INVALID_VALUE', 'spec.policyTypes', 422, () => policy('  policyTypes: [Ingress, Egress, Ingress]\n')),
  yamlCase('ipBlock CIDR with a leading zero (010.0.0.0/8)', 'kubernetes', 'INVALID_VALUE', 'spec.ingress[0].from[0].ipBlock.cidr', 422, () => ipBlock('010.0.0.0/8')),
  yamlCase('ipBlock CIDR prefix over 32', 'kubernetes', 'INVALID_VALUE', 'spec.ingress[0].from[0].ipBlock.cidr', 422, () => ipBlock('10.0.0.0/33')),
  yamlCase('ipBlock CIDR without prefix', 'kubernetes', 'INVALID_VALUE', 'spec.ingress[0].from[0].ipBlock.cidr', 422, () => ipBlock('10.0.0.1')),
  yamlCase('ipBlock CIDR with a zone (fe80::1%eth0/64)', 'kubernetes', 'INVALID_VALUE', 'spec.ingress[0].from[0].ipBlock.cidr', 422, () => ipBlock('fe80::1%eth0/64')),
  yamlCase('ipBlock CIDR octet 256', 'kubernetes', 'INVALID_VALUE', 'spec.ingress[0].from[0].ipBlock.cidr', 422, () => ipBlock('256.0.0.0/8')),
  yamlCase('ipBlock CIDR with spaces', 'kubernetes', 'INVALID_VALUE', 'spec.ingress[0].from[0].ipBlock.cidr', 422, () => ipBlock(' 10.0.0.0/8')),
  yamlCase('ipBlock CIDR empty', 'kubernetes', 'MISSING_FIELD', 'spec.ingress[0].from[0].ipBlock.cidr', 422, () => ipBlock('')),
  yamlCase('ipBlock except outside cidr', 'kubernetes', 'INVALID_VALUE', 'spec.ingress[0].from[0].ipBlock.except[0]', 422, () => ipBlock('10.0.0.0/8', '192.168.0.0/16')),
  yamlCase('ipBlock except equal to cidr', 'kubernetes', 'INVALID_VALUE', 'spec.ingress[0].from[0].ipBlock.except[0]', 422, () => ipBlock('10.0.0.0/8', '10.0.0.0/8')),
  yamlCase('ipBlock except of the other family', 'kubernetes', 'INVALID_VALUE', 'spec.ingress[0].from[0].ipBlock.except[0]', 422, () => ipBlock('10.0.0.0/8', '::/64')),
  yamlCase('ipBlock with a podSelector', 'kubernetes', 'INVALID_VALUE', 'spec.ingress[0].from[0]', 422, () => peer('{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}')),
  yamlCase('empty peer', 'kubernetes', 'MISSING_FIELD', 'spec.ingress[0].from[0]', 422, () => peer('{}')),
  yamlCase('port 0', 'kubernetes', 'INVALID_VALUE', 'spec.ingress[0].ports[0].port', 422, () => port('port: 0')),
  yamlCase('port 65536', 'kubernetes', 'INVALID_VALUE', 'spec.ingress[0].ports[0].port', 422, () => port('port: 65536')),
  yamlCase('endPort below port', 'kubernetes', 'INVALID_VALUE', 'spec.ingress[0].ports[0].endPort', 422, () => port('{port: 90, endPort: 80}')),
  yamlCase('endPort without port', 'kubernetes', 'INVALID_VALUE', 'spec.ingress[0].ports[0].endPort', 422, () => port('endPort: 80')),
  yamlCase('endPort with a named port', 'kubernetes', 'INVALID_VALUE', 'spec.ingress[0].ports[0].endPort', 422, () => port('{port: http, endPort: 80}')),
  yamlCase('named port over 15 characters', 'kubernetes', 'INVALID_VALUE', 'spec.ingress[0].ports[0].port', 422, () => port('port: abcdefghijklmnop')),
  yamlCase('protocol lowercase', 'kubernetes', 'INVALID_VALUE', 'spec.ingress[0].ports[0].protocol', 422, () => port('protocol: tcp')),
  yamlCase('protocol ICMP', 'kubernetes', 'INVALID_VALUE', 'spec.ingress[0].ports[0].protocol', 422, () => port('protocol: ICMP')),
  yamlCase('containerPort 0', 'kubernetes', 'INVALID_VALUE', 'spec.containers[0].ports[0].containerPort', 422, () => containerPort('containerPort: 0')),
  yamlCase('containerPort 70000', 'kubernetes', 'INVALID_VALUE', 'spec.containers[0].ports[0].containerPort', 422, () => containerPort('containerPort: 70000')),
  yamlCase('hostPort 70000', 'kubernetes', 'INVALID_VALUE', 'spec.containers[0].ports[0].hostPort', 422, () => containerPort('{containerPort: 80, hostPort: 70000}')),
  yamlCase('container port name with a double dash', 'kubernetes', 'INVALID_VALUE', 'spec.containers[0].ports[0].name', 422, () => containerPort('{containerPort: 80, name: a--b}')),
  yamlCase('Service port 0', 'kubernetes', 'INVALID_VALUE', 'spec.ports[0].port', 422, () => service('  ports:\n  - port: 0\n')),
  yamlCase('podIP 999.1.1.1', 'kubernetes', 'INVALID_VALUE', 'status.podIP', 422, () => pod('status:\n  podIP: 999.1.1.1\n')),
  yamlCase('podIP with a leading zero', 'kubernetes', 'INVALID_VALUE', 'status.podIP', 422, () => pod('status:\n  podIP: 10.0.0.01\n')),
  yamlCase('podIPs entry with a zone', 'kubernetes', 'INVALID_VALUE', 'status.podIPs[0].ip', 422, () => pod('status:\n  podIPs:\n  - ip: fe80::1%eth0\n')),
  yamlCase('hostIP garbage', 'kubernetes', 'INVALID_VALUE', 'status.hostIP', 422, () => pod('status:\n  hostIP: node-1\n')),
  yamlCase('replicas above int32 (2147483648)', 'kubernetes', 'INVALID_VALUE', 'spec.replicas', 422, () => deployment('  replicas: 2147483648\n')),
  yamlCase('negative replicas', 'kubernetes', 'INVALID_VALUE', 'spec.replicas', 422, () => deployment('  replicas: -1\n')),
  yamlCase('replicas 1e300', 'kubernetes', 'INVALID_VALUE', 'spec.replicas', 422, () => deployment('  replicas: 1e300\n')),
  yamlCase('Job parallelism above int32', 'kubernetes', 'INVALID_VALUE', 'spec.parallelism', 422, () => doc('Job', 'batch/v1', 'metadata:\n  name: j\nspec:\n  parallelism: 4294967296\n')),
  yamlCase('CronJob parallelism negative', 'kubernetes', 'INVALID_VALUE', 'spec.jobTemplate.spec.parallelism', 422, () =>
    doc('CronJob', 'batch/v1', 'metadata:\n  name: c\nspec:\n  jobTemplate:\n    spec:\n      parallelism: -5\n'),
  ),
  yamlCase('annotation key invalid', 'kubernetes', 'INVALID_VALUE', 'metadata.annotations[a b]', 422, () => podMeta('  annotations:\n    "a b": x\n')),

  // --- size: huge but within the body limit (422)
  yamlCase('annotations over 256 KiB', 'size', 'INVALID_VALUE', 'metadata.annotations', 422, () => podMeta(`  annotations:\n    a: ${'x'.repeat(200_000)}\n    b: ${'y'.repeat(70_000)}\n`)),
  yamlCase('a 1 MB label value', 'size', 'INVALID_VALUE', 'metadata.labels.app', 422, () => podMeta(`  labels:\n    app: ${'v'.repeat(1_000_000)}\n`)),
  yamlCase('a 1 MB name', 'size', 'INVALID_VALUE', 'metadata.name', 422, () => doc('Pod', 'v1', `metadata:\n  name: ${'a'.repeat(1_000_000)}\n`)),
  jsonCase('a 5 MB label key (JSON)', 'size', 'INVALID_VALUE', `metadata.labels.${'k'.repeat(5_000_000)}`, 422, () => jsonPod({ labels: { ['k'.repeat(5_000_000)]: 'v' } })),
  yamlCase('a 2 MB CIDR', 'size', 'INVALID_VALUE', 'spec.ingress[0].from[0].ipBlock.cidr', 422, () => ipBlock(`10.0.0.0/${'8'.repeat(2_000_000)}`)),

  // --- encoding: characters and bytes (400 for bytes that are not UTF-8, 422 for characters no object may hold)
  yamlCase('invalid UTF-8 byte', 'encoding', 'INVALID_ENCODING', '', 400, () => concat(utf8.encode(podMeta('  labels:\n    app: ')), new Uint8Array([0xff, 0x0a]))),
  yamlCase('overlong UTF-8 sequence', 'encoding', 'INVALID_ENCODING', '', 400, () => concat(utf8.encode('apiVersion: v1\nkind: Pod\nmetadata:\n  name: '), new Uint8Array([0xc0, 0xaf, 0x0a]))),
  yamlCase('UTF-8 encoded surrogate (CESU)', 'encoding', 'INVALID_ENCODING', '', 400, () => concat(utf8.encode('apiVersion: v1\nkind: Pod\nmetadata:\n  name: '), new Uint8Array([0xed, 0xa0, 0x80, 0x0a]))),
  jsonCase('truncated UTF-8 at the end', 'encoding', 'INVALID_ENCODING', '', 400, () => concat(utf8.encode('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}}'), new Uint8Array([0xe2, 0x82]))),
  yamlCase('UTF-16 text (with its BOM)', 'encoding', 'INVALID_ENCODING', '', 400, () => utf16le(`\ufeff${namespace('a')}`)),
  jsonCase('NUL escaped in a JSON annotation', 'encoding', 'INVALID_CHARACTER', 'metadata.annotations.note', 422, () => jsonPod({ annotations: { note: 'a\u0000b' } })),
  jsonCase('NUL escaped in a JSON name', 'encoding', 'INVALID_CHARACTER', 'metadata.name', 422, () => jsonPod({ name: 'p\u0000' })),
  jsonCase('unpaired surrogate escaped in JSON', 'encoding', 'INVALID_CHARACTER', 'metadata.annotations.note', 422, () => '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","annotations":{"note":"\\ud800"}}}'),
  jsonCase('NUL in a key of a not-modelled kind (kept)', 'encoding', 'INVALID_CHARACTER', 'spec[a\\0]', 422, () =>
    '{"apiVersion":"projectcalico.org/v3","kind":"NetworkPolicy","metadata":{"name":"p","namespace":"a"},"spec":{"a\\u0000":1}}',
  ),
  yamlCase('NUL escaped in a YAML double-quoted string', 'encoding', 'INVALID_CHARACTER', 'metadata.annotations.note', 422, () => podMeta('  annotations:\n    note: "a\\0b"\n')),
  yamlCase('raw NUL byte in YAML', 'encoding', 'INVALID_CHARACTER', 'metadata.annotations.note', 422, () => podMeta('  annotations:\n    note: a\u0000b\n')),
  yamlCase('BOM then an invalid name', 'encoding', 'INVALID_VALUE', 'metadata.name', 422, () => `\ufeff${doc('Pod', 'v1', 'metadata:\n  name: BAD\n')}`),
  yamlCase('a BOM inside a document', 'encoding', 'INVALID_VALUE', 'metadata.name', 422, () => doc('Pod', 'v1', 'metadata:\n  name: "a\ufeffb"\n')),
  yamlCase('zero-width space in a label value', 'encoding', 'INVALID_VALUE', 'metadata.labels.app', 422, () => podMeta('  labels:\n    app: "we\u200bb"\n')),
  yamlCase('Cyrillic homoglyph in a name', 'encoding', 'INVALID_VALUE', 'metadata.name', 422, () => doc('Pod', 'v1', 'metadata:\n  name: "w\u0435b"\n')),
  yamlCase('right-to-left override in a namespace', 'encoding', 'INVALID_VALUE', 'metadata.namespace', 422, () => doc('Pod', 'v1', 'metadata:\n  name: p\n  namespace: "a\u202eb"\n')),

  // --- counts: duplicates and the object cap
  yamlCase('two Pods of one name', 'counts', 'DUPLICATE_OBJECT', 'metadata.name', 422, () => `${pod('')}---\n${pod('')}`, 1),
  yamlCase('two Namespaces of one name', 'counts', 'DUPLICATE_OBJECT', 'metadata.name', 422, () => `${namespace('a')}---\n${namespace('a')}`, 1),
  yamlCase('apps/v1 and apps/v1beta1 Deployment of one name', 'counts', 'DUPLICATE_OBJECT', 'metadata.name', 422, () =>
    `${deployment('  replicas: 1\n')}---\n${deployment('  replicas: 2\n').replace('apps/v1', 'apps/v1beta1')}`,
    1,
  ),
  yamlCase('a Deployment without namespace and one in default', 'counts', 'DUPLICATE_OBJECT', 'metadata.name', 422, () =>
    `${doc('Deployment', 'apps/v1', 'metadata:\n  name: d\n')}---\n${doc('Deployment', 'apps/v1', 'metadata:\n  name: d\n  namespace: default\n')}`,
    1,
  ),
  jsonCase('a List repeating a NetworkPolicy', 'counts', 'DUPLICATE_OBJECT', 'items[1].metadata.name', 422, () =>
    json({ apiVersion: 'v1', kind: 'List', items: [0, 1].map(() => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np', namespace: 'a' }, spec: {} })) }),
  ),
  {
    ...jsonCase(`more than MAX_OBJECTS (${MAX_OBJECTS}) objects`, 'counts', 'OBJECT_LIMIT', `items[${MAX_OBJECTS}]`, 413, () =>
      `{"apiVersion":"v1","kind":"List","items":[\n${Array.from({ length: MAX_OBJECTS + 1 }, (_, i) => `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n${i}"}}`).join(',\n')}\n]}`,
    ),
    budgetMs: 30_000,
  },
];

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    out[2 * i] = text.charCodeAt(i) & 255;
    out[2 * i + 1] = text.charCodeAt(i) >> 8;
  }
  return out;
}

/** The status the server gives for these error codes (as apps/api's ingest does): what the engine and CLI runs check. */
export function expectedStatus(errorCodes: readonly string[]): 400 | 413 | 422 {
  const syntax = ['SYNTAX', 'DUPLICATE_KEY', 'ALIAS_LIMIT', 'DEPTH_LIMIT', 'SIZE_LIMIT', 'INVALID_ENCODING'];
  if (errorCodes.some((code) => syntax.includes(code))) return 400;
  return errorCodes.includes('OBJECT_LIMIT') ? 413 : 422;
}

/** The input as bytes (text cases UTF-8 encoded). */
export function hostileBytes(testCase: HostileCase): Uint8Array {
  const input = testCase.input();
  return typeof input === 'string' ? utf8.encode(input) : input;
}
