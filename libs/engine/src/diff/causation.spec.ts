// Causation table: each edit of a small cluster, alone, must be named as the cause of every pair it changes;
// two unrelated edits in one diff must each explain only their own pairs. Also exercises whatIf.
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../manifest/parse-manifests.js';
import type { ParsedObject, SourceDocument } from '../manifest/types.js';
import { diffWithCauses, whatIf } from './api.js';
import { connString } from '../output/conn-string.js';
import { peerName } from './peers.js';
import type { PairChange } from './types.js';

type Obj = Record<string, unknown>;

const namespace = (name: string, labels: Record<string, string>): Obj => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});

const deployment = (ns: string, name: string, labels: Record<string, string>, port: number): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: {
    selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'img', ports: [{ name: 'http', containerPort: port }] }] } },
  },
});

const policy = (ns: string, name: string, spec: Obj): Obj => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: ns },
  spec,
});

function baseObjects(): Obj[] {
  return [
    namespace('shop', { team: 'shop' }),
    namespace('ops', { team: 'ops' }),
    deployment('shop', 'web', { app: 'web' }, 8080),
    deployment('shop', 'api', { app: 'api' }, 8080),
    deployment('shop', 'db', { app: 'db' }, 5432),
    deployment('ops', 'monitor', { app: 'monitor' }, 9090),
    policy('shop', 'api-ingress', {
      podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }],
    }),
    policy('shop', 'db-ingress', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 5432 }] }],
    }),
    policy('shop', 'web-ingress', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 8080 }] }],
    }),
    policy('shop', 'allow-monitoring', {
      podSelector: {},
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }], ports: [{ port: 9090 }] }],
    }),
  ];
}

function docs(objects: Obj[], prefix = 'base'): SourceDocument[] {
  return objects.map((o, i) => ({ path: `${prefix}/${i}.json`, text: JSON.stringify(o) }));
}

function parsed(objects: Obj[], prefix?: string): ParsedObject[] {
  const result = parseManifests(docs(objects, prefix));
  expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
  return [...result.objects];
}

/** The base with one object replaced (matched by kind and name) or removed (edit returns undefined). */
function edit(objects: Obj[], kind: string, name: string, change: (o: Obj) => Obj | undefined): Obj[] {
  const out: Obj[] = [];
  for (const o of objects) {
    const meta = o.metadata as { name: string };
    if (o.kind === kind && meta.name === name) {
      const next = change(structuredClone(o));
      if (next) out.push(next);
    } else out.push(o);
  }
  return out;
}

const line = (p: PairChange) => `${p.type} ${peerName(p.src)} => ${peerName(p.dst)}: ${connString(p.old)} -> ${connString(p.new)}`;
const causeIds = (p: PairChange) => (p.causes ?? []).map((c) => c.change);

function explain(after: Obj[]) {
  return diffWithCauses({ objects: parsed(baseObjects()) }, { objects: parsed(after, 'new') });
}

const labelChange = (objects: Obj[]) =>
  edit(objects, 'Deployment', 'web', (o) => {
    const labels = { app: 'frontend' };
    (o.spec as { template: { metadata: { labels: unknown } } }).template.metadata.labels = labels;
    return o;
  });
const portChange = (objects: Obj[]) =>
  edit(objects, 'NetworkPolicy', 'api-ingress', (o) => {
    ((o.spec as Obj).ingress as Obj[])[0].ports = [{ port: 8080, endPort: 8090 }];
    return o;
  });
const namespaceLabelChange = (objects: Obj[]) => edit(objects, 'Namespace', 'ops', () => namespace('ops', { team: 'platform' }));

interface Row {
  readonly name: string;
  readonly after: () => Obj[];
  readonly cause: string;
  readonly summary: string;
  /** Lines the diff must contain (others may exist). */
  readonly expectLines: readonly string[];
}

const table: Row[] = [
  {
    name: 'workload label change (moves web out of selectors)',
    after: () => labelChange(baseObjects()),
    cause: 'Deployment/shop/web#spec.template.metadata.labels.app',
    summary: 'Deployment shop/web: spec.template.metadata.labels.app changed from web to frontend',
    expectLines: ['removed shop/web[Deployment] => shop/api[Deployment]: TCP 8080 -> No Connections'],
  },
  {
    name: 'rule selector change',
    after: () =>
      edit(baseObjects(), 'NetworkPolicy', 'api-ingress', (o) => {
        ((o.spec as Obj).ingress as Obj[])[0].from = [{ podSelector: { matchLabels: { app: 'db' } } }];
        return o;
      }),
    cause: 'NetworkPolicy/shop/api-ingress#spec.ingress[0].from',
    summary: 'NetworkPolicy shop/api-ingress: spec.ingress[0].from changed from podSelector {app=web} to podSelector {app=db}',
    expectLines: [
      'added shop/db[Deployment] => shop/api[Deployment]: No Connections -> TCP 8080',
      'removed shop/web[Deployment] => shop/api[Deployment]: TCP 8080 -> No Connections',
    ],
  },
  {
    name: 'port change',
    after: () => portChange(baseObjects()),
    cause: 'NetworkPolicy/shop/api-ingress#spec.ingress[0].ports',
    summary: 'NetworkPolicy shop/api-ingress: spec.ingress[0].ports changed from 8080 to 8080-8090',
    expectLines: ['changed shop/web[Deployment] => shop/api[Deployment]: TCP 8080 -> TCP 8080-8090'],
  },
  {
    name: 'policy added',
    after: () => [
      ...baseObjects(),
      policy('ops', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] }),
    ],
    cause: 'NetworkPolicy/ops/deny-egress',
    summary: 'NetworkPolicy ops/deny-egress added',
    expectLines: ['removed ops/monitor[Deployment] => shop/db[Deployment]: TCP 9090 -> No Connections'],
  },
  {
    name: 'policy deleted',
    after: () => edit(baseObjects(), 'NetworkPolicy', 'db-ingress', () => undefined),
    cause: 'NetworkPolicy/shop/db-ingress',
    summary: 'NetworkPolicy shop/db-ingress removed',
    expectLines: ['removed shop/api[Deployment] => shop/db[Deployment]: TCP 5432 -> No Connections'],
  },
  {
    name: 'namespace label change',
    after: () => namespaceLabelChange(baseObjects()),
    cause: 'Namespace/ops#metadata.labels.team',
    summary: 'Namespace ops: metadata.labels.team changed from ops to platform',
    expectLines: ['removed ops/monitor[Deployment] => shop/api[Deployment]: TCP 9090 -> No Connections'],
  },
  {
    name: 'ipBlock except added',
    after: () =>
      edit(baseObjects(), 'NetworkPolicy', 'web-ingress', (o) => {
        ((o.spec as Obj).ingress as Obj[])[0].from = [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }];
        return o;
      }),
    cause: 'NetworkPolicy/shop/web-ingress#spec.ingress[0].from',
    summary: 'NetworkPolicy shop/web-ingress: spec.ingress[0].from changed from ipBlock 0.0.0.0/0 to ipBlock 0.0.0.0/0 except 10.0.0.0/8',
    expectLines: ['removed 10.0.0.0-10.255.255.255[External] => shop/web[Deployment]: TCP 8080 -> No Connections'],
  },
];

describe('causation table', () => {
  it.each(table)('$name', (row) => {
    const { diff, changes } = explain(row.after());
    const lines = diff.pairs.map(line);
    for (const expected of row.expectLines) expect(lines).toContain(expected);
    expect(diff.pairs.length).toBeGreaterThan(0);
    for (const pair of diff.pairs) expect({ pair: line(pair), causes: causeIds(pair) }).toEqual({ pair: line(pair), causes: [row.cause] });
    const summaries = changes.flatMap((c) => (c.change === 'modified' ? c.fields.map((f) => f.summary) : [c.summary]));
    expect(summaries).toEqual([row.summary]);
  });

  it('two unrelated edits: each pair names only its own cause', () => {
    const { diff } = explain(namespaceLabelChange(portChange(baseObjects())));
    const byCause = new Map<string, string[]>();
    for (const pair of diff.pairs) {
      expect(causeIds(pair)).toHaveLength(1);
      const [cause] = causeIds(pair);
      byCause.set(cause, [...(byCause.get(cause) ?? []), line(pair)]);
    }
    expect([...byCause.keys()].sort()).toEqual(['Namespace/ops#metadata.labels.team', 'NetworkPolicy/shop/api-ingress#spec.ingress[0].ports']);
    expect(byCause.get('NetworkPolicy/shop/api-ingress#spec.ingress[0].ports')).toEqual([
      'changed shop/web[Deployment] => shop/api[Deployment]: TCP 8080 -> TCP 8080-8090',
    ]);
    expect(byCause.get('Namespace/ops#metadata.labels.team')).toEqual([
      'removed ops/monitor[Deployment] => shop/api[Deployment]: TCP 9090 -> No Connections',
      'removed ops/monitor[Deployment] => shop/db[Deployment]: TCP 9090 -> No Connections',
      'removed ops/monitor[Deployment] => shop/web[Deployment]: TCP 9090 -> No Connections',
    ]);
  });

  it('over-determined pairs get a minimal joint cause instead of a single one', () => {
    // both ends close the same connection: api stops egress to db, and db stops admitting api
    const after = edit(
      edit(baseObjects(), 'NetworkPolicy', 'db-ingress', (o) => {
        ((o.spec as Obj).ingress as Obj[])[0].from = [{ podSelector: { matchLabels: { app: 'nobody' } } }];
        return o;
      }),
      'NetworkPolicy',
      'api-ingress',
      (o) => o,
    );
    after.push(policy('shop', 'api-egress', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'web' } } }] }] }));
    const { diff } = explain(after);
    const apiToDb = diff.pairs.find((p) => line(p).startsWith('removed shop/api[Deployment] => shop/db[Deployment]'))!;
    expect(apiToDb.causes).toEqual([]);
    expect(apiToDb.jointCauses!.map((c) => c.change)).toEqual([
      'NetworkPolicy/shop/api-egress',
      'NetworkPolicy/shop/db-ingress#spec.ingress[0].from',
    ]);
  });
});

describe('whatIf', () => {
  it('applies a replacement and a deletion in memory, with causes and the proposals issues', () => {
    const base = { objects: parsed(baseObjects()) };
    const proposed = portChange(baseObjects()).filter((o) => (o.metadata as { name: string }).name === 'api-ingress');
    const result = whatIf(base, {
      manifests: [
        { path: 'proposed.yaml', text: proposed.map((o) => JSON.stringify(o)).join('\n---\n') + '\n---\nkind: NetworkPolicy\napiVersion: networking.k8s.io/v1\nmetadata: {name: bad, namespace: shop}\nspec: {podSelector: {}, ingress: [{ports: [{protocol: HTTP}]}]}\n' },
      ],
      delete: [{ kind: 'NetworkPolicy', namespace: 'shop', name: 'db-ingress' }, { kind: 'NetworkPolicy', namespace: 'shop', name: 'missing' }],
    });
    expect(result.issues.some((i) => i.severity === 'error' && i.file === 'proposed.yaml')).toBe(true);
    expect(result.notFound).toEqual([{ kind: 'NetworkPolicy', apiGroup: 'networking.k8s.io', namespace: 'shop', name: 'missing' }]);
    const lines = result.diff.pairs.map(line);
    expect(lines).toContain('changed shop/web[Deployment] => shop/api[Deployment]: TCP 8080 -> TCP 8080-8090');
    const webToApi = result.diff.pairs.find((p) => line(p).startsWith('changed shop/web[Deployment] => shop/api'))!;
    expect(causeIds(webToApi)).toEqual(['NetworkPolicy/shop/api-ingress#spec.ingress[0].ports']);
    const toDb = result.diff.pairs.filter((p) => peerName(p.dst) === 'shop/db[Deployment]');
    expect(toDb.length).toBeGreaterThan(0);
    for (const p of toDb) expect(causeIds(p)).toEqual(['NetworkPolicy/shop/db-ingress']);
    // the base objects are untouched: the same comparison with no changes is empty
    expect(whatIf(base, {}).diff.pairs).toEqual([]);
  });
});
