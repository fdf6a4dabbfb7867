// The second snapshot of the diff bench (issue 5): the same synthetic cluster with exactly 10 NetworkPolicy
// edits — ports changed on 4, 3 deleted, 3 added. Chosen deterministically (spread evenly over the policies
// sorted by namespace/name), so a seed gives the same pair of snapshots every run. The old list is not mutated.
import type { Json } from './synthetic-objects.js';

export interface PolicyEdits {
  /** The edited `kind: List`. */
  readonly list: Json;
  /** `namespace/name` of each edited policy, per kind of edit (sorted). */
  readonly portsChanged: readonly string[];
  readonly deleted: readonly string[];
  readonly added: readonly string[];
}

const PORT_EDITS = 4;
const DELETIONS = 3;

/** Replaces the ports of `spec.ingress[0]` (the example: a rule's ports turned into 8080-8090). */
const EDITED_PORTS = [{ protocol: 'TCP', port: 8080, endPort: 8090 }];

/** The added policies: an ipBlock peer (re-cuts the IP atoms), a cross-namespace peer, an egress-only policy. */
const ADDED_POLICIES: ReadonlyArray<[string, Json]> = [
  [
    'bench-partner-ingress',
    {
      podSelector: { matchLabels: { tier: 'api' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 8443 }] }],
    },
  ],
  [
    'bench-monitoring-ingress',
    {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 9100 }] }],
    },
  ],
  [
    'bench-backup-egress',
    {
      podSelector: { matchLabels: { tier: 'db' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '192.0.2.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }] }],
    },
  ],
];

interface PolicyItem {
  readonly id: string;
  readonly namespace: string;
  readonly object: Json;
}

const metadataOf = (o: Json) => (o.metadata ?? {}) as { name?: string; namespace?: string };
const specOf = (o: Json) => (o.spec ?? {}) as { ingress?: Array<{ ports?: unknown[] }>; egress?: unknown[] };

/** `count` items spread evenly over `items` (the middle of each of `count` equal slices). */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length < count) throw new Error(`diff bench: needs ${count} candidate policies, found ${items.length}`);
  return Array.from({ length: count }, (_, i) => items[Math.floor(((i + 0.5) * items.length) / count)]);
}

export function editPolicies(list: Json): PolicyEdits {
  const items = list.items as Json[];
  const policies: PolicyItem[] = items
    .filter((o) => o.kind === 'NetworkPolicy')
    .map((object) => {
      const { name = '', namespace = 'default' } = metadataOf(object);
      return { id: `${namespace}/${name}`, namespace, object };
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const used = new Set<string>();
  const take = (candidates: PolicyItem[], count: number) => {
    const picked = spread(candidates.filter((p) => !used.has(p.id)), count);
    for (const p of picked) used.add(p.id);
    return picked;
  };
  const portEdits = take(policies.filter((p) => (specOf(p.object).ingress?.[0]?.ports?.length ?? 0) > 0), PORT_EDITS);
  // Never a default-deny: deleting one opens its namespace to everything, which is a different benchmark.
  const deletions = take(
    policies.filter((p) => (specOf(p.object).ingress?.length ?? 0) + (specOf(p.object).egress?.length ?? 0) > 0),
    DELETIONS,
  );
  // Added policies go to namespaces that already run tenant policies and none of the edited ones.
  const editedNamespaces = new Set([...used].map((id) => id.split('/')[0]));
  const namespaces = [...new Set(policies.filter((p) => p.id.endsWith('/api-ingress')).map((p) => p.namespace))].filter(
    (ns) => !editedNamespaces.has(ns),
  );
  const additions = spread(namespaces, ADDED_POLICIES.length).map((namespace, i) => {
    const [name, spec] = ADDED_POLICIES[i];
    const metadata = { namespace, name, uid: `00000000-0000-4000-a000-${String(i).padStart(12, '0')}`, resourceVersion: '1', creationTimestamp: '2026-11-01T08:00:00Z' };
    return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec } as Json;
  });

  const replaced = new Map<Json, Json | undefined>();
  for (const p of portEdits) {
    const copy = structuredClone(p.object);
    specOf(copy).ingress![0].ports = structuredClone(EDITED_PORTS);
    replaced.set(p.object, copy);
  }
  for (const p of deletions) replaced.set(p.object, undefined);
  const newItems = items.flatMap((o) => (!replaced.has(o) ? [o] : replaced.get(o) ? [replaced.get(o)!] : []));
  const ids = (ps: readonly PolicyItem[]) => ps.map((p) => p.id).sort();
  return {
    list: { ...list, items: [...newItems, ...additions] },
    portsChanged: ids(portEdits),
    deleted: ids(deletions),
    added: additions.map((o) => `${metadataOf(o).namespace}/${metadataOf(o).name}`).sort(),
  };
}
