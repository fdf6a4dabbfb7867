// The generators must produce what they claim: only valid manifests (the parser accepts every object), the
// promised coverage of NetworkPolicy features, and deterministic synthetic clusters of the stated sizes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateSyntheticCluster, SIZE_PRESETS } from '../../bench/synthetic-cluster.js';
import { parseManifests } from '../../src/manifest/parse-manifests.js';
import { clusterArb } from './cluster-arbitrary.js';
import { allowed, buildNaiveCluster, type NaivePod } from './naive-evaluator.js';
import { probeIps, probePorts } from './probes.js';

describe('random small clusters (fast-check)', () => {
  it('are always valid: the parser returns every generated object and no error', () => {
    fc.assert(
      fc.property(clusterArb, (cluster) => {
        const result = parseManifests(cluster.documents);
        const errors = result.issues.filter((i) => i.severity === 'error');
        if (errors.length > 0) throw new Error(`parser errors: ${JSON.stringify(errors, null, 1)}\n${cluster.documents.map((d) => `# ${d.path}\n${d.text}`).join('\n')}`);
        expect(result.objects.length).toBe(cluster.objects.length);
      }),
      { seed: 4242, numRuns: 300 },
    );
  });

  it('cover the features the issue lists, over 300 runs', () => {
    const seen = new Set<string>();
    const note = (feature: string, present: boolean) => present && seen.add(feature);
    const samples = fc.sample(clusterArb, { seed: 4242, numRuns: 300 });
    for (const { objects, documents } of samples) {
      note('yaml', documents.some((d) => d.path.endsWith('.yaml')));
      note('json', documents.some((d) => d.path.endsWith('.json')));
      note('deployment', objects.some((o) => o.kind === 'Deployment'));
      note('owned pods', objects.some((o) => o.kind === 'Pod' && 'ownerReferences' in (o.metadata as object)));
      note('pod IP', objects.some((o) => o.kind === 'Pod' && 'status' in o));
      note('hostNetwork', objects.some((o) => o.kind === 'Pod' && (o.spec as { hostNetwork?: boolean }).hostNetwork === true));
      note('undeclared namespace', objects.some((o) => o.kind === 'Pod' && !objects.some((n) => n.kind === 'Namespace' && (n.metadata as { name: string }).name === (o.metadata as { namespace: string }).namespace)));
      const text = JSON.stringify(objects.filter((o) => o.kind === 'NetworkPolicy'));
      for (const op of ['In', 'NotIn', 'Exists', 'DoesNotExist']) note(op, text.includes(`"operator":"${op}"`));
      for (const proto of ['UDP', 'SCTP']) note(proto, text.includes(`"protocol":"${proto}"`));
      note('endPort', text.includes('"endPort"'));
      note('named port', /"port":"(http|metrics|dns|db)"/.test(text));
      note('unresolvable named port', text.includes('"port":"nope"'));
      note('ipBlock except', text.includes('"except"'));
      note('IPv6', /"cidr":"[0-9a-f:]*:[0-9a-f:]*\//.test(text));
      note('{} selector', text.includes('Selector":{}'));
      note('to: []', text.includes('"to":[]'));
      note('from: []', text.includes('"from":[]'));
      note('rule without peers', /\{"ports":/.test(text));
      note('rule without ports', /"(from|to)":\[[^\]]*\]\}/.test(text));
      note('protocol only', /\{"protocol":"[A-Z]+"\}/.test(text));
      note('explicit policyTypes', text.includes('"policyTypes":["'));
      note('defaulted policyTypes', objects.some((o) => o.kind === 'NetworkPolicy' && !('policyTypes' in (o.spec as object))));
      note('namespaceSelector AND podSelector', /"namespaceSelector":\{[^}]*\}*,"podSelector"/.test(text));
    }
    expect([...seen].sort()).toEqual(
      [
        'yaml', 'json', 'deployment', 'owned pods', 'pod IP', 'hostNetwork', 'undeclared namespace', 'In', 'NotIn', 'Exists', 'DoesNotExist', 'UDP', 'SCTP', 'endPort',
        'named port', 'unresolvable named port', 'ipBlock except', 'IPv6', '{} selector', 'to: []', 'from: []', 'rule without peers',
        'rule without ports', 'protocol only', 'explicit policyTypes', 'defaulted policyTypes', 'namespaceSelector AND podSelector',
      ].sort(),
    );
  });

  it('probe points include the port and CIDR boundaries', () => {
    const objects = [
      { kind: 'Pod', spec: { containers: [{ ports: [{ containerPort: 8080 }] }] } },
      { kind: 'NetworkPolicy', spec: { ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 100, endPort: 200 }] }] } },
    ];
    expect(probePorts(objects)).toEqual([1, 99, 100, 101, 199, 200, 201, 8079, 8080, 8081, 65535]);
    expect(probeIps(objects)).toEqual([
      '8.8.8.8', '9.255.255.255', '10.0.0.0', '10.0.255.255', '10.1.0.0', '10.1.255.255', '10.2.0.0', '10.255.255.255', '11.0.0.0', '2606::1',
    ]);
  });
});

describe('synthetic benchmark cluster', () => {
  it('is deterministic per seed and has the S size', () => {
    const a = generateSyntheticCluster(SIZE_PRESETS.S, 7);
    const b = generateSyntheticCluster(SIZE_PRESETS.S, 7);
    const c = generateSyntheticCluster(SIZE_PRESETS.S, 8);
    expect(JSON.stringify(a.list)).toBe(JSON.stringify(b.list));
    expect(JSON.stringify(a.list)).not.toBe(JSON.stringify(c.list));
    expect(a.counts.pods).toBe(1000);
    expect(a.counts.policies).toBeGreaterThan(350);
    expect(a.counts.policies).toBeLessThan(500);
  });

  it('parses without errors, and every pod has a controller owner present in the list', () => {
    const { list, counts } = generateSyntheticCluster(SIZE_PRESETS.S, 1);
    const result = parseManifests([{ path: 'synthetic-S.json', text: JSON.stringify(list) }]);
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const pods = result.objects.filter((o) => o.object.kind === 'Pod');
    expect(pods.length).toBe(counts.pods);
    const controllers = new Set(result.objects.map((o) => `${o.object.metadata.namespace}/${o.object.kind}/${o.object.metadata.name}`));
    const orphans = pods.filter((p) => {
      const owner = p.object.metadata.ownerReferences?.find((r) => r.controller);
      return !owner || !controllers.has(`${p.object.metadata.namespace}/${owner.kind}/${owner.name}`);
    });
    expect(orphans).toEqual([]);
    const kinds = new Set(result.objects.map((o) => o.object.kind));
    expect([...kinds].sort()).toEqual(['DaemonSet', 'Deployment', 'Namespace', 'NetworkPolicy', 'Pod', 'ReplicaSet', 'StatefulSet']);
  });

  it('means what its policies say (checked with the naive evaluator)', () => {
    const { list } = generateSyntheticCluster(SIZE_PRESETS.S, 1);
    const cluster = buildNaiveCluster(parseManifests([{ path: 's.json', text: JSON.stringify(list) }]).objects.map((o) => o.object));
    const first = (test: (p: NaivePod) => boolean) => {
      const found = cluster.pods.find(test);
      if (!found) throw new Error('no such pod');
      return found;
    };
    const tenant = (tier: string) => first((p) => p.labels.tier === tier && p.namespace === first((q) => q.labels.tier === 'cache').namespace);
    const dns = first((p) => p.labels['k8s-app'] === 'kube-dns');
    const nginx = first((p) => p.labels['app.kubernetes.io/name'] === 'ingress-nginx');
    const prometheus = first((p) => p.labels['app.kubernetes.io/name'] === 'prometheus');
    const [web, api, db, cache] = ['web', 'api', 'db', 'cache'].map(tenant);
    const httpOf = (p: NaivePod) => p.ports.find((c) => c.name === 'http')!.port;
    expect(allowed(cluster, web, dns, 'UDP', 53)).toBe(true); // DNS egress
    expect(allowed(cluster, web, dns, 'UDP', 54)).toBe(false);
    expect(allowed(cluster, nginx, web, 'TCP', httpOf(web))).toBe(true); // ingress controller to web, named port
    expect(allowed(cluster, web, api, 'TCP', httpOf(api))).toBe(true); // tier to tier
    expect(allowed(cluster, web, db, 'TCP', 5432)).toBe(false); // web may not reach the database
    expect(allowed(cluster, api, db, 'TCP', 5432)).toBe(true);
    expect(allowed(cluster, api, cache, 'TCP', cache.ports[0].port)).toBe(true);
    expect(allowed(cluster, prometheus, api, 'TCP', 9102)).toBe(true); // scrape on the named metrics port
    expect(allowed(cluster, prometheus, web, 'TCP', 8080)).toBe(false); // web has no metrics label
    expect(allowed(cluster, { ip: '203.0.113.9' }, nginx, 'TCP', 443)).toBe(true);
    expect(allowed(cluster, { ip: '203.0.113.9' }, web, 'TCP', httpOf(web))).toBe(false); // default deny
    expect(allowed(cluster, web, { ip: '8.8.8.8' }, 'TCP', 443)).toBe(false); // web has no external egress
  });
});
