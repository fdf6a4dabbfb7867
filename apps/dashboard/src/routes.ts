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
  policy: '/snapshots/:id/policies/:namespace/:name',
  map: '/snapshots/:id/map',
  reachability: '/snapshots/:id/reachability',
  exposure: '/snapshots/:id/exposure',
  connectivity: '/snapshots/:id/connectivity',
  whatIf: '/snapshots/:id/what-if',
  findings: '/snapshots/:id/findings',
  compliance: '/clusters/:name/compliance',
} as const;

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
  policy: (id: string, p: { namespace: string; name: string }, query: QueryParams = {}) =>
    withQuery(buildPath(routePatterns.policy, { id, namespace: p.namespace, name: p.name }), query),
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
