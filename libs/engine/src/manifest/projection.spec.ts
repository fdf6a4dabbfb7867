import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { parseManifests } from './parse-manifests.js';
import { projectCanonical, projectObject } from './projection.js';
import { canonicalSnapshotText } from './snapshot-text.js';
import { buildSnapshot } from '../model/snapshot.js';
import type { KubeObject } from './types.js';

const parseOne = (text: string): KubeObject => {
  const result = parseManifests([{ path: 'p.yaml', text }]);
  expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
  return result.objects[0]!.object;
};

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web-1
  namespace: shop
  uid: u-1
  resourceVersion: "42"
  labels: {app: web}
  annotations: {note: dropped}
  ownerReferences:
  - {apiVersion: apps/v1, kind: ReplicaSet, name: web-rs, uid: u-rs, controller: true, blockOwnerDeletion: true}
spec:
  hostNetwork: false
  nodeName: node-1
  serviceAccountName: web-sa
  automountServiceAccountToken: false
  containers:
  - name: c
    image: dropped
    env: [{name: A, value: b}]
    ports:
    - {containerPort: 80, name: http, protocol: TCP, hostPort: 8080}
status:
  phase: Running
  podIP: 10.0.0.1
  podIPs: [{ip: 10.0.0.1}]
  hostIP: 192.168.0.1
  conditions: [{type: Ready, status: "True"}]
`;

describe('projectObject', () => {
  it('keeps only what analysis needs from a Pod', () => {
    expect(JSON.parse(canonicalJson(projectObject(parseOne(POD))))).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'web-1',
        namespace: 'shop',
        labels: { app: 'web' },
        ownerReferences: [{ kind: 'ReplicaSet', name: 'web-rs', uid: 'u-rs', controller: true }],
      },
      spec: { hostNetwork: false, nodeName: 'node-1', serviceAccountName: 'web-sa', containers: [{ ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }] }] },
      status: { phase: 'Running', podIP: '10.0.0.1', hostIP: '192.168.0.1' },
    });
  });

  it('keeps the service account of a pod template (from the deprecated field as the API server does), and a ServiceAccount as metadata only (its labels)', () => {
    const deployment = parseOne(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: shop}\nspec:\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec: {serviceAccount: d-sa, containers: [{name: c, image: x}]}\n',
    );
    expect(JSON.parse(canonicalJson(projectObject(deployment))).spec.template.spec).toEqual({ serviceAccountName: 'd-sa', containers: [{}] });
    const account = parseOne('apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: d-sa, namespace: shop, labels: {tier: web}}\nsecrets: [{name: token}]\nautomountServiceAccountToken: false\n');
    expect(JSON.parse(canonicalJson(projectObject(account)))).toEqual({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'd-sa', namespace: 'shop', labels: { tier: 'web' } } });
  });

  it('keeps a controller uid (owners are matched by it) and dual-stack podIPs', () => {
    const rs = parseOne('apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: r, uid: u-r}\n');
    expect(projectObject(rs).metadata.uid).toBe('u-r');
    const pod = parseOne('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus:\n  podIP: 10.0.0.1\n  podIPs: [{ip: 10.0.0.1}, {ip: "fd00::1"}]\n');
    expect(projectObject(pod)['status']).toEqual({ podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }] });
  });

  it('keeps replicas, selector and the pod template of a Deployment', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: 3\n  strategy: {type: RollingUpdate}\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata:\n      labels: {app: d}\n      annotations: {x: y}\n    spec:\n      hostNetwork: true\n      nodeName: dropped-in-templates\n      containers:\n      - name: c\n        image: i\n        ports: [{containerPort: 8080, name: web}]\n';
    expect(JSON.parse(canonicalJson(projectObject(parseOne(text))))).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'd' } },
        template: { metadata: { labels: { app: 'd' } }, spec: { hostNetwork: true, containers: [{ ports: [{ containerPort: 8080, name: 'web' }] }] } },
      },
    });
  });

  it('keeps the job template of a CronJob, with its parallelism', () => {
    const text = 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      backoffLimit: 2\n      parallelism: 4\n      template:\n        metadata: {labels: {job: c}}\n        spec:\n          containers: [{name: c, image: i}]\n';
    expect(JSON.parse(canonicalJson(projectObject(parseOne(text))))).toEqual({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: { jobTemplate: { spec: { parallelism: 4, template: { metadata: { labels: { job: 'c' } }, spec: { containers: [{}] } } } } },
    });
  });

  it('keeps the parallelism of a Job (its replica count in analysis), not completions', () => {
    const text = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  namespace: ns\nspec:\n  parallelism: 3\n  completions: 9\n  backoffLimit: 2\n  template:\n    metadata: {labels: {job: j}}\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: i}]\n';
    const projected = projectObject(parseOne(text));
    expect(JSON.parse(canonicalJson(projected))).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j', namespace: 'ns' },
      spec: { parallelism: 3, template: { metadata: { labels: { job: 'j' } }, spec: { containers: [{}] } } },
    });
    const cronJob = projectObject(
      parseOne('apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c, namespace: ns}\nspec:\n  jobTemplate:\n    spec:\n      parallelism: 2\n      template:\n        metadata: {labels: {job: c}}\n        spec: {containers: [{name: c, image: i}]}\n'),
    );
    // The projected objects give the analysis the same replica counts as the originals.
    const replicas = (objects: KubeObject[]) =>
      buildSnapshot(objects.map((object) => ({ object, source: { file: 'p.yaml', document: 0, pathPrefix: '' } }))).snapshot.workloads.map((w) => `${w.displayName} ${w.replicas}`);
    expect(replicas([projected, cronJob])).toEqual(['ns/c[CronJob] 2', 'ns/j[Job] 3']);
  });

  it('keeps a Service selector, type and ports', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: ClusterIP\n  clusterIP: 10.96.0.1\n  selector: {app: a}\n  ports:\n  - {name: web, port: 80, targetPort: http, protocol: TCP, nodePort: 30000}\n';
    expect(JSON.parse(canonicalJson(projectObject(parseOne(text))))).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { type: 'ClusterIP', selector: { app: 'a' }, ports: [{ name: 'web', port: 80, targetPort: 'http', protocol: 'TCP' }] },
    });
  });

  it('keeps a NetworkPolicy spec whole and a Namespace as metadata only', () => {
    const policy = parseOne('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  generation: 4\nspec:\n  podSelector: {}\n  ingress:\n  - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]\n    ports: [{port: 80, endPort: 90}]\n');
    expect(projectObject(policy)).toEqual({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p' }, spec: policy.spec });
    const namespace = parseOne('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns1\n  labels: {a: b}\nspec:\n  finalizers: [kubernetes]\nstatus: {phase: Active}\n');
    expect(projectObject(namespace)).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns1', labels: { a: 'b' } } });
  });

  it('keeps the spec of a not-yet-modelled policy kind whole', () => {
    const anp = parseManifests([{ path: 'a.yaml', text: 'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata:\n  name: a\nspec:\n  priority: 10\n  subject: {namespaces: {}}\n  ingress: [{action: Deny, from: [{namespaces: {}}]}]\n' }]).objects[0]!.object;
    expect(projectObject(anp).spec).toEqual(anp.spec);
  });

  it('returns null-prototype maps, so label keys cannot reach a prototype', () => {
    const projected = projectObject(parseOne(POD));
    expect(Object.getPrototypeOf(projected.metadata.labels)).toBeNull();
  });

  it('is idempotent on parsed objects of every kind', () => {
    const texts = [
      POD,
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: s\nspec:\n  template:\n    spec:\n      containers: [{name: c}, {ports: [{containerPort: 1}]}]\n',
      'apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: r\nspec:\n  selector: {a: b}\n',
      'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: c\nspecs: [{endpointSelector: {}}]\n',
    ];
    for (const text of texts) {
      const once = projectObject(parseOne(text));
      expect(projectObject(once)).toEqual(once);
      expect(canonicalJson(projectObject(once))).toBe(canonicalJson(once));
    }
  });

  it('is idempotent on arbitrary objects (property test)', () => {
    const kinds = ['Pod', 'Deployment', 'CronJob', 'Service', 'NetworkPolicy', 'Namespace', 'AdminNetworkPolicy', 'Job'];
    const arbitraryObject = fc.record({
      apiVersion: fc.constantFrom('v1', 'apps/v1', 'batch/v1'),
      kind: fc.constantFrom(...kinds),
      metadata: fc.record({ name: fc.string(), labels: fc.dictionary(fc.string(), fc.string()) }, { requiredKeys: ['name'] }),
      spec: fc.jsonValue(),
      status: fc.jsonValue(),
    });
    fc.assert(
      fc.property(arbitraryObject, (object) => {
        const once = projectObject(object as unknown as KubeObject);
        expect(canonicalJson(projectObject(once))).toBe(canonicalJson(once));
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});

describe('projectCanonical', () => {
  const label = fc.oneof(fc.string(), fc.constantFrom('0', '42', '07', 'app', 'constructor', '__proto__', 'toJSON', 'é', '\ud83d\ude00'));
  const port = fc.record({ name: fc.string(), containerPort: fc.integer(), protocol: fc.constantFrom('TCP', 'UDP'), hostPort: fc.integer() }, { requiredKeys: [] });
  const podSpec = fc.record(
    {
      hostNetwork: fc.boolean(),
      nodeName: fc.string(),
      serviceAccountName: fc.oneof(fc.string(), fc.constant(null)),
      serviceAccount: fc.string(),
      containers: fc.array(fc.record({ name: fc.string(), ports: fc.array(port, { maxLength: 3 }) }, { requiredKeys: [] }), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  );
  const anything = fc.oneof(fc.jsonValue(), fc.dictionary(label, fc.jsonValue()));
  const arbitraryObject = fc.record({
    apiVersion: fc.constantFrom('v1', 'apps/v1', 'batch/v1', 'networking.k8s.io/v1', 'policy.networking.k8s.io/v1alpha1'),
    kind: fc.constantFrom('Pod', 'Deployment', 'CronJob', 'Job', 'Service', 'Node', 'NetworkPolicy', 'Namespace', 'AdminNetworkPolicy', 'ServiceAccount'),
    metadata: fc.record(
      {
        name: fc.string(),
        namespace: fc.string(),
        uid: fc.string(),
        labels: fc.dictionary(label, fc.string()),
        ownerReferences: fc.array(fc.record({ kind: fc.string(), name: fc.string(), uid: fc.string(), controller: fc.boolean(), extra: fc.string() }, { requiredKeys: [] }), { maxLength: 2 }),
      },
      { requiredKeys: ['name'] },
    ),
    spec: fc.oneof(
      anything,
      podSpec,
      fc.record({ replicas: fc.integer(), parallelism: fc.integer(), selector: anything, template: fc.record({ metadata: fc.record({ labels: fc.dictionary(label, fc.string()) }), spec: podSpec }) }, { requiredKeys: [] }),
      fc.record({ jobTemplate: fc.record({ spec: fc.record({ parallelism: fc.integer(), template: fc.record({ spec: podSpec }) }, { requiredKeys: [] }) }) }),
      fc.record({ type: fc.string(), selector: anything, ports: fc.array(fc.record({ port: fc.integer(), targetPort: fc.oneof(fc.integer(), fc.string()), name: fc.string() }, { requiredKeys: [] })) }, { requiredKeys: [] }),
    ),
    status: fc.oneof(
      anything,
      fc.record({ phase: fc.string(), podIP: fc.constantFrom('10.0.0.1', '10.0.0.2'), podIPs: fc.array(fc.record({ ip: fc.constantFrom('10.0.0.1', 'fd00::1') }), { maxLength: 2 }), hostIP: fc.string() }, { requiredKeys: [] }),
      fc.record({ addresses: fc.array(fc.record({ type: fc.constantFrom('InternalIP', 'ExternalIP', 'Hostname'), address: fc.string() }), { maxLength: 3 }) }),
    ),
  });

  it('writes the JCS text of the projection, from key-sorted input (written as is) and from any other (property test)', () => {
    fc.assert(
      fc.property(arbitraryObject, (object) => {
        const raw = object as unknown as KubeObject;
        // The same object as a JCS text reads back: keys in order, as `netpol push` sends them.
        const sorted = JSON.parse(canonicalJson(raw)) as KubeObject;
        for (const input of [raw, sorted]) {
          const canonical = projectCanonical(input);
          expect(canonical.projected).toEqual(projectObject(input));
          expect(canonical.text).toBe(canonicalJson(projectObject(input)));
        }
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it('keeps projectObject writing its keys in the order it always has (netpol collect writes them as they are); projectCanonical sorts them', () => {
    const pod = parseOne(POD);
    const written = projectObject(pod) as unknown as Record<string, Record<string, unknown>>;
    expect(Object.keys(written['metadata']!)).toEqual(['name', 'namespace', 'labels', 'ownerReferences']);
    expect(Object.keys(written['spec']!)).toEqual(['hostNetwork', 'nodeName', 'serviceAccountName', 'containers']);
    expect(Object.keys(written['status']!)).toEqual(['phase', 'podIP', 'hostIP']);
    const sorted = projectCanonical(pod).projected as unknown as Record<string, Record<string, unknown>>;
    expect(Object.keys(sorted['metadata']!)).toEqual(['labels', 'name', 'namespace', 'ownerReferences']);
    expect(Object.keys(sorted['spec']!)).toEqual(['containers', 'hostNetwork', 'nodeName', 'serviceAccountName']);
    expect(Object.keys(sorted['status']!)).toEqual(['hostIP', 'phase', 'podIP']);
    // The mode does not leak: the next projectObject writes its own order again.
    expect(JSON.stringify(projectObject(pod))).toBe(JSON.stringify(written));
  });

  it('copies maps with their keys sorted (a policy port as Go writes it: protocol before port), so the native writer gives the JCS text', () => {
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'p', namespace: 'n' },
      spec: { podSelector: { matchLabels: { tier: 'db', app: 'pg' } }, ingress: [{ ports: [{ protocol: 'TCP', port: 5432 }] }] },
    } as unknown as KubeObject;
    const canonical = projectCanonical(policy);
    const spec = (canonical.projected as unknown as { spec: { podSelector: { matchLabels: object }; ingress: { ports: object[] }[] } }).spec;
    expect(Object.keys(spec)).toEqual(['ingress', 'podSelector']);
    expect(Object.keys(spec.podSelector.matchLabels)).toEqual(['app', 'tier']);
    expect(Object.keys(spec.ingress[0]!.ports[0]!)).toEqual(['port', 'protocol']);
    expect(canonical.text).toBe(JSON.stringify(canonical.projected));
    expect(canonical.text).toBe(canonicalJson(projectObject(policy)));
    const written = projectObject(policy) as unknown as { spec: { ingress: { ports: object[] }[] } };
    expect(Object.keys(written.spec.ingress[0]!.ports[0]!)).toEqual(['protocol', 'port']);
  });

  it('refuses what JCS cannot represent, as canonicalJson does', () => {
    const object = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p' }, spec: { weight: Number.POSITIVE_INFINITY } };
    expect(() => projectCanonical(object as unknown as KubeObject)).toThrow(/JCS cannot represent/);
  });
});

describe('canonicalSnapshotText', () => {
  const objects = parseManifests([
    {
      path: 's.yaml',
      text: [
        'apiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: z}\n',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: z}\n',
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: z}\n',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a, namespace: z}\n',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: c}\n',
      ].join('---\n'),
    },
  ]).objects.map((o) => o.object);

  it('sorts by apiVersion, kind, namespace ("" when absent), name', () => {
    const parsed = JSON.parse(canonicalSnapshotText(objects)) as KubeObject[];
    expect(parsed.map((o) => `${o.apiVersion}|${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`)).toEqual([
      'apps/v1|Deployment|z|a',
      'v1|Namespace||z',
      'v1|Pod||c',
      'v1|Pod|z|a',
      'v1|Pod|z|b',
    ]);
  });

  it('gives the same bytes (and hash) whatever the input order and projection state', () => {
    const text = canonicalSnapshotText(objects);
    expect(canonicalSnapshotText([...objects].reverse())).toBe(text);
    expect(canonicalSnapshotText(objects.map(projectObject))).toBe(text);
    const hash = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');
    expect(hash(canonicalSnapshotText([...objects].reverse()))).toBe(hash(text));
  });

  it('is the JCS text of one array of projected objects', () => {
    const text = canonicalSnapshotText(objects);
    expect(text.startsWith('[{')).toBe(true);
    expect(canonicalJson(JSON.parse(text))).toBe(text);
  });

  it('orders objects with equal keys by their JCS text', () => {
    const a = parseOne('apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {v: b}}\n');
    const b = parseOne('apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {v: a}}\n');
    const labels = (JSON.parse(canonicalSnapshotText([a, b])) as KubeObject[]).map((o) => o.metadata.labels!['v']);
    expect(labels).toEqual(['a', 'b']);
  });

  it('is "[]" for no objects', () => {
    expect(canonicalSnapshotText([])).toBe('[]');
  });
});
