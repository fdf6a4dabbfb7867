import { Injectable } from '@nestjs/common';
import { SnapshotsRepository } from './snapshots.repository.js';
import type { SnapshotEntity } from './snapshot.entity.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class SnapshotsService {
  constructor(private readonly snapshots: SnapshotsRepository) {}

  isSnapshotId(id: string): boolean {
    return UUID.test(id);
  }

  /** null when absent (or not a UUID: it cannot exist). */
  async findById(id: string): Promise<SnapshotEntity | null> {
    return this.isSnapshotId(id) ? this.snapshots.findById(id.toLowerCase()) : null;
  }

  content(sha256: string): Promise<Buffer | null> {
    return this.snapshots.content(sha256);
  }

  /** Newest first; `limit` rows after the snapshot `afterId`. */
  pageForCluster(clusterId: string, limit: number, afterId?: string): Promise<SnapshotEntity[]> {
    return this.snapshots.findPageForCluster(clusterId, limit, afterId);
  }

  /** The latest snapshot captured at or before `time` (ties: the later upload), or null. */
  atForCluster(clusterId: string, time: Date): Promise<SnapshotEntity | null> {
    return this.snapshots.findAtForCluster(clusterId, time);
  }

  countForCluster(clusterId: string): Promise<number> {
    return this.snapshots.countForCluster(clusterId);
  }
}
