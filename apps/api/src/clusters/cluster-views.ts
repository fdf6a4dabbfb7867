import type { ClusterEntity } from './cluster.entity.js';
import type { Cluster } from './cluster.model.js';

export function toClusterModel(entity: ClusterEntity): Cluster {
  return {
    id: entity.id,
    name: entity.name,
    labels: Object.entries(entity.labels)
      .map(([key, value]) => ({ key, value }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    provider: entity.provider,
    cni: entity.cni,
    cniSource: entity.cniSource ?? null,
    createdAt: entity.createdAt,
  };
}
