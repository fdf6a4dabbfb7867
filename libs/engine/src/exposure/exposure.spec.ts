// The rules of FORMAT.md 10.3-10.5 on small hand-written clusters: representative peers and their names,
// absorption by real pods, redundancy against entire-cluster, IP lines, unprotected lines, named ports.
import { describe, expect, it } from 'vitest';
import { connectivity } from '../analysis/connectivity.js';
import { parseManifests } from '../manifest/parse-manifests.js';
import { buildSnapshot } from '../model/snapshot.js';
import { exposure } from './exposure.js';
import { formatExposureReport } from './format.js';
import type { ExposureResult } from './types.js';

type Obj = Record<string, unknown>;
type Labels = Record<string, string>;

const namespace = (name: string, labels: Labels = {}): Obj => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

function deployment(ns: string, name: string, labels: Labels, ports: Obj[] = [{ containerPort: 8080 }]): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'img', ports }] } },
    },
  };
}

const policy = (ns: string, name: string, spec: Obj): Obj => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: ns },
  spec,
});

function analyse(...objects: Obj[]) {
  const parsed = parseManifests([{ path: 'cluster.json', text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }) }]);
  expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
  const { snapshot } = buildSnapshot(parsed.objects);
  const result = exposure(snapshot);
  return { result, txt: formatExposureReport(connectivity(snapshot), result, 'txt'), snapshot };
}

/** `workload <arrow> other : conn` lines of the exposure part, unpadded. */
function exposureLines(result: ExposureResult): string[] {
  return result.workloads.flatMap((w) => [
    ...w.egress.lines.map((l) => `${w.workload} => ${l.target.name} : ${l.connection.text}`),
    ...w.ingress.lines.map((l) => `${w.workload} <= ${l.target.name} : ${l.connection.text}`),
  ]);
}

const onlyA = { matchLabels: { app: 'a' } };

describe('exposure: representative peers (10.3)', () => {
  it('names namespace and pod parts from the rule selectors as written', () => {
    const { result } = analyse(
      namespace('hello'),
      deployment('hello', 'a', { app: 'a' }),
      policy('hello', 'p', {
        podSelector: onlyA,
        ingress: [
          { from: [{ podSelector: { matchLabels: { app: 'b', tier: 'web' } } }] },
          { from: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'dns' } } }] },
          { from: [{ namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }] } }] },
          { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'backend' } } }] },
          {
            from: [
              {
                namespaceSelector: { matchLabels: { team: 'x' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
                podSelector: { matchExpressions: [{ key: 'role', operator: 'NotIn', values: ['web', 'api'] }] },
              },
            ],
          },
        ],
      }),
    );
    expect(result.representatives.map((r) => r.name)).toEqual([
      '[all namespaces]/[pod with {k8s-app=dns}]',
      '[namespace with {team=x,{Key:tier,Operator:Exists,Values:[],}}]/[pod with {{Key:role,Operator:NotIn,Values:[web api],}}]',
      '[namespace with {{Key:env,Operator:In,Values:[prod dev],}}]/[all pods]',
      'backend/[all pods]',
      'hello/[pod with {app=b,tier=web}]',
    ]);
    expect(result.representatives.find((r) => r.name === 'backend/[all pods]')?.namespace).toBe('backend');
  });

  it('keeps matchExpressions values in their written order (read from the policy object)', () => {
    const parsed = parseManifests([
      {
        path: 'c.json',
        text: JSON.stringify({
          apiVersion: 'v1',
          kind: 'List',
          items: [
            namespace('hello'),
            deployment('hello', 'a', { app: 'a' }),
            policy('hello', 'p', {
              podSelector: onlyA,
              ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }] } }] }],
            }),
          ],
        }),
      },
    ]);
    const { snapshot } = buildSnapshot(parsed.objects);
    expect(exposure(snapshot).representatives.map((r) => r.name)).toEqual(['[namespace with {{Key:env,Operator:In,Values:[prod dev],}}]/[all pods]']);
  });

  it('creates peers in the order the policies were read, not in name order', () => {
    const asExpression = policy('hello', 'z-expression', {
      podSelector: onlyA,
      ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['x'] }] } }] }],
    });
    const asLabels = policy('hello', 'a-labels', { podSelector: onlyA, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'x' } } }] }] });
    const doc = (path: string, ...items: Obj[]) => ({ path, text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }) });
    // Read z.json first: its policy (named last) gives the shared peer its text.
    const parsed = parseManifests([doc('z.json', asExpression), doc('a.json', namespace('hello'), deployment('hello', 'a', { app: 'a' }), asLabels)]);
    const { snapshot } = buildSnapshot(parsed.objects);
    expect(snapshot.policies.map((p) => p.name)).toEqual(['a-labels', 'z-expression']);
    expect(exposure(snapshot).representatives.map((r) => r.name)).toEqual(['[namespace with {{Key:team,Operator:In,Values:[x],}}]/[all pods]']);
  });

  it('shares one peer between equivalent selectors, printed as the first rule read', () => {
    const asExpression = policy('hello', 'first', {
      podSelector: onlyA,
      ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['x'] }] } }] }],
    });
    const asLabels = policy('hello', 'second', {
      podSelector: onlyA,
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'x' } } }], ports: [{ port: 9090 }] }],
    });
    const base = [namespace('hello'), deployment('hello', 'a', { app: 'a' })];
    const one = analyse(...base, asExpression, asLabels).result;
    expect(one.representatives.map((r) => r.name)).toEqual(['[namespace with {{Key:team,Operator:In,Values:[x],}}]/[all pods]']);
    // Both rules match the one peer: their ports are united.
    expect(exposureLines(one)).toContain('hello/a[Deployment] <= [namespace with {{Key:team,Operator:In,Values:[x],}}]/[all pods] : All Connections');
    const other = analyse(...base, asLabels, asExpression).result;
    expect(other.representatives.map((r) => r.name)).toEqual(['[namespace with {team=x}]/[all pods]']);
  });

  it('drops a matchLabels-only peer that a real pod matches, and keeps expression and all-pods peers', () => {
    const rules = (nsSel: Obj, podSel?: Obj) => ({
      podSelector: onlyA,
      policyTypes: ['Ingress'],
      ingress: [{ from: [podSel ? { namespaceSelector: nsSel, podSelector: podSel } : { namespaceSelector: nsSel }] }],
    });
    const cluster = [namespace('hello'), namespace('prod', { env: 'prod' }), deployment('hello', 'a', { app: 'a' }), deployment('prod', 'b', { app: 'b' })];

    const absorbed = analyse(...cluster, policy('hello', 'p', rules({ matchLabels: { env: 'prod' } }, { matchLabels: { app: 'b' } })));
    expect(absorbed.result.representatives).toEqual([]);
    expect(absorbed.txt).toContain('prod/b[Deployment] => hello/a[Deployment] : All Connections\n');
    expect(exposureLines(absorbed.result).filter((l) => l.startsWith('hello/a[Deployment] <='))).toEqual([]);

    const expression = analyse(
      ...cluster,
      policy('hello', 'p', rules({ matchLabels: { env: 'prod' } }, { matchExpressions: [{ key: 'app', operator: 'In', values: ['b'] }] })),
    );
    expect(exposureLines(expression.result)).toContain(
      'hello/a[Deployment] <= [namespace with {env=prod}]/[pod with {{Key:app,Operator:In,Values:[b],}}] : All Connections',
    );

    const allPods = analyse(...cluster, policy('hello', 'p', rules({ matchLabels: { env: 'prod' } })));
    expect(exposureLines(allPods.result)).toContain('hello/a[Deployment] <= [namespace with {env=prod}]/[all pods] : All Connections');
  });
});

describe('exposure: which lines a workload gets (10.4)', () => {
  it('leaves out a representative peer whose connection the entire-cluster one already contains', () => {
    const { result } = analyse(
      namespace('hello'),
      deployment('hello', 'a', { app: 'a' }),
      policy('hello', 'p', {
        podSelector: onlyA,
        ingress: [
          { from: [{ namespaceSelector: {} }], ports: [{ port: 8050 }] },
          { from: [{ namespaceSelector: { matchLabels: { team: 'x' } } }], ports: [{ port: 8050 }] },
          { from: [{ namespaceSelector: { matchLabels: { team: 'y' } } }], ports: [{ port: 9090 }] },
        ],
      }),
    );
    // team=x is also reached by the all-namespaces rule only: TCP 8050 ⊆ entire-cluster, left out. team=y
    // gets both rules matching it.
    expect(exposureLines(result)).toEqual([
      'hello/a[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'hello/a[Deployment] => entire-cluster : All Connections',
      'hello/a[Deployment] <= [namespace with {team=y}]/[all pods] : TCP 8050,9090',
      'hello/a[Deployment] <= entire-cluster : TCP 8050',
    ]);
  });

  it('repeats IP lines of the connlist only for workloads reported for another reason', () => {
    const isolated = {
      podSelector: onlyA,
      policyTypes: ['Ingress', 'Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'b' } } }] }],
    };
    const cluster = [namespace('hello'), deployment('hello', 'a', { app: 'a' }), deployment('hello', 'b', { app: 'b' })];
    const quiet = analyse(...cluster, policy('hello', 'p', isolated));
    expect(quiet.txt).toContain('hello/a[Deployment] => 10.0.0.0-10.255.255.255[External] : All Connections\n');
    expect(quiet.result.workloads.map((w) => w.workload)).toEqual(['hello/b[Deployment]']);

    const exposed = analyse(...cluster, policy('hello', 'p', { ...isolated, ingress: [...isolated.ingress, { from: [{ namespaceSelector: {} }] }] }));
    expect(exposureLines(exposed.result).filter((l) => l.startsWith('hello/a'))).toEqual([
      'hello/a[Deployment] => 10.0.0.0-10.255.255.255[External] : All Connections',
      'hello/a[Deployment] <= entire-cluster : All Connections',
    ]);
  });

  it('marks unprotected directions with entire-cluster : All Connections and a not-protected line', () => {
    const { result, txt } = analyse(
      namespace('hello'),
      deployment('hello', 'a', { app: 'a' }),
      policy('hello', 'ingress-only', { podSelector: onlyA, ingress: [{ from: [{ podSelector: {} }] }] }),
    );
    const a = result.workloads[0];
    expect(a.egress.protected).toBe(false);
    expect(a.ingress.protected).toBe(true);
    expect(exposureLines(result)).toEqual([
      'hello/a[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'hello/a[Deployment] => entire-cluster : All Connections',
      'hello/a[Deployment] <= hello/[all pods] : All Connections',
    ]);
    expect(txt.endsWith('\nWorkloads not protected by network policies:\nhello/a[Deployment] is not protected on Egress\n')).toBe(true);
  });
});

describe('exposure: named ports (10.5)', () => {
  it('keeps names towards potential peers and resolves them on the workload for its ingress', () => {
    const { result } = analyse(
      namespace('hello'),
      deployment('hello', 'a', { app: 'a' }, [
        { name: 'web', containerPort: 8080 },
        { name: 'http', containerPort: 8090 },
      ]),
      policy('hello', 'p', {
        podSelector: onlyA,
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          { from: [{ namespaceSelector: {} }], ports: [{ port: 'web' }, { port: 'unknown' }] },
          { from: [{ namespaceSelector: { matchLabels: { team: 'x' } } }], ports: [{ port: 'http' }, { port: 'unknown' }] },
        ],
        egress: [
          { to: [{ namespaceSelector: {} }], ports: [{ port: 'local-dns' }, { port: 'http' }] },
          { to: [{ namespaceSelector: { matchLabels: { team: 'y' } } }], ports: [{ port: 'metrics' }, { port: 9100 }] },
        ],
      }),
    );
    // A representative peer is also matched by the all-namespaces rule, so its connection includes that
    // rule's ports; unresolvable names towards the workload itself allow nothing.
    expect(exposureLines(result)).toEqual([
      'hello/a[Deployment] => [namespace with {team=y}]/[all pods] : TCP 9100,http,local-dns,metrics',
      'hello/a[Deployment] => entire-cluster : TCP http,local-dns',
      'hello/a[Deployment] <= [namespace with {team=x}]/[all pods] : TCP 8080,8090',
      'hello/a[Deployment] <= entire-cluster : TCP 8080,unknown',
    ]);
  });
});

describe('exposure report formats', () => {
  it('pads workload names to the longest one, tab-separates the arrow and leaves no empty section', () => {
    const { txt } = analyse(
      namespace('ns'),
      deployment('ns', 'a', { app: 'a' }),
      deployment('ns', 'longer-name', { app: 'l' }),
      policy('ns', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
      policy('ns', 'a', { podSelector: onlyA, ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 80 }] }] }),
      policy('ns', 'l', { podSelector: { matchLabels: { app: 'l' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { t: 'v' } } }] }] }),
    );
    expect(txt).toBe(
      'Exposure Analysis Result:\n' +
        'Ingress Exposure:\n' +
        'ns/a[Deployment]           \t<= \tentire-cluster : TCP 80\n' +
        'ns/longer-name[Deployment] \t<= \t[namespace with {t=v}]/[all pods] : All Connections\n',
    );
  });

  it('writes csv and md with np-guard section rows (ingress tables put the workload first, as dst)', () => {
    const parsed = parseManifests([
      {
        path: 'c.json',
        text: JSON.stringify({
          apiVersion: 'v1',
          kind: 'List',
          items: [
            namespace('ns'),
            deployment('ns', 'a', { app: 'a' }),
            policy('ns', 'a', {
              podSelector: onlyA,
              policyTypes: ['Ingress', 'Egress'],
              ingress: [{ from: [{ namespaceSelector: { matchLabels: { t: 'v' } } }], ports: [{ port: 80 }, { port: 81 }] }],
            }),
          ],
        }),
      },
    ]);
    const { snapshot } = buildSnapshot(parsed.objects);
    const result = exposure(snapshot);
    expect(formatExposureReport(connectivity(snapshot), result, 'csv')).toBe(
      'src,dst,conn\nExposure Analysis Result:,,\nIngress Exposure:,,\ndst,src,conn\nns/a[Deployment],[namespace with {t=v}]/[all pods],TCP 80-81\n',
    );
    expect(formatExposureReport(connectivity(snapshot), result, 'md')).toBe(
      '| src | dst | conn |\n|-----|-----|------|\n## Exposure Analysis Result:\n\n' +
        '### Ingress Exposure:\n| dst | src | conn |\n|-----|-----|------|\n| ns/a[Deployment] | [namespace with {t=v}]/[all pods] | TCP 80-81 |\n',
    );
  });

  it('writes json with [] for an empty connlist and null for an empty exposure list', () => {
    const parsed = parseManifests([
      { path: 'c.json', text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [namespace('ns'), deployment('ns', 'a', { app: 'a' })] }) },
    ]);
    const { snapshot } = buildSnapshot(parsed.objects);
    const empty = { workloads: [], representatives: [] };
    expect(formatExposureReport([], empty, 'json')).toBe(
      '{\n  "connlist_results": [],\n  "exposure_results": {\n    "egress_exposure": null,\n    "ingress_exposure": null\n  }\n}',
    );
    const json = JSON.parse(formatExposureReport(connectivity(snapshot), exposure(snapshot), 'json')) as {
      exposure_results: { ingress_exposure: { src: string; dst: string }[] };
    };
    expect(json.exposure_results.ingress_exposure.map((o) => `${o.src} -> ${o.dst}`)).toEqual([
      '0.0.0.0-255.255.255.255[External] -> ns/a[Deployment]',
      'entire-cluster -> ns/a[Deployment]',
    ]);
  });
});

const clusterPolicy = (kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy', name: string, spec: Obj): Obj => ({
  apiVersion: 'policy.networking.k8s.io/v1alpha1',
  kind,
  metadata: { name },
  spec,
});

describe('exposure with tiers (AdminNetworkPolicy, BaselineAdminNetworkPolicy)', () => {
  const hello = { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'hello' } } };

  it('decides the entire cluster and each representative peer through the tiers: deny, pass, baseline, default allow', () => {
    const { result } = analyse(
      namespace('hello'),
      deployment('hello', 'a', { app: 'a' }),
      clusterPolicy('AdminNetworkPolicy', 'admin', {
        priority: 5,
        subject: hello,
        egress: [
          { name: 'deny-monitoring', action: 'Deny', to: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { role: 'mon' } } } }] },
          { name: 'pass-team-x', action: 'Pass', to: [{ namespaces: { matchLabels: { team: 'x' } } }] },
          { name: 'allow-80', action: 'Allow', to: [{ namespaces: {} }], ports: [{ portNumber: { protocol: 'TCP', port: 80 } }] },
        ],
      }),
      clusterPolicy('BaselineAdminNetworkPolicy', 'default', {
        subject: hello,
        egress: [{ name: 'deny-tcp', action: 'Deny', to: [{ namespaces: {} }], ports: [{ portRange: { protocol: 'TCP', start: 1, end: 1000 } }] }],
      }),
    );
    expect(exposureLines(result)).toEqual([
      'hello/a[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'hello/a[Deployment] => [all namespaces]/[pod with {role=mon}] : No Connections',
      'hello/a[Deployment] => [namespace with {team=x}]/[all pods] : SCTP 1-65535,TCP 1001-65535,UDP 1-65535',
      'hello/a[Deployment] => entire-cluster : SCTP 1-65535,TCP 80,1001-65535,UDP 1-65535',
      'hello/a[Deployment] <= 0.0.0.0-255.255.255.255[External] : All Connections',
      'hello/a[Deployment] <= entire-cluster : All Connections',
    ]);
    // Selected by cluster policies with egress rules only: protected on egress (no NetworkPolicy needed).
    expect(result.workloads[0].egress.protected).toBe(true);
  });

  it('an entire-cluster line decided through namespaces: {} leaves host-network pods out: csv and md say so, np-guard txt and json keep its name', () => {
    const { result, txt, snapshot } = analyse(
      namespace('hello'),
      deployment('hello', 'a', { app: 'a' }),
      policy('hello', 'from-all', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 80 }] }] }),
      clusterPolicy('AdminNetworkPolicy', 'admin', {
        priority: 5,
        subject: hello,
        egress: [{ name: 'all-out', action: 'Allow', to: [{ namespaces: {} }], ports: [{ portNumber: { protocol: 'TCP', port: 443 } }] }],
        ingress: [{ name: 'deny-mon', action: 'Deny', from: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { role: 'mon' } } } }] }],
      }),
    );
    const entire = (direction: 'egress' | 'ingress') => result.workloads[0][direction].lines.find((l) => l.target.type === 'entire-cluster')?.target;
    // Egress: the ANP's namespaces: {} decides; ingress: the NetworkPolicy's namespaceSelector: {} (host-network pods included).
    expect([entire('egress'), entire('ingress')]).toEqual([
      { type: 'entire-cluster', name: 'entire-cluster', exceptHostNetwork: true },
      { type: 'entire-cluster', name: 'entire-cluster' },
    ]);
    const rows = connectivity(snapshot);
    const md = formatExposureReport(rows, result, 'md');
    expect(md).toContain('| hello/a[Deployment] | entire-cluster except host-network pods | ');
    expect(md).toContain('| hello/a[Deployment] | entire-cluster | TCP 80 |');
    expect(formatExposureReport(rows, result, 'csv')).toContain('hello/a[Deployment],entire-cluster except host-network pods,');
    expect(txt).toContain('=> \tentire-cluster : ');
    expect(txt).not.toContain('host-network');
    expect(formatExposureReport(rows, result, 'json')).not.toContain('host-network');
  });

  it('keeps an AdminNetworkPolicy namedPort without protocol, and resolves it on the workload with the container port protocol', () => {
    const { result, txt } = analyse(
      namespace('hello'),
      deployment('hello', 'a', { app: 'a' }, [{ containerPort: 9000, name: 'web', protocol: 'UDP' }]),
      policy('hello', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
      clusterPolicy('AdminNetworkPolicy', 'admin', {
        priority: 5,
        subject: hello,
        ingress: [{ name: 'web-in', action: 'Allow', from: [{ namespaces: {} }], ports: [{ namedPort: 'web' }] }],
        egress: [{ name: 'web-out', action: 'Allow', to: [{ namespaces: {} }], ports: [{ namedPort: 'web' }] }],
      }),
    );
    expect(exposureLines(result)).toEqual(['hello/a[Deployment] => entire-cluster :  web', 'hello/a[Deployment] <= entire-cluster : UDP 9000']);
    expect(result.workloads[0].egress.lines[0].connection.namedPorts).toEqual([{ protocol: '', name: 'web' }]);
    expect(txt).toContain('=> \tentire-cluster :  web\n');
  });
});

describe('exposure on Calico snapshots: ICMP named, selectors without a representative peer named as caveats', () => {
  const calico = (ns: string, name: string, spec: Obj): Obj => ({ apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });

  it('names ICMP in exposure texts and flags the result', () => {
    const { result, txt } = analyse(
      namespace('a'),
      deployment('a', 'server', { app: 'server' }),
      calico('a', 'server-in', {
        selector: "app == 'server'",
        types: ['Ingress'],
        ingress: [
          { action: 'Allow', protocol: 'TCP', destination: { ports: [80] } },
          { action: 'Allow', protocol: 'ICMP' },
        ],
      }),
    );
    expect(result.showsIcmp).toBe(true);
    const server = result.workloads.find((w) => w.workload === 'a/server[Deployment]')!;
    const entire = server.ingress.lines.find((l) => l.target.type === 'entire-cluster')!;
    expect(entire.connection.text).toBe('ICMP,TCP 80');
    expect(entire.connection.all).toBe(false);
    expect(txt).toContain('a/server[Deployment] \t<= \tentire-cluster : ICMP,TCP 80');
    expect(result.caveats).toBeUndefined(); // universal far ends: the entire cluster stands for them
  });

  it('names each Allow rule whose far end is a Calico selector with no label-selector form, and no other', () => {
    const { result } = analyse(
      namespace('a'),
      deployment('a', 'server', { app: 'server' }),
      deployment('a', 'client', { app: 'client' }),
      calico('a', 'server-in', {
        selector: "app == 'server'",
        types: ['Ingress', 'Egress'],
        ingress: [
          { action: 'Allow', source: { selector: "role starts with 'scrap'" } },
          { action: 'Deny', source: { selector: "role contains 'x'" } },
          { action: 'Allow', source: { nets: ['10.0.0.0/8'] } },
          { action: 'Allow', source: { selector: "role == 'scraper'" } },
          { action: 'Allow', source: { selector: "app == 'client'", notSelector: "env == 'dev'" } },
        ],
        egress: [{ action: 'Allow', destination: { namespaceSelector: "team == 'db' || team == 'ops'" } }],
      }),
    );
    expect(result.caveats?.map((c) => `${c.code} ${c.namespace}/${c.name} ${c.path}`)).toEqual([
      'UNREPRESENTED_SELECTOR a/server-in spec.egress[0].destination',
      'UNREPRESENTED_SELECTOR a/server-in spec.ingress[0].source',
      'UNREPRESENTED_SELECTOR a/server-in spec.ingress[4].source',
    ]);
    expect(result.caveats![1].message).toContain(`selector: "role starts with 'scrap'"`);
  });

  it('makes representative peers of Calico far ends written as label selectors, as the same selectors in a NetworkPolicy do', () => {
    const cluster = [namespace('a'), namespace('b', { team: 'db' }), deployment('a', 'server', { app: 'server' }), deployment('b', 'db', { app: 'db' })];
    const { result: fromCalico } = analyse(
      ...cluster,
      calico('a', 'server-policy', {
        selector: "app == 'server'",
        types: ['Ingress', 'Egress'],
        ingress: [{ action: 'Allow', protocol: 'TCP', source: { selector: "role == 'scraper' && tier in {'x', 'y'}" }, destination: { ports: [9090] } }],
        egress: [
          { action: 'Allow', protocol: 'TCP', destination: { namespaceSelector: "team == 'db'", selector: "has(db) && !has(legacy) && env != 'dev'", ports: [5432] } },
          { action: 'Allow', protocol: 'UDP', destination: { namespaceSelector: "projectcalico.org/name == 'b'", selector: 'all()', ports: [53] } },
        ],
      }),
    );
    const { result: fromNetworkPolicy } = analyse(
      ...cluster,
      policy('a', 'server-policy', {
        podSelector: { matchLabels: { app: 'server' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { role: 'scraper' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['x', 'y'] }] } }], ports: [{ port: 9090 }] }],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { team: 'db' } },
                podSelector: {
                  matchExpressions: [
                    { key: 'db', operator: 'Exists' },
                    { key: 'legacy', operator: 'DoesNotExist' },
                    { key: 'env', operator: 'NotIn', values: ['dev'] },
                  ],
                },
              },
            ],
            ports: [{ port: 5432 }],
          },
          { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } }, podSelector: {} }], ports: [{ port: 53, protocol: 'UDP' }] },
        ],
      }),
    );
    expect(fromCalico.caveats).toBeUndefined();
    expect(fromCalico.representatives.map((r) => r.name)).toEqual([
      '[namespace with {team=db}]/[pod with {{Key:db,Operator:Exists,Values:[],},{Key:env,Operator:NotIn,Values:[dev],},{Key:legacy,Operator:DoesNotExist,Values:[],}}]',
      'a/[pod with {role=scraper,{Key:tier,Operator:In,Values:[x y],}}]',
      'b/[all pods]',
    ]);
    expect(fromCalico.representatives).toEqual(fromNetworkPolicy.representatives);
    expect(exposureLines(fromCalico)).toEqual(exposureLines(fromNetworkPolicy));
    expect(exposureLines(fromCalico)).toContain('a/server[Deployment] <= a/[pod with {role=scraper,{Key:tier,Operator:In,Values:[x y],}}] : TCP 9090');
  });

  it('decides a Calico representative peer through the tiers: a Deny for it before an Allow of everything is No Connections', () => {
    const { result } = analyse(
      namespace('a'),
      deployment('a', 'server', { app: 'server' }),
      {
        apiVersion: 'projectcalico.org/v3',
        kind: 'GlobalNetworkPolicy',
        metadata: { name: 'server-in' },
        spec: { selector: "app == 'server'", types: ['Ingress'], ingress: [{ action: 'Deny', source: { selector: "role == 'bad'" } }, { action: 'Allow' }] },
      },
    );
    expect(result.caveats).toBeUndefined();
    expect(result.representatives.map((r) => r.name)).toEqual(['[all namespaces]/[pod with {role=bad}]']);
    expect(exposureLines(result).filter((l) => l.includes('<='))).toEqual([
      'a/server[Deployment] <= 0.0.0.0-255.255.255.255[External] : All Connections',
      'a/server[Deployment] <= [all namespaces]/[pod with {role=bad}] : No Connections',
      'a/server[Deployment] <= entire-cluster : All Connections',
    ]);
  });

  it('NetworkPolicy-only snapshots: np-guard text, no flag, no caveats', () => {
    const { result } = analyse(
      namespace('a'),
      deployment('a', 'server', { app: 'server' }),
      policy('a', 'server-in', { podSelector: { matchLabels: { app: 'server' } }, ingress: [{ ports: [{ port: 80 }] }] }),
    );
    expect(result.showsIcmp).toBeUndefined();
    expect(result.caveats).toBeUndefined();
  });
});
