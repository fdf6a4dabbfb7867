import { describe, expect, it } from 'vitest';
import { resolveLimits } from './limits.js';
import { parseManifests } from './parse-manifests.js';
import { readYamlFast } from './yaml-fast-reader.js';
import { cpuMs } from '../../test/cpu-clock.js';

const parse = (text: string, path = 'in.yaml', options = {}) => parseManifests([{ path, text }], options);

function aliasBomb(levels: number): string {
  let text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n';
  for (let i = 1; i <= levels; i++) {
    text += `  a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]\n`;
  }
  return text;
}

describe('hostile input: aliases', () => {
  it('stops a billion-laughs alias bomb with ALIAS_LIMIT, quickly', () => {
    const started = cpuMs();
    const result = parse(aliasBomb(9));
    expect(cpuMs() - started).toBeLessThan(2000);
    expect(result.objects).toEqual([]);
    expect(result.issues).toMatchObject([{ code: 'ALIAS_LIMIT', severity: 'error', document: 0 }]);
    expect(result.issues[0]!.line).toBeGreaterThanOrEqual(7);
  });

  it('allows up to maxAliases alias expansions (default 100)', () => {
    const refs = Array.from({ length: 100 }, (_, i) => `    l${i}: *v`).join('\n');
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {a: &v x}\n  labels:\n${refs}\n`;
    expect(parse(text).issues).toEqual([]);
    const tooMany = `${text}    l100: *v\n`;
    expect(parse(tooMany).issues).toMatchObject([{ code: 'ALIAS_LIMIT', line: 107 }]);
  });

  it('honours a custom maxAliases', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: &n p\n  labels:\n    a: *n\n    b: *n\n';
    expect(parse(text, 'in.yaml', { maxAliases: 1 }).issues).toMatchObject([{ code: 'ALIAS_LIMIT', path: 'metadata.labels.b', line: 7 }]);
  });

  it('expands ordinary aliases into the data', () => {
    const text =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  labels: &l\n    app: web\nspec:\n  template:\n    metadata:\n      labels: *l\n';
    const result = parse(text);
    expect(result.issues).toEqual([]);
    const spec = result.objects[0]!.object.spec as { template: { metadata: { labels: unknown } } };
    expect(spec.template.metadata.labels).toEqual({ app: 'web' });
  });

  it('rejects an alias to an anchor of another document', () => {
    const text = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: &n a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: *n\n';
    const result = parse(text);
    expect(result.objects.map((o) => o.object.metadata.name)).toEqual(['a']);
    expect(result.issues).toMatchObject([{ code: 'SYNTAX', document: 1, line: 9 }]);
  });
});

describe('hostile input: depth', () => {
  it('rejects YAML nested deeper than maxDepth with DEPTH_LIMIT', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: ${'['.repeat(100)}${']'.repeat(100)}\n`;
    expect(parse(text).issues).toMatchObject([{ code: 'DEPTH_LIMIT', severity: 'error', line: 5 }]);
  });

  it('rejects JSON nested deeper than maxDepth with DEPTH_LIMIT', () => {
    const text = `{"apiVersion":"v1","kind":"ConfigMap",\n"data":${'['.repeat(100)}${']'.repeat(100)}}`;
    expect(parse(text, 'x.json').issues).toMatchObject([{ code: 'DEPTH_LIMIT', severity: 'error', line: 2 }]);
  });

  it('survives absurd JSON nesting (a million brackets) without a stack overflow', () => {
    const text = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;
    expect(parse(text, 'x.json').issues.map((i) => i.code)).toEqual(['DEPTH_LIMIT']);
  });

  it('survives absurd YAML nesting without a stack overflow: one DEPTH_LIMIT, located', () => {
    const text = `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    expect(parse(text).issues).toMatchObject([{ code: 'DEPTH_LIMIT', severity: 'error', document: 0, line: 1 }]);
  });

  // The `yaml` parser recursed out of stack (SYNTAX "Maximum call stack size exceeded") from ~800 levels on. Past the
  // scan's bound the refusal comes before parsing, at the line where the converter locates a shallower (100) nesting.
  it.each([
    ['flow sequences', (n: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: ${'['.repeat(n)}${']'.repeat(n)}\n`, 6],
    ['flow maps', (n: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`, 6],
    ['block maps', (n: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n${Array.from({ length: n }, (_, i) => `${' '.repeat(i + 1)}k${i}:\n`).join('')}`, 69],
    ['block sequences on one line', (n: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a:\n  ${'- '.repeat(n)}x\n`, 7],
    ['flow inside block sequences', (n: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a:\n${Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i + 1)}- \n`).join('')}${'  '.repeat(41)}- ${'['.repeat(n)}${']'.repeat(n)}\n`, 47],
  ])('refuses %s nested 300 and 2,000 deep with DEPTH_LIMIT where 100 levels are located', (_name, text, line) => {
    const shallow = parse(text(100)).issues;
    expect(shallow).toMatchObject([{ code: 'DEPTH_LIMIT', severity: 'error', document: 0, line }]);
    expect(shallow[0]!.path).not.toBe(''); // located by the converter, not the scan
    for (const n of [300, 2000]) {
      expect(parse(text(n)).issues, String(n)).toMatchObject([{ code: 'DEPTH_LIMIT', severity: 'error', document: 0, path: '', line }]);
    }
  });

  it('locates the depth limit in the document that crosses it', () => {
    const text = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: ${'['.repeat(2000)}\n`;
    expect(parse(text).issues).toMatchObject([{ code: 'DEPTH_LIMIT', document: 1, line: 11 }]);
  });

  it('does not count brackets in block scalars, quoted or plain scalars and comments as nesting', () => {
    const deep = '['.repeat(2000);
    const text =
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  # ${deep}\n  annotations:\n    script: |\n      ${deep}\n        ${'{'.repeat(2000)}\n` +
      `    quoted: "${deep}"\n    single: '${deep}'\n    plain: a${deep}\n    flow: '${deep}' # ${deep}\n`;
    const result = parse(text);
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(result.objects).toHaveLength(1);
  });

  it('honours a custom maxDepth (nested collections, the root counting as one)', () => {
    const text = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n  labels:\n    a: b\n';
    expect(parse(text, 'in.yaml', { maxDepth: 3 }).issues).toEqual([]);
    expect(parse(text, 'in.yaml', { maxDepth: 2 }).issues).toMatchObject([{ code: 'DEPTH_LIMIT', path: 'metadata.labels', line: 6 }]);
  });
});

describe('hostile input: duplicate keys', () => {
  it('rejects a duplicate YAML key with its line', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n';
    expect(parse(text).issues).toMatchObject([{ code: 'DUPLICATE_KEY', severity: 'error', document: 0, line: 5 }]);
  });

  it('rejects YAML keys that only differ in YAML type but are the same JSON key', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    1: a\n    "1": b\n';
    expect(parse(text).issues).toMatchObject([{ code: 'DUPLICATE_KEY', path: 'metadata.labels[1]', line: 7 }]);
  });

  it('rejects a duplicate JSON key, located by path and line', () => {
    const text = '{\n  "apiVersion": "v1",\n  "kind": "List",\n  "items": [\n    {"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "a"}},\n    {"kind": "Pod", "apiVersion": "v1",\n     "metadata": {"name": "b", "name": "c"}}\n  ]\n}\n';
    expect(parse(text, 'x.json').issues).toMatchObject([
      { code: 'DUPLICATE_KEY', severity: 'error', path: 'items[1].metadata.name', line: 7 },
    ]);
  });

  it('finds a duplicate JSON key whose first value was an object JSON.parse dropped', () => {
    const text = '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"},\n"spec":{"x":1},\n"spec":{}}';
    expect(parse(text, 'x.json').issues).toMatchObject([{ code: 'DUPLICATE_KEY', path: 'spec', line: 3 }]);
  });

  it('does not mistake escaped quotes and colons inside JSON strings for keys', () => {
    const text = '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a","labels":{"k":"v"},"annotations":{"x":"a\\":{b}:[\\\\"}}}';
    expect(parse(text, 'x.json').issues).toEqual([]);
  });
});

describe('hostile input: prototype keys', () => {
  it('rejects a __proto__ key in YAML with FORBIDDEN_KEY and leaves Object.prototype clean', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    __proto__:\n      polluted: yes\n';
    const result = parse(text);
    expect(result.issues).toMatchObject([{ code: 'FORBIDDEN_KEY', severity: 'error', path: 'metadata.labels.__proto__', line: 6 }]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('rejects a __proto__ key in JSON with FORBIDDEN_KEY and leaves Object.prototype clean', () => {
    const text = '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","labels":{"__proto__":{"polluted":"yes"}}}}';
    const result = parse(text, 'x.json');
    expect(result.issues).toMatchObject([{ code: 'FORBIDDEN_KEY', path: 'metadata.labels.__proto__', line: 1 }]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('gives every parsed object a null prototype, so constructor/toString are not phantom labels', () => {
    for (const [text, path] of [
      ['apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    app: x\n', 'a.yaml'],
      ['{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","labels":{"app":"x"}}}', 'a.json'],
    ] as const) {
      const { object } = parse(text, path).objects[0]!;
      expect(Object.getPrototypeOf(object)).toBeNull();
      expect(Object.getPrototypeOf(object.metadata.labels)).toBeNull();
      expect(object.metadata.labels!['constructor']).toBeUndefined();
      expect('toString' in object.metadata.labels!).toBe(false);
    }
  });

  it('keeps constructor and prototype as ordinary label keys (they are valid label keys)', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    constructor: x\n    prototype: z\n';
    const result = parse(text);
    expect(result.issues).toEqual([]);
    const labels = result.objects[0]!.object.metadata.labels!;
    expect(Object.entries(labels)).toEqual([['constructor', 'x'], ['prototype', 'z']]);
    expect(Object.getPrototypeOf(labels)).toBeNull();
  });

  it('keeps Object.prototype clean when parsed objects are later merged with Object.assign', () => {
    const text = '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"},"__proto__":{"polluted":1}}';
    const result = parse(text, 'x.json');
    expect(result.issues.map((i) => i.code)).toEqual(['FORBIDDEN_KEY']);
    const merged = Object.assign({}, ...result.objects.map((o) => o.object)) as Record<string, unknown>;
    expect(merged['polluted']).toBeUndefined();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('hostile input: YAML 1.1 scalars', () => {
  const pod = (labelValue: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    enabled: ${labelValue}\n`;

  it.each(['on', 'off', 'yes', 'no', 'y', 'n', 'Y', 'N', 'On', 'OFF', 'Yes', 'NO', 'true', 'False', 'TRUE'])(
    'rejects the plain label value %s with YAML11_SCALAR and a "quote it" message',
    (value) => {
      const issues = parse(pod(value)).issues;
      expect(issues).toMatchObject([{ code: 'YAML11_SCALAR', severity: 'error', path: 'metadata.labels.enabled', line: 6 }]);
      expect(issues[0]!.message).toMatch(/quote it/);
    },
  );

  it.each(['"on"', "'yes'", 'onward', 'nope'])('accepts the label value %s', (value) => {
    expect(parse(pod(value)).issues).toEqual([]);
  });

  it('rejects a YAML 1.1 number (digit separators) in a string field', () => {
    expect(parse(pod('1_000')).issues).toMatchObject([{ code: 'YAML11_SCALAR', path: 'metadata.labels.enabled' }]);
  });

  it('rejects a plain YAML 1.1 boolean as a label key', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    on: x\n';
    expect(parse(text).issues).toMatchObject([{ code: 'YAML11_SCALAR', path: 'metadata.labels.on', line: 6 }]);
  });

  it.each([
    ['metadata.name', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: no\n', 4],
    ['metadata.namespace', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  namespace: off\n', 5],
    [
      'spec.podSelector.matchLabels.x',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: a\nspec:\n  podSelector:\n    matchLabels:\n      x: yes\n',
      8,
    ],
    [
      'spec.podSelector.matchExpressions[0].values[1]',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: a\nspec:\n  podSelector:\n    matchExpressions:\n    - key: x\n      operator: In\n      values: [a, n]\n',
      10,
    ],
    [
      'spec.ingress[0].ports[0].port',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: a\nspec:\n  ingress:\n  - ports:\n    - port: on\n',
      8,
    ],
    [
      'spec.containers[0].ports[0].name',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: c\n    ports:\n    - containerPort: 80\n      name: yes\n',
      10,
    ],
    [
      'spec.policyTypes[0]',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: a\nspec:\n  policyTypes: [on]\n',
      6,
    ],
  ])('rejects a YAML 1.1 boolean at %s', (path, text, line) => {
    expect(parse(text).issues).toMatchObject([{ code: 'YAML11_SCALAR', path, line }]);
  });

  it('tells to write true/false when a boolean field holds a YAML 1.1 word', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  hostNetwork: yes\n';
    const issues = parse(text).issues;
    expect(issues).toMatchObject([{ code: 'YAML11_SCALAR', path: 'spec.hostNetwork', line: 6 }]);
    expect(issues[0]!.message).toContain('write true');
  });

  it('accepts real booleans in boolean fields', () => {
    expect(parse('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  hostNetwork: true\n').issues).toEqual([]);
  });
});

describe('hostile input: leading-zero integers (YAML 1.1 octal)', () => {
  const policy = (port: string) =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np\n  namespace: a\nspec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - ${port}\n`;

  it.each([
    ['0120', 80, 120],
    ['-012', -10, -12],
    ['+0120', 80, 120],
    ['00120', 80, 120],
  ])('refuses port: %s, naming both readings (kubectl %d, YAML 1.2 %d)', (source, kubectl, yaml12) => {
    const issues = parse(policy(`port: ${source}`)).issues;
    expect(issues).toMatchObject([{ code: 'YAML11_SCALAR', severity: 'error', path: 'spec.ingress[0].ports[0].port', line: 10 }]);
    expect(issues[0]!.message).toBe(`${source} is ${kubectl} to kubectl (YAML 1.1 octal) and ${yaml12} to YAML 1.2: write ${kubectl} (what kubectl applies) or ${yaml12}`);
  });

  it('tells to quote a leading-zero integer in a string field', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    v: 0120\n';
    const issues = parse(text).issues;
    expect(issues).toMatchObject([{ code: 'YAML11_SCALAR', path: 'metadata.labels.v', line: 6 }]);
    expect(issues[0]!.message).toContain('quote it ("0120")');
  });

  it.each(['80', '0o120', '0x50', '07', '08', '0120.0'])('reads port: %s the same as kubectl (no YAML11_SCALAR)', (source) => {
    expect(parse(policy(`port: ${source}`)).issues.filter((i) => i.code === 'YAML11_SCALAR')).toEqual([]);
  });

  it('accepts "0120" quoted and 0 alone as YAML 1.1 and 1.2 read them alike', () => {
    expect(parse('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    v: "0120"\n').issues).toEqual([]);
    expect(parse(policy('port: 0')).issues.map((i) => i.code)).toEqual(['INVALID_VALUE']); // out of range, not ambiguous
  });

  it('accepts a leading-zero integer in a field the analysis does not read (defaultMode: 0644)', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  volumes:\n  - name: v\n    configMap:\n      name: c\n      defaultMode: 0644\n';
    expect(parse(text).issues).toEqual([]);
  });

  it('refuses it the same way in a large file (the fast reader) as in a small one', () => {
    const pod = (i: number) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\n  namespace: a\nspec:\n  containers:\n  - name: c\n    image: i\n    ports:\n    - containerPort: ${i === 1500 ? '0120' : '8080'}\n`;
    const text = Array.from({ length: 3000 }, (_, i) => pod(i)).join('---\n');
    expect(text.length).toBeGreaterThan(256 * 1024);
    // Read by the fast reader (block style, as `defaultMode: 0644` in Helm output): no fall back to the locating reader.
    expect(readYamlFast('big.yaml', text, resolveLimits(undefined))).toBeDefined();
    const fast = parse(text, 'big.yaml', { fastYamlMinLength: 0 });
    const slow = parse(text, 'big.yaml', { fastYamlMinLength: Infinity });
    expect(fast.issues).toEqual(slow.issues);
    expect(fast.issues).toMatchObject([{ code: 'YAML11_SCALAR', document: 1500, path: 'spec.containers[0].ports[0].containerPort', line: 1500 * 12 + 11 }]);
  });
});

describe('hostile input: YAML merge keys', () => {
  it.each([
    ['an alias', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations: &base {a: x}\n  labels:\n    <<: *base\n', 'metadata.labels[<<]', 7],
    ['a block map', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  <<:\n    hostNetwork: true\n', 'spec[<<]', 6],
    ['a flow map', 'apiVersion: v1\nkind: Pod\nmetadata: {name: a, <<: {namespace: b}}\n', 'metadata[<<]', 3],
  ])('refuses a merge of %s with one located error', (_name, text, path, line) => {
    const issues = parse(text).issues;
    expect(issues).toEqual([
      expect.objectContaining({ code: 'YAML11_SCALAR', severity: 'error', path, line, message: 'YAML merge keys (<<) are not supported: expand them' }),
    ]);
  });

  it('accepts a quoted "<<" key (a plain key in YAML 1.1 too)', () => {
    const issues = parse('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  "<<": x\n').issues;
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('counts no alias expansion for a refused merge (the alias bomb guard is not bypassed)', () => {
    const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  a0: &a0 {x: y}\n  m:\n${Array.from({ length: 500 }, (_, i) => `    k${i}:\n      <<: *a0\n`).join('')}`;
    expect(parse(bomb).issues).toMatchObject([{ code: 'YAML11_SCALAR', path: 'data.m.k0[<<]', line: 9 }]);
  });
});

describe('hostile input: syntax', () => {
  it('reports a YAML syntax error with its line and skips only that document', () => {
    const text = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: [\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n';
    const result = parse(text);
    expect(result.objects.map((o) => o.object.metadata.name)).toEqual(['a', 'b']);
    expect(result.issues.length).toBeGreaterThan(0);
    expect(result.issues[0]).toMatchObject({ code: 'SYNTAX', severity: 'error', document: 1 });
    expect(result.issues[0]!.line).toBeGreaterThanOrEqual(8);
  });

  it('reports a JSON syntax error with its line', () => {
    const text = '{\n  "apiVersion": "v1",\n  "kind": "Namespace"\n  "metadata": {}\n}';
    expect(parse(text, 'x.json').issues).toMatchObject([{ code: 'SYNTAX', severity: 'error', line: 4 }]);
  });

  it('rejects YAML numbers JSON cannot carry', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    x: .inf\n';
    expect(parse(text).issues).toMatchObject([{ code: 'INVALID_VALUE', path: 'metadata.annotations.x', line: 6 }]);
  });

  it('rejects wrong types with their path and line', () => {
    const text = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: a\nspec:\n  podSelector: 3\n';
    expect(parse(text).issues).toMatchObject([{ code: 'WRONG_TYPE', severity: 'error', path: 'spec.podSelector', line: 6 }]);
  });

  it('suggests quoting a number where a string belongs', () => {
    const issues = parse('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    version: 1\n').issues;
    expect(issues).toMatchObject([{ code: 'WRONG_TYPE', path: 'metadata.labels.version', line: 6 }]);
    expect(issues[0]!.message).toContain('quote it');
  });
});

// The JSON reader skips the per-object character walk when a screen of the whole text proves it needless
// (no `\u` escape, no raw surrogate): each way in for a bad character must still be found and located.
describe('hostile input: characters in JSON (screened text)', () => {
  const pod = (labels: string, annotations = '{}') =>
    `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","namespace":"n","labels":{"app":"a"}}},` +
    `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"b","namespace":"n","labels":${labels},"annotations":${annotations}}}]}`;
  const codes = (text: string) => parse(text, 'dump.json').issues.map((i) => [i.code, i.path, i.line]);

  it('finds a NUL escaped as \\u0000 in a value', () => {
    expect(codes(pod('{"app":"b"}', '{"note":"x\\u0000y"}'))).toEqual([['INVALID_CHARACTER', 'items[1].metadata.annotations.note', 1]]);
  });

  it('finds an unpaired surrogate escaped in a key', () => {
    const result = parse(pod('{"app":"b"}', '{"k\\ud800":"v"}'), 'dump.json');
    expect(result.issues.map((i) => i.code)).toContain('INVALID_CHARACTER');
    expect(result.objects.map((o) => o.object.metadata.name)).toEqual(['a']);
  });

  it('finds a raw unpaired surrogate in the text (a string handed in, not read from a file)', () => {
    expect(codes(pod('{"app":"b"}', '{"note":"x\ud800"}'))).toEqual([['INVALID_CHARACTER', 'items[1].metadata.annotations.note', 1]]);
  });

  it('finds a raw half pair at the end of one string and the start of the next (the screen passes raw pairs only)', () => {
    expect(codes(pod('{"app":"b"}', '{"high":"x\ud83d","low":"\ude00y"}'))).toEqual([
      ['INVALID_CHARACTER', 'items[1].metadata.annotations.high', 1],
      ['INVALID_CHARACTER', 'items[1].metadata.annotations.low', 1],
    ]);
    expect(codes(pod('{"app":"b"}', '{"emoji":"\ud83d\ude00"}'))).toEqual([]);
  });

  it('keeps valid escapes and paired surrogates (an emoji) as data', () => {
    const result = parse(pod('{"app":"b"}', '{"note":"caf\\u00e9 \\ud83d\\ude00 \ud83d\ude00"}'), 'dump.json');
    expect(result.issues).toEqual([]);
    expect(result.objects[1]!.object.metadata.annotations).toEqual({ note: 'café 😀 😀' });
  });

  it('reads an escaped backslash before u as text (the screen then walks, and finds nothing)', () => {
    const result = parse(pod('{"app":"b"}', '{"note":"C:\\\\users"}'), 'dump.json');
    expect(result.issues).toEqual([]);
    expect(result.objects[1]!.object.metadata.annotations).toEqual({ note: 'C:\\users' });
  });
});
