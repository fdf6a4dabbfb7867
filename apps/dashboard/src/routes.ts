// Every client route's path in one place, so links and the route table cannot disagree.
import { buildPath } from './router/match.js';

export const routePatterns = {
  clusters: '/',
  cluster: '/clusters/:name',
  snapshot: '/snapshots/:id',
} as const;

export const paths = {
  clusters: () => routePatterns.clusters,
  cluster: (name: string) => buildPath(routePatterns.cluster, { name }),
  snapshot: (id: string) => buildPath(routePatterns.snapshot, { id }),
};
