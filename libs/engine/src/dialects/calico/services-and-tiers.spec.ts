// Calico corners the conformance data does not show, as truth tables through the per-pair trace (eval):
// - a rule side's `services` matches the Service's endpoints (its selected pods, not every end) and, on the
//   destination side, only each endpoint's port (Calico API, EntityRule.services);
// - two tiers of one `order` are two layers, ordered by name (Calico: tiers of equal order sort by name), so a Pass
//   or an end-of-tier deny of one does not mix with the other's rules;
// - rule selectors see the labels an endpoint inherits: `projectcalico.org/serviceaccount`, and its profiles'
//   `pcns.<namespace label>` and `pcsa.<service account label>` (Calico's k8s conversion and kns./ksa. profiles).
import { describe, expect, it } from 'vitest';
import { analyze } from '../../analysis/analyze.js';
import { observedFeatures } from '../../analysis/classes.js';
import { clusterPeers, pairConnections, type Peer } from '../../analysis/connectivity.js';
import { evaluate } from '../../analysis/evaluate.js';
import { podEndpoint, tracePair } from '../../analysis/trace.js';
import { parseManifests } from '../../manifest/parse-manifests.js';
import { buildSnapshot } from '../../model/snapshot.js';

const pod = (ns: string, name: string, ip: string, app: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: {app: ${app}}}\nspec: {serviceAccountName: ${app}-sa, containers: [{name: c, ports: [{name: web, containerPort: 8080}, {name: admin, containerPort: 9090}]}]}\nstatus: {podIP: ${ip}}\n`;
const TOPOLOGY = [
  ...['prod', 'dev'].map((ns) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}, labels: {team: ${ns}-team}}\n`),
  `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: frontend-sa, namespace: prod, labels: {role: web}}\n`,
  pod('prod', 'frontend', '10.0.0.1', 'frontend'),
  pod('prod', 'backend', '10.0.0.2', 'backend'),
  pod('prod', 'database', '10.0.0.3', 'database'),
  pod('dev', 'backend', '10.0.1.2', 'backend'),
];
const service = (name: string, ports: string, selector = '{app: backend}') =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: prod}\nspec: {selector: ${selector}, ports: [${ports}]}\n`;
const gnp = (name: string, spec: string) => `apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n${spec}`;
const tier = (name: string, order: number, defaultAction = 'Deny') =>
  `apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: ${name}}\nspec: {order: ${order}, defaultAction: ${defaultAction}}\n`;

function snapshotOf(...docs: string[]) {
  const parsed = parseManifests([{ path: 'in.yaml', text: [...TOPOLOGY, ...docs].join('---\n') }]);
  expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
  return buildSnapshot(parsed.objects).snapshot;
}
const verdict = (snapshot: ReturnType<typeof snapshotOf>, from: string, to: string, port: number) => {
  const [fns, fpod] = from.split('/');
  const [tns, tpod] = to.split('/');
  return evaluate(snapshot, { namespace: fns, pod: fpod }, { namespace: tns, pod: tpod }, port, 'TCP').allowed ? 'allowed' : 'denied';
};

const EGRESS_TO_SERVICE = (action: string, svc = 'backend-svc', namespace = 'prod') =>
  gnp('frontend-egress', `  selector: app == 'frontend'\n  types: [Egress]\n  egress:\n  - action: ${action}\n    destination:\n      services: {name: ${svc}, namespace: ${namespace}}\n`);

describe('Calico rule sides with services', () => {
  it.each([
    // [case, docs, from, to, port, expected]
    ['egress Allow to a Service reaches its backend on the target port', [service('backend-svc', '{port: 80, targetPort: 8080}'), EGRESS_TO_SERVICE('Allow')], 'prod/frontend', 'prod/backend', 8080, 'allowed'],
    ['… not on another port of the backend', [service('backend-svc', '{port: 80, targetPort: 8080}'), EGRESS_TO_SERVICE('Allow')], 'prod/frontend', 'prod/backend', 9090, 'denied'],
    ['… not a pod outside the Service', [service('backend-svc', '{port: 80, targetPort: 8080}'), EGRESS_TO_SERVICE('Allow')], 'prod/frontend', 'prod/database', 8080, 'denied'],
    ['… not a pod of the same labels in another namespace', [service('backend-svc', '{port: 80, targetPort: 8080}'), EGRESS_TO_SERVICE('Allow')], 'prod/frontend', 'dev/backend', 8080, 'denied'],
    ['a named target port resolves on the endpoint', [service('backend-svc', '{port: 80, targetPort: admin}'), EGRESS_TO_SERVICE('Allow')], 'prod/frontend', 'prod/backend', 9090, 'allowed'],
    ['… and only that port', [service('backend-svc', '{port: 80, targetPort: admin}'), EGRESS_TO_SERVICE('Allow')], 'prod/frontend', 'prod/backend', 8080, 'denied'],
    ['no targetPort: the port itself', [service('backend-svc', '{port: 8080}'), EGRESS_TO_SERVICE('Allow')], 'prod/frontend', 'prod/backend', 8080, 'allowed'],
    ['a Service the snapshot lacks matches nothing', [EGRESS_TO_SERVICE('Allow', 'missing')], 'prod/frontend', 'prod/backend', 8080, 'denied'],
    ['a Service without a selector matches nothing', [service('backend-svc', '{port: 8080}', '{}'), EGRESS_TO_SERVICE('Allow')], 'prod/frontend', 'prod/backend', 8080, 'denied'],
    [
      'egress Deny to the Service backends, then Allow the rest',
      [service('backend-svc', '{port: 8080}'), gnp('deny-backends', `  selector: app == 'frontend'\n  types: [Egress]\n  egress:\n  - action: Deny\n    destination:\n      services: {name: backend-svc, namespace: prod}\n  - action: Allow\n`)],
      'prod/frontend',
      'prod/backend',
      8080,
      'denied',
    ],
    [
      '… the Deny leaves other pods to the Allow',
      [service('backend-svc', '{port: 8080}'), gnp('deny-backends', `  selector: app == 'frontend'\n  types: [Egress]\n  egress:\n  - action: Deny\n    destination:\n      services: {name: backend-svc, namespace: prod}\n  - action: Allow\n`)],
      'prod/frontend',
      'prod/database',
      8080,
      'allowed',
    ],
    [
      'ingress from a Service\'s endpoints (source side: addresses only)',
      [service('backend-svc', '{port: 80, targetPort: 8080}'), gnp('db-ingress', `  selector: app == 'database'\n  types: [Ingress]\n  ingress:\n  - action: Allow\n    protocol: TCP\n    source:\n      services: {name: backend-svc, namespace: prod}\n    destination: {ports: [9090]}\n`)],
      'prod/backend',
      'prod/database',
      9090,
      'allowed',
    ],
    [
      '… not from a pod outside it',
      [service('backend-svc', '{port: 80, targetPort: 8080}'), gnp('db-ingress', `  selector: app == 'database'\n  types: [Ingress]\n  ingress:\n  - action: Allow\n    protocol: TCP\n    source:\n      services: {name: backend-svc, namespace: prod}\n    destination: {ports: [9090]}\n`)],
      'prod/frontend',
      'prod/database',
      9090,
      'denied',
    ],
  ] as const)('%s', (_, docs, from, to, port, expected) => {
    expect(verdict(snapshotOf(...docs), from, to, port)).toBe(expected);
  });

  it('names a Service the snapshot lacks as a caveat', () => {
    const snapshot = snapshotOf(EGRESS_TO_SERVICE('Allow', 'missing'));
    const v = evaluate(snapshot, { namespace: 'prod', pod: 'frontend' }, { namespace: 'prod', pod: 'backend' }, 8080, 'TCP');
    expect(v.caveats.map((c) => c.code)).toContain('UNMODELLED_PEER');
  });
});

describe('Calico tiers of equal order are ordered by name', () => {
  const INGRESS_BACKEND = (tierName: string, rules: string) => `  tier: ${tierName}\n  selector: app == 'backend'\n  types: [Ingress]\n  ingress:\n${rules}`;
  it.each([
    // tier "a-first" passes TCP 8080, tier "b-second" (same order) denies it: a-first decides first, then b-second.
    ['a Pass in the first tier goes on to the second, which denies', 'Pass', 'Deny', 'denied'],
    ['an Allow in the first tier decides before the second tier\'s Deny', 'Allow', 'Deny', 'allowed'],
    ['a Deny in the first tier decides before the second tier\'s Allow', 'Deny', 'Allow', 'denied'],
  ])('%s', (_, firstAction, secondAction, expected) => {
    // The second tier's policy has the lower policy order: merged into one layer it would decide first.
    const snapshot = snapshotOf(
      tier('b-second', 100),
      tier('a-first', 100),
      gnp('a-first.p', `  order: 500\n${INGRESS_BACKEND('a-first', `  - action: ${firstAction}\n    protocol: TCP\n    destination: {ports: [8080]}\n`)}`),
      gnp('b-second.p', `  order: 1\n${INGRESS_BACKEND('b-second', `  - action: ${secondAction}\n    protocol: TCP\n    destination: {ports: [8080]}\n  - action: Allow\n`)}`),
    );
    expect(verdict(snapshot, 'prod/frontend', 'prod/backend', 8080)).toBe(expected);
  });
  it('the end-of-tier deny of the first tier applies before the second tier is consulted', () => {
    const snapshot = snapshotOf(
      tier('b-second', 100),
      tier('a-first', 100),
      gnp('a-first.p', `  order: 500\n${INGRESS_BACKEND('a-first', `  - action: Allow\n    protocol: TCP\n    destination: {ports: [9090]}\n`)}`),
      gnp('b-second.p', `  order: 1\n${INGRESS_BACKEND('b-second', `  - action: Allow\n`)}`),
    );
    expect(verdict(snapshot, 'prod/frontend', 'prod/backend', 8080)).toBe('denied');
    expect(verdict(snapshot, 'prod/frontend', 'prod/backend', 9090)).toBe('allowed');
  });
  it.each([
    // A tier of the default tier's order (1000000) sorts by name against `default` too (felix TierLess).
    ['a tier named before `default` decides first', 'aaa', 'Deny', 'Allow', 'denied'],
    ['… its Allow too', 'aaa', 'Allow', 'Deny', 'allowed'],
    ['a tier named after `default` is consulted after it', 'zzz', 'Deny', 'Allow', 'allowed'],
  ])('%s', (_, tierName, tierAction, defaultAction, expected) => {
    const snapshot = snapshotOf(
      tier(tierName, 1_000_000),
      gnp(`${tierName}.p`, INGRESS_BACKEND(tierName, `  - action: ${tierAction}\n    protocol: TCP\n    destination: {ports: [8080]}\n  - action: Pass\n`)),
      gnp('default.p', INGRESS_BACKEND('default', `  - action: ${defaultAction}\n    protocol: TCP\n    destination: {ports: [8080]}\n  - action: Allow\n`)),
    );
    expect(verdict(snapshot, 'prod/frontend', 'prod/backend', 8080)).toBe(expected);
  });
  it('two tiers named before `default`, all three of one order: both decide before it, in name order', () => {
    const snapshot = snapshotOf(
      tier('abc', 1_000_000),
      tier('aaa', 1_000_000),
      gnp('aaa.p', INGRESS_BACKEND('aaa', `  - action: Pass\n`)),
      gnp('abc.p', INGRESS_BACKEND('abc', `  - action: Deny\n    protocol: TCP\n    destination: {ports: [8080]}\n  - action: Pass\n`)),
      gnp('default.p', INGRESS_BACKEND('default', `  - action: Allow\n`)),
    );
    expect(verdict(snapshot, 'prod/frontend', 'prod/backend', 8080)).toBe('denied');
    expect(verdict(snapshot, 'prod/frontend', 'prod/backend', 9090)).toBe('allowed');
  });
  it('a tier the input does not declare comes after every declared one (felix TierLess: invalid tiers last), a layer of its own', () => {
    const snapshot = snapshotOf(
      `apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: bbb}\nspec: {defaultAction: Deny}\n`,
      gnp('undeclared.p', `  order: 1\n${INGRESS_BACKEND('aaa', `  - action: Deny\n    protocol: TCP\n    destination: {ports: [8080]}\n`)}`),
      gnp('bbb.p', `  order: 500\n${INGRESS_BACKEND('bbb', `  - action: Allow\n    protocol: TCP\n    destination: {ports: [8080]}\n  - action: Pass\n`)}`),
    );
    expect(verdict(snapshot, 'prod/frontend', 'prod/backend', 8080)).toBe('allowed');
  });
  it('two undeclared tiers are two layers, by name: a Pass of the first goes on to the second', () => {
    const snapshot = snapshotOf(
      gnp('x.p', `  order: 500\n${INGRESS_BACKEND('x-tier', `  - action: Pass\n`)}`),
      gnp('y.p', `  order: 1\n${INGRESS_BACKEND('y-tier', `  - action: Allow\n    protocol: TCP\n    destination: {ports: [8080]}\n`)}`),
    );
    // Merged into one layer, y.p (order 1) would allow 8080 first; as layers, x-tier passes, then y-tier allows 8080 and
    // denies the rest at its end.
    expect(verdict(snapshot, 'prod/frontend', 'prod/backend', 8080)).toBe('allowed');
    expect(verdict(snapshot, 'prod/frontend', 'prod/backend', 9090)).toBe('denied');
  });
});

describe('Calico rule selectors over the labels an endpoint inherits (ingress to prod/database)', () => {
  const allowFrom = (selector: string) =>
    gnp('db-in', `  selector: app == 'database'\n  types: [Ingress]\n  ingress:\n  - action: Allow\n    source:\n      selector: "${selector}"\n`);
  it.each([
    ['pcns.<namespace label>', "pcns.team == 'prod-team'", 'prod/frontend', 'allowed'],
    ['… another namespace\'s pod', "pcns.team == 'prod-team'", 'dev/backend', 'denied'],
    ['pcns.projectcalico.org/name', "pcns.projectcalico.org/name == 'dev'", 'dev/backend', 'allowed'],
    ['projectcalico.org/serviceaccount', "projectcalico.org/serviceaccount == 'frontend-sa'", 'prod/frontend', 'allowed'],
    ['… a pod of another account', "projectcalico.org/serviceaccount == 'frontend-sa'", 'prod/backend', 'denied'],
    ['pcsa.<service account label>', "pcsa.role == 'web'", 'prod/frontend', 'allowed'],
    ['… an account without it', "pcsa.role == 'web'", 'prod/backend', 'denied'],
    ['pcsa.projectcalico.org/name', "pcsa.projectcalico.org/name == 'backend-sa'", 'prod/backend', 'allowed'],
    ['has(pcns.team) holds for every namespace of the snapshot', 'has(pcns.team)', 'dev/backend', 'allowed'],
    ['a plain pod label stays what it was', "app == 'frontend'", 'prod/frontend', 'allowed'],
  ] as const)('%s', (_, selector, from, expected) => {
    expect(verdict(snapshotOf(allowFrom(selector)), from, 'prod/database', 8080)).toBe(expected);
  });
});

describe('Calico policy selectors over the labels an endpoint inherits (deny-all ingress of what it selects)', () => {
  const denyAll = (selector: string) => gnp('deny-in', `  selector: "${selector}"\n  types: [Ingress]\n`);
  it.each([
    ['a GlobalNetworkPolicy selecting by projectcalico.org/namespace', "projectcalico.org/namespace == 'prod' && app == 'backend'", 'prod/backend', 'denied'],
    ['… not the same labels in another namespace', "projectcalico.org/namespace == 'prod' && app == 'backend'", 'dev/backend', 'allowed'],
    ['by pcns.<namespace label>', "pcns.team == 'dev-team'", 'dev/backend', 'denied'],
    ['… not a pod of another namespace', "pcns.team == 'dev-team'", 'prod/backend', 'allowed'],
    ['by projectcalico.org/serviceaccount', "projectcalico.org/serviceaccount == 'database-sa'", 'prod/database', 'denied'],
    ['… not a pod of another account', "projectcalico.org/serviceaccount == 'database-sa'", 'prod/backend', 'allowed'],
    ['by pcsa.<account label> or a pod label', "pcsa.role == 'web' || app == 'database'", 'prod/frontend', 'denied'],
  ] as const)('%s', (_, selector, to, expected) => {
    const source = to === 'prod/frontend' ? 'prod/backend' : 'prod/frontend';
    expect(verdict(snapshotOf(denyAll(selector)), source, to, 8080)).toBe(expected);
  });
  it('tells pods apart by their service account only where the selector reads it (pcns. alone does not)', () => {
    expect(observedFeatures(snapshotOf(denyAll("pcns.team == 'dev-team'"))).serviceAccounts).toBe(false);
    expect(observedFeatures(snapshotOf(denyAll("projectcalico.org/namespace == 'prod'"))).serviceAccounts).toBe(false);
    expect(observedFeatures(snapshotOf(denyAll("pcsa.role == 'web'"))).serviceAccounts).toBe(true);
    expect(observedFeatures(snapshotOf(denyAll("projectcalico.org/serviceaccount == 'database-sa'"))).serviceAccounts).toBe(true);
    expect(observedFeatures(snapshotOf(gnp('by-account', `  selector: "pcns.team == 'dev-team'"\n  serviceAccountSelector: role == 'web'\n  types: [Ingress]\n`))).serviceAccounts).toBe(true);
  });
});

describe('Calico preDNAT and doNotTrack policies police host endpoints only, never the pods their selector matches', () => {
  it.each([
    ['preDNAT', '  preDNAT: true\n  applyOnForward: true\n'],
    ['doNotTrack', '  doNotTrack: true\n  applyOnForward: true\n'],
  ])('%s: a deny-all selecting every endpoint leaves pod-to-pod traffic alone', (_, flags) => {
    const snapshot = snapshotOf(gnp('host-fw', `  selector: all()\n${flags}  types: [Ingress]\n  ingress:\n  - action: Deny\n`));
    expect(verdict(snapshot, 'prod/frontend', 'prod/backend', 8080)).toBe('allowed');
  });
  it('… while the same policy without them denies', () => {
    const snapshot = snapshotOf(gnp('host-fw', `  selector: all()\n  applyOnForward: true\n  types: [Ingress]\n  ingress:\n  - action: Deny\n`));
    expect(verdict(snapshot, 'prod/frontend', 'prod/backend', 8080)).toBe('denied');
  });
});

describe('Calico notSelector alone: a namespaced policy scopes it to its namespace, a global one does not', () => {
  const np = `apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: db-in, namespace: prod}\nspec:\n  selector: app == 'database'\n  types: [Ingress]\n  ingress:\n  - action: Allow\n    source: {notSelector: "app == 'frontend'"}\n`;
  const global = gnp('db-in', `  selector: app == 'database'\n  types: [Ingress]\n  ingress:\n  - action: Allow\n    source: {notSelector: "app == 'frontend'"}\n`);
  it.each([
    ['namespaced: a pod of its namespace not matching', np, 'prod/backend', 'allowed'],
    ['namespaced: the pod it excludes', np, 'prod/frontend', 'denied'],
    ['namespaced: a pod of another namespace', np, 'dev/backend', 'denied'],
    ['namespaced: an address outside the cluster', np, '203.0.113.7', 'denied'],
    ['global: a pod of another namespace', global, 'dev/backend', 'allowed'],
    ['global: an address outside the cluster', global, '203.0.113.7', 'allowed'],
    ['global: the pod it excludes', global, 'prod/frontend', 'denied'],
  ] as const)('%s', (_, doc, from, expected) => {
    const snapshot = snapshotOf(doc);
    const source = from.includes('/') ? { namespace: from.split('/')[0], pod: from.split('/')[1] } : { ip: from };
    expect(evaluate(snapshot, source, { namespace: 'prod', pod: 'database' }, 8080, 'TCP').allowed ? 'allowed' : 'denied').toBe(expected);
  });
});

// The factorised analysis (list, connectivity) decides the same rules through far/near matchers per identity class:
// every pod pair must get the per-pair trace's answer (service endpoints and accounts split classes as needed).
describe('the factorised analysis agrees with the per-pair trace on these rules', () => {
  const service80 = service('backend-svc', '{port: 80, targetPort: 8080}');
  it.each([
    ['egress to a Service', [service80, EGRESS_TO_SERVICE('Allow')]],
    ['ingress from a Service', [service80, gnp('db-in', `  selector: app == 'database'\n  types: [Ingress]\n  ingress:\n  - action: Allow\n    source:\n      services: {name: backend-svc, namespace: prod}\n`)]],
    ['pcsa and serviceaccount selectors', [gnp('db-in', `  selector: app == 'database'\n  types: [Ingress]\n  ingress:\n  - action: Deny\n    source: {selector: "projectcalico.org/serviceaccount == 'backend-sa'"}\n  - action: Allow\n    source: {selector: "pcsa.role == 'web' || pcns.team == 'dev-team'"}\n`)]],
    ['a policy selector over inherited labels', [gnp('deny-in', `  selector: "pcns.team == 'dev-team' || projectcalico.org/serviceaccount == 'database-sa'"\n  types: [Ingress]\n`)]],
    ['a namespaced notSelector', [`apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: db-in, namespace: prod}\nspec:\n  selector: app == 'database'\n  types: [Ingress]\n  ingress:\n  - action: Allow\n    source: {notSelector: "app == 'frontend'"}\n`]],
    ['a preDNAT policy beside a normal one', [gnp('host-fw', `  selector: all()\n  preDNAT: true\n  applyOnForward: true\n  types: [Ingress]\n  ingress:\n  - action: Deny\n`), gnp('db-in', `  selector: app == 'database'\n  types: [Ingress]\n`)]],
    ['tiers of equal order', [tier('b-second', 100), tier('a-first', 100), gnp('a-first.p', `  tier: a-first\n  order: 9\n  selector: all()\n  types: [Ingress]\n  ingress:\n  - action: Pass\n    protocol: TCP\n    destination: {ports: [8080]}\n`), gnp('b-second.p', `  tier: b-second\n  order: 1\n  selector: all()\n  types: [Ingress]\n  ingress:\n  - action: Deny\n    protocol: TCP\n    destination: {ports: [8080, 9090]}\n  - action: Allow\n`)]],
  ] as const)('%s', (_, docs) => {
    const snapshot = snapshotOf(...docs);
    const analysis = analyze(snapshot);
    const pods = clusterPeers(analysis, 'pod') as Extract<Peer, { type: 'pod' }>[];
    for (const src of pods) {
      for (const dst of pods) {
        if (src === dst) continue;
        expect(pairConnections(analysis, src, dst)!.key, `${src.name} => ${dst.name}`).toBe(tracePair(snapshot, podEndpoint(src.pod), podEndpoint(dst.pod)).allowed.key);
      }
    }
  });
});
