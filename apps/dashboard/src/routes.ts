// Every client route's path in one place, so links and the route table cannot disagree.
import { buildPath } from './router/match.js';

export const routePatterns = {
  inventory: '/',
  upload: '/upload',
  diff: '/diff',
  graphiql: '/graphiql',
  cluster: '/clusters/:name',
  snapshot: '/snapshots/:id',
  workload: '/snapshots/:id/workloads/:namespace/:kind/:name',
  /** A Kubernetes NetworkPolicy (the first policy page: its URL stays). */
  policy: '/snapshots/:id/policies/:namespace/:name',
  /** A namespaced policy of another kind; `:kind` is `Kind`, or `Kind.group` where the kind alone is ambiguous
   *  (Calico's `NetworkPolicy.projectcalico.org`). */
  namespacedPolicy: '/snapshots/:id/policies/:namespace/:kind/:name',
  /** A cluster-scoped policy (AdminNetworkPolicy, GlobalNetworkPolicy, CiliumClusterwideNetworkPolicy, …). */
  clusterPolicy: '/snapshots/:id/cluster-policies/:kind/:name',
  map: '/snapshots/:id/map',
  reachability: '/snapshots/:id/reachability',
  exposure: '/snapshots/:id/exposure',
  connectivity: '/snapshots/:id/connectivity',
  whatIf: '/snapshots/:id/what-if',
  findings: '/snapshots/:id/findings',
  compliance: '/clusters/:name/compliance',
} as const;

/** Where a policy is: its namespace (null or '' for a cluster-scoped one), kind (default NetworkPolicy), name, and
 *  apiVersion when known (it tells Calico's NetworkPolicy from Kubernetes' one). */
export interface PolicyLocation {
  namespace: string | null;
  name: string;
  kind?: string | null;
  apiVersion?: string | null;
}

const KUBERNETES_POLICY_GROUP = 'networking.k8s.io';

/** The API group of an apiVersion (`projectcalico.org/v3` → `projectcalico.org`; `v1` → ''). */
export const apiGroupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/** The `:kind` segment: undefined for Kubernetes' NetworkPolicy, `Kind.group` for another dialect's NetworkPolicy. */
function kindSegment(p: PolicyLocation): string | undefined {
  const kind = p.kind ?? 'NetworkPolicy';
  const group = p.apiVersion ? apiGroupOf(p.apiVersion) : KUBERNETES_POLICY_GROUP;
  if (kind !== 'NetworkPolicy') return kind;
  return group === KUBERNETES_POLICY_GROUP ? undefined : `${kind}.${group}`;
}

/** The `:kind` segment read back: the kind, and the API group when it was qualified (null: any group). */
export function parseKindSegment(segment: string): { kind: string; group: string | null } {
  const dot = segment.indexOf('.');
  return dot < 0 ? { kind: segment, group: null } : { kind: segment.slice(0, dot), group: segment.slice(dot + 1) };
}

/** Query-string parameters, e.g. a reachability question; empty values are left out, keys keep their order. */
export type QueryParams = Record<string, string | undefined>;

export const paths = {
  /** The home page (inventory of every cluster). */
  clusters: (query: QueryParams = {}) => withQuery(routePatterns.inventory, query),
  upload: (query: QueryParams = {}) => withQuery(routePatterns.upload, query),
  diff: (query: QueryParams = {}) => withQuery(routePatterns.diff, query),
  graphiql: () => routePatterns.graphiql,
  cluster: (name: string) => buildPath(routePatterns.cluster, { name }),
  snapshot: (id: string, query: QueryParams = {}) => withQuery(buildPath(routePatterns.snapshot, { id }), query),
  workload: (id: string, w: { namespace: string; kind: string; name: string }) =>
    buildPath(routePatterns.workload, { id, namespace: w.namespace, kind: w.kind, name: w.name }),
  /** A policy's page: the NetworkPolicy URL when `kind` is absent or Kubernetes' NetworkPolicy. */
  policy: (id: string, p: PolicyLocation, query: QueryParams = {}) => {
    const kind = kindSegment(p);
    if (p.namespace === null || p.namespace === '') {
      return withQuery(buildPath(routePatterns.clusterPolicy, { id, kind: kind ?? 'NetworkPolicy', name: p.name }), query);
    }
    if (kind === undefined) return withQuery(buildPath(routePatterns.policy, { id, namespace: p.namespace, name: p.name }), query);
    return withQuery(buildPath(routePatterns.namespacedPolicy, { id, namespace: p.namespace, kind, name: p.name }), query);
  },
  map: (id: string, query: QueryParams = {}) => withQuery(buildPath(routePatterns.map, { id }), query),
  reachability: (id: string, query: QueryParams = {}) =>
    withQuery(buildPath(routePatterns.reachability, { id }), query),
  exposure: (id: string) => buildPath(routePatterns.exposure, { id }),
  connectivity: (id: string, query: QueryParams = {}) =>
    withQuery(buildPath(routePatterns.connectivity, { id }), query),
  whatIf: (id: string, query: QueryParams = {}) => withQuery(buildPath(routePatterns.whatIf, { id }), query),
  findings: (id: string, query: QueryParams = {}) => withQuery(buildPath(routePatterns.findings, { id }), query),
  compliance: (name: string, query: QueryParams = {}) => withQuery(buildPath(routePatterns.compliance, { name }), query),
};

export function withQuery(path: string, query: QueryParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/** The current URL's query parameter `key` ('' when absent). */
export function queryParam(search: string, key: string): string {
  return new URLSearchParams(search).get(key) ?? '';
}
