// Service accounts as Calico and Cilium select them, with Calico's documented semantics: a rule side's
// `serviceAccounts` {names, selector} (names: any of them; selector: over the ServiceAccount's labels plus
// `projectcalico.org/name`; both: both), scoped like a selector (a namespaced policy: its own namespace, unless a
// namespaceSelector says otherwise); a policy's `serviceAccountSelector` narrows the endpoints it applies to;
// Cilium's `io.cilium.k8s.policy.serviceaccount` identity label. Kubernetes fills `default` when a manifest leaves
// the field out; a Pod read from a cluster without it (stored before snapshots kept it) has no known account.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../analysis/analyze.js';
import { clusterPeers, pairConnections, type Peer } from '../../analysis/connectivity.js';
import { evaluate } from '../../analysis/evaluate.js';
import { podEndpoint, tracePair } from '../../analysis/trace.js';
import { parseManifests } from '../../manifest/parse-manifests.js';
import { projectObject } from '../../manifest/projection.js';
import { buildSnapshot } from '../../model/snapshot.js';

const parse = (text: string) => parseManifests([{ path: 'in.yaml', text }]);
const NAMESPACES = ['a', 'b'].map((ns) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}, labels: {team: ${ns}}}\n`).join('---\n');
const pod = (ns: string, name: string, app: string, serviceAccount: string | undefined, status = true) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: {app: ${app}}}\nspec: {${serviceAccount ? `serviceAccountName: ${serviceAccount}, ` : ''}containers: [{name: c, image: x}]}\n${status ? `status: {podIP: 10.0.0.${name.length}}\n` : ''}`;
const account = (ns: string, name: string, labels: string) => `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ${name}, namespace: ${ns}, labels: {${labels}}}\n`;
const WORLD = [NAMESPACES, pod('a', 'client', 'client', 'client-sa'), pod('b', 'server', 'server', 'server-sa'), account('a', 'client-sa', 'role: frontend'), account('b', 'server-sa', 'role: api')];
const gnp = (spec: string) => `apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: p}\nspec:\n${spec}`;
const cnp = (spec: string) => `apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: p, namespace: b}\nspec:\n${spec}`;
const INGRESS_SERVER = `  selector: app == 'server'\n  types: [Ingress]\n`;
const fromAccounts = (serviceAccounts: string, extra = '') => gnp(`${INGRESS_SERVER}  ingress:\n  - action: Allow\n    source: {serviceAccounts: ${serviceAccounts}${extra}}\n`);

function ask(docs: readonly string[], from = 'client') {
  const parsed = parse(docs.join('---\n'));
  expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
  const { snapshot } = buildSnapshot(parsed.objects);
  const verdict = evaluate(snapshot, { namespace: 'a', pod: from }, { namespace: 'b', pod: 'server' }, 8080, 'TCP');
  return { allowed: verdict.allowed ? 'allowed' : 'denied', caveats: verdict.caveats.map((c) => c.code) };
}

describe('Calico serviceAccounts on rule sides (client-sa {role: frontend} in a → server in b)', () => {
  it.each([
    ['names lists the client account', fromAccounts('{names: [other, client-sa]}'), 'allowed'],
    ['names lists other accounts only', fromAccounts('{names: [other]}'), 'denied'],
    ['selector over the account labels', fromAccounts(`{selector: "role == 'frontend'"}`), 'allowed'],
    ['selector the account labels do not satisfy', fromAccounts(`{selector: "role == 'api'"}`), 'denied'],
    ['projectcalico.org/name labels every account with its name', fromAccounts(`{selector: "projectcalico.org/name == 'client-sa'"}`), 'allowed'],
    ['names and selector: both must hold', fromAccounts(`{names: [client-sa], selector: "role == 'api'"}`), 'denied'],
    ['with a pod selector: both must hold', fromAccounts('{names: [client-sa]}', `, selector: "app == 'other'"`), 'denied'],
    ['a namespaced policy reaches its own namespace only', cnp(`${INGRESS_SERVER}  ingress:\n  - action: Allow\n    source: {serviceAccounts: {names: [client-sa]}}\n`), 'denied'],
    ['a namespaced policy with a namespaceSelector reaches others', cnp(`${INGRESS_SERVER}  ingress:\n  - action: Allow\n    source: {serviceAccounts: {names: [client-sa]}, namespaceSelector: team == 'a'}\n`), 'allowed'],
    ['destination serviceAccounts narrow the subject of an ingress rule', gnp(`${INGRESS_SERVER}  ingress:\n  - action: Allow\n    destination: {serviceAccounts: {names: [client-sa]}}\n`), 'denied'],
    [
      'egress rule to the server account',
      gnp(`  selector: app == 'client'\n  types: [Egress]\n  egress:\n  - action: Allow\n    destination: {serviceAccounts: {selector: "role == 'api'"}}\n`),
      'allowed',
    ],
    ['egress rule to another account', gnp(`  selector: app == 'client'\n  types: [Egress]\n  egress:\n  - action: Allow\n    destination: {serviceAccounts: {names: [db-sa]}}\n`), 'denied'],
  ] as const)('%s', (_name, policy, expected) => {
    expect(ask([...WORLD, policy])).toEqual({ allowed: expected, caveats: [] });
  });

  it('an account the input has no ServiceAccount for still has its name, and no other label', () => {
    const world = [NAMESPACES, pod('a', 'client', 'client', 'client-sa'), pod('b', 'server', 'server', 'server-sa')];
    expect(ask([...world, fromAccounts(`{selector: "projectcalico.org/name == 'client-sa'"}`)]).allowed).toBe('allowed');
    expect(ask([...world, fromAccounts(`{selector: "role == 'frontend'"}`)]).allowed).toBe('denied');
  });
});

describe('Calico serviceAccountSelector on a policy', () => {
  it.each([
    ['selects the server account: its end-of-tier deny applies', `  serviceAccountSelector: role == 'api'\n`, 'denied'],
    ['selects another account: the policy does not apply', `  serviceAccountSelector: role == 'db'\n`, 'allowed'],
    ['by name (projectcalico.org/name)', `  serviceAccountSelector: projectcalico.org/name == 'server-sa'\n`, 'denied'],
  ] as const)('%s', (_name, line, expected) => {
    expect(ask([...WORLD, gnp(`  selector: all()\n${line}  types: [Ingress]\n`)])).toEqual({ allowed: expected, caveats: [] });
  });
});

describe('service accounts not written, and not recorded', () => {
  const byDefault = fromAccounts('{names: [default]}');
  it('a manifest Pod without serviceAccountName runs as default (Kubernetes fills it)', () => {
    const world = [NAMESPACES, pod('a', 'client', 'client', undefined, false), pod('b', 'server', 'server', 'server-sa')];
    expect(ask([...world, byDefault])).toEqual({ allowed: 'allowed', caveats: [] });
  });

  it('a pod template without serviceAccountName runs as default; with one, as it', () => {
    const deployment = (sa: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: a}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {${sa}containers: [{name: c, image: x}]}\n`;
    const world = [NAMESPACES, pod('b', 'server', 'server', 'server-sa')];
    const parsed = (sa: string, names: string) => {
      const { snapshot } = buildSnapshot(parse([...world, deployment(sa), fromAccounts(`{names: [${names}]}`)].join('---\n')).objects);
      return evaluate(snapshot, { namespace: 'a', name: 'web', kind: 'Deployment' }, { namespace: 'b', pod: 'server' }, 8080, 'TCP').allowed;
    };
    expect(parsed('', 'default')).toBe(true);
    expect(parsed('serviceAccountName: web-sa, ', 'web-sa')).toBe(true);
    expect(parsed('serviceAccountName: web-sa, ', 'default')).toBe(false);
  });

  it('a Pod read from a cluster without it (stored before snapshots kept it) matches no account, and the verdict says so', () => {
    const world = [NAMESPACES, pod('a', 'client', 'client', undefined), pod('b', 'server', 'server', 'server-sa')];
    const verdict = ask([...world, byDefault]);
    expect(verdict).toEqual({ allowed: 'denied', caveats: ['UNMODELLED_PEER'] });
    const { snapshot } = buildSnapshot(parse([...world, byDefault].join('---\n')).objects);
    const checked = evaluate(snapshot, { namespace: 'a', pod: 'client' }, { namespace: 'b', pod: 'server' }, 8080, 'TCP');
    expect(checked.caveats[0].message).toContain('service account was not recorded');
  });

  it('the projection keeps the account, so a stored snapshot answers as its manifests do', () => {
    const parsed = parse([...WORLD, fromAccounts('{names: [client-sa]}')].join('---\n'));
    const stored = parsed.objects.map((o) => ({ ...o, object: projectObject(o.object) }));
    const { snapshot } = buildSnapshot(stored);
    expect(evaluate(snapshot, { namespace: 'a', pod: 'client' }, { namespace: 'b', pod: 'server' }, 8080, 'TCP')).toMatchObject({ allowed: true, caveats: [] });
  });
});

describe("Cilium's service-account identity label", () => {
  const fromEndpoint = (sa: string) =>
    `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p, namespace: b}\nspec:\n  endpointSelector: {matchLabels: {app: server}}\n  ingress:\n  - fromEndpoints: [{matchLabels: {io.cilium.k8s.policy.serviceaccount: ${sa}, k8s:io.kubernetes.pod.namespace: a}}]\n`;
  it.each([
    ['the real account name', 'client-sa', 'allowed'],
    ['default is not the client account', 'default', 'denied'],
  ] as const)('%s', (_name, sa, expected) => {
    const parsed = parse([...WORLD, fromEndpoint(sa)].join('---\n'));
    // Through the stored projection: the account must survive it.
    const { snapshot } = buildSnapshot(parsed.objects.map((o) => ({ ...o, object: projectObject(o.object) })));
    expect(evaluate(snapshot, { namespace: 'a', pod: 'client' }, { namespace: 'b', pod: 'server' }, 8080, 'TCP').allowed ? 'allowed' : 'denied').toBe(expected);
  });
});

describe('service accounts in the factorised whole-snapshot analysis (list, connectivity)', () => {
  // Two pods with the same labels and different accounts: only the service account tells them apart.
  const world = [
    NAMESPACES,
    pod('a', 'client', 'client', 'client-sa'),
    pod('a', 'other', 'client', 'other-sa'),
    pod('b', 'server', 'server', 'server-sa'),
    pod('b', 'admin', 'server', 'admin-sa'),
    account('a', 'client-sa', 'role: frontend'),
    account('a', 'other-sa', 'role: batch'),
  ];
  it.each([
    ['rule serviceAccounts', fromAccounts(`{selector: "role == 'frontend'", names: [client-sa, other-sa]}`, `, namespaceSelector: all()`)],
    ['policy serviceAccountSelector', gnp(`  selector: all()\n  serviceAccountSelector: projectcalico.org/name == 'server-sa'\n  types: [Ingress]\n`)],
  ])('%s: every pod pair agrees with the per-pair trace', (_name, policy) => {
    const parsed = parse([...world, policy].join('---\n'));
    const { snapshot } = buildSnapshot(parsed.objects);
    const analysis = analyze(snapshot);
    const pods = clusterPeers(analysis, 'pod') as Extract<Peer, { type: 'pod' }>[];
    const differs: string[] = [];
    let allowedPairs = 0;
    for (const src of pods) {
      for (const dst of pods) {
        if (src === dst) continue;
        const traced = tracePair(snapshot, podEndpoint(src.pod), podEndpoint(dst.pod)).allowed;
        if (pairConnections(analysis, src, dst)!.key !== traced.key) differs.push(`${src.name} => ${dst.name}`);
        if (!traced.isEmpty) allowedPairs++;
      }
    }
    expect(differs).toEqual([]);
    // The policy decides some pairs and not others (the accounts tell apart pods of equal labels).
    expect(allowedPairs).toBeGreaterThan(0);
    expect(allowedPairs).toBeLessThan(pods.length * (pods.length - 1));
  });
});
