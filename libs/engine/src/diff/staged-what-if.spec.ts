// The staged what-if: staged policies promoted (Set creates or replaces, Delete removes), diffed with causes
// against the live snapshot.
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../manifest/parse-manifests.js';
import { formatDiff } from './format.js';
import { stagedWhatIf } from './staged-what-if.js';

const BASE = [
  'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n',
  'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\nspec: {containers: [{name: c, image: x, ports: [{containerPort: 8080}]}]}\n',
  'apiVersion: v1\nkind: Pod\nmetadata: {name: db, namespace: shop, labels: {app: db}}\nspec: {containers: [{name: c, image: x, ports: [{containerPort: 5432}]}]}\n',
];
const knp = (name: string, spec: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: shop}\nspec:\n${spec}`;
const staged = (name: string, spec: string) => `apiVersion: projectcalico.org/v3\nkind: StagedKubernetesNetworkPolicy\nmetadata: {name: ${name}, namespace: shop}\nspec:\n${spec}`;
const DENY_DB = `  podSelector: {matchLabels: {app: db}}\n  policyTypes: [Ingress]\n`;
const ALLOW_WEB_TO_DB = `${DENY_DB}  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]\n`;

function run(...docs: string[]) {
  const parsed = parseManifests([{ path: 'cluster.yaml', text: [...BASE, ...docs].join('---\n') }]);
  expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
  return stagedWhatIf(parsed.objects);
}

describe('stagedWhatIf', () => {
  it('no staged policy: nothing changes', () => {
    const result = run(knp('db', DENY_DB));
    expect(result.staged).toEqual([]);
    expect(result.diff.pairs).toEqual([]);
  });

  it('Set creates a policy that does not exist yet: the pairs it isolates lose their connections, caused by it', () => {
    const result = run(staged('db', DENY_DB));
    expect(result.staged).toEqual([
      {
        action: 'Set',
        staged: { kind: 'StagedKubernetesNetworkPolicy', apiGroup: 'projectcalico.org', namespace: 'shop', name: 'db' },
        target: { kind: 'NetworkPolicy', apiGroup: 'networking.k8s.io', namespace: 'shop', name: 'db' },
        targetExists: false,
      },
    ]);
    expect(result.diff.pairs.length).toBeGreaterThan(0);
    expect(formatDiff(result.diff, 'txt')).toContain('diff-type: removed, source: shop/web[Pod], destination: shop/db[Pod], ref1: All Connections, ref2: No Connections');
    expect(result.diff.pairs.every((c) => c.type === 'removed')).toBe(true);
    expect(result.changes.map((c) => `${c.change} ${c.ref.kind}/${c.ref.name}`)).toEqual(['added NetworkPolicy/db']);
  });

  it('Set replaces the live policy of the same name; Delete removes it', () => {
    const replaced = run(knp('db', DENY_DB), staged('db', ALLOW_WEB_TO_DB));
    expect(replaced.staged[0]).toMatchObject({ action: 'Set', targetExists: true });
    expect(formatDiff(replaced.diff, 'txt')).toContain('diff-type: added, source: shop/web[Pod], destination: shop/db[Pod], ref1: No Connections, ref2: All Connections');
    expect(replaced.diff.pairs.every((c) => c.type === 'added')).toBe(true);
    const deleted = run(knp('db', DENY_DB), staged('db', `  stagedAction: Delete\n${DENY_DB}`));
    expect(deleted.staged[0]).toMatchObject({ action: 'Delete', targetExists: true });
    expect(deleted.changes.map((c) => `${c.change} ${c.ref.kind}/${c.ref.name}`)).toEqual(['removed NetworkPolicy/db']);
    expect(deleted.diff.pairs.length).toBeGreaterThan(0);
    expect(deleted.diff.pairs.every((c) => c.type === 'added' && c.causes?.length === 1)).toBe(true);
  });

  it('a staged Delete of a policy that does not exist changes nothing, and says the target is absent', () => {
    const result = run(staged('ghost', `  stagedAction: Delete\n${DENY_DB}`));
    expect(result.staged[0]).toMatchObject({ action: 'Delete', targetExists: false });
    expect(result.diff.pairs).toEqual([]);
  });

  it('a promoted policy the live kind refuses is an issue and changes nothing; so is an unknown stagedAction', () => {
    const result = run(knp('db', DENY_DB), staged('db', `  podSelector: {matchLabels: {app: db}}\n  policyTypes: [Upwards]\n`), staged('x', `  stagedAction: Maybe\n${DENY_DB}`));
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([
      ['INVALID_VALUE', 'spec.stagedAction'],
      ['INVALID_VALUE', 'spec.policyTypes[0]'],
    ]);
    expect(result.issues[1].file).toBe('cluster.yaml (StagedKubernetesNetworkPolicy shop/db promoted)');
    expect(result.diff.pairs).toEqual([]);
  });

  it('promotes Calico staged policies to their live kinds', () => {
    const gnp = `apiVersion: projectcalico.org/v3\nkind: StagedGlobalNetworkPolicy\nmetadata: {name: g}\nspec: {selector: app == 'db', types: [Ingress], ingress: [{action: Allow, source: {selector: app == 'web'}}]}\n`;
    const np = `apiVersion: projectcalico.org/v3\nkind: StagedNetworkPolicy\nmetadata: {name: np1, namespace: shop}\nspec: {stagedAction: Delete, selector: all()}\n`;
    const result = run(gnp, np);
    expect(result.staged.map((s) => [s.action, s.target.kind, s.target.apiGroup, s.target.namespace, s.target.name])).toEqual([
      ['Set', 'GlobalNetworkPolicy', 'projectcalico.org', '', 'g'],
      ['Delete', 'NetworkPolicy', 'projectcalico.org', 'shop', 'np1'],
    ]);
    expect(result.changes.map((c) => `${c.change} ${c.ref.kind}/${c.ref.name}`)).toEqual(['added GlobalNetworkPolicy/g']);
    // The promoted GlobalNetworkPolicy isolates db and allows web only: the outside loses db, web keeps it.
    expect(formatDiff(result.diff, 'txt').split('\n').filter((l) => l.startsWith('diff-type'))).toEqual([
      'diff-type: removed, source: 0.0.0.0-255.255.255.255[External], destination: shop/db[Pod], ref1: All Connections, ref2: No Connections',
    ]);
    expect(result.caveats).toEqual([]);
  });

  it("names a staged rule's caveat: a Deny limited to client source ports", () => {
    const gnp = `apiVersion: projectcalico.org/v3\nkind: StagedGlobalNetworkPolicy\nmetadata: {name: g}\nspec: {selector: app == 'db', types: [Ingress], ingress: [{action: Deny, protocol: TCP, source: {ports: [1234]}}, {action: Allow}]}\n`;
    expect(run(gnp).caveats.map((c) => [c.code, c.kind, c.name])).toEqual([['SOURCE_PORT_RULE', 'GlobalNetworkPolicy', 'g']]);
  });

  it('carries no caveat when both sides are Kubernetes NetworkPolicies only', () => {
    expect(run(staged('db', DENY_DB)).caveats).toEqual([]);
  });
});
