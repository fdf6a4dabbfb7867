// Every client route's path in one place, so links and the route table cannot disagree.
import { buildPath } from './router/match.js';

export const routePatterns = {
  clusters: '/',
  cluster: '/clusters/:name',
  snapshot: '/snapshots/:id',
  reachability: '/snapshots/:id/reachability',
  exposure: '/snapshots/:id/exposure',
  connectivity: '/snapshots/:id/connectivity',
} as const;

/** Query-string parameters, e.g. a reachability question; empty values are left out, keys keep their order. */
export type QueryParams = Record<string, string | undefined>;

export const paths = {
  clusters: () => routePatterns.clusters,
  cluster: (name: string) => buildPath(routePatterns.cluster, { name }),
  snapshot: (id: string) => buildPath(routePatterns.snapshot, { id }),
  reachability: (id: string, query: QueryParams = {}) =>
    withQuery(buildPath(routePatterns.reachability, { id }), query),
  exposure: (id: string) => buildPath(routePatterns.exposure, { id }),
  connectivity: (id: string, query: QueryParams = {}) =>
    withQuery(buildPath(routePatterns.connectivity, { id }), query),
};

export function withQuery(path: string, query: QueryParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}
