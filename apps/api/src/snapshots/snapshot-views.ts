// Entity → API shapes (REST JSON and GraphQL models), in one place so both say the same thing.
import { toClusterModel } from '../clusters/cluster-views.js';
import type { ClusterEntity } from '../clusters/cluster.entity.js';
import type { SnapshotEntity } from './snapshot.entity.js';
import type { Snapshot } from './snapshot.model.js';

export function toSnapshotModel(entity: SnapshotEntity & { cluster?: ClusterEntity }): Snapshot {
  if (!entity.cluster) throw new Error(`snapshot ${entity.id} was loaded without its cluster`);
  return {
    id: entity.id,
    cluster: toClusterModel(entity.cluster),
    capturedAt: entity.capturedAt,
    uploadedAt: entity.uploadedAt,
    source: entity.source,
    contentSha256: entity.contentSha256,
    deduplicated: entity.deduplicated,
    counts: entity.counts,
  };
}

export function toSnapshotJson(entity: SnapshotEntity) {
  return {
    id: entity.id,
    cluster: entity.cluster?.name,
    capturedAt: entity.capturedAt.toISOString(),
    uploadedAt: entity.uploadedAt.toISOString(),
    source: entity.source,
    contentSha256: entity.contentSha256,
    deduplicated: entity.deduplicated,
    counts: entity.counts,
  };
}
