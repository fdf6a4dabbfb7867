import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SnapshotsRepository } from '../snapshots.repository.js';
import { normaliseSnapshot, objectsFromContent } from './snapshot-objects.js';
import { SnapshotObjectsRepository } from './snapshot-objects.repository.js';

/**
 * Contents stored before the normalised objects tables existed get their objects at start (each in its own
 * transaction, under the same per-content lock as ingest), so every snapshot's lists read from the tables.
 */
@Injectable()
export class SnapshotObjectsBackfillService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SnapshotObjectsBackfillService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly snapshots: SnapshotsRepository,
    private readonly objects: SnapshotObjectsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const missing = await this.objects.contentsWithoutObjects();
    for (const sha256 of missing) {
      const content = await this.snapshots.content(sha256);
      if (!content) continue;
      const objects = normaliseSnapshot(objectsFromContent(content));
      await this.db.transaction(async (tx) => {
        await this.snapshots.lockContent(tx, sha256);
        if (!(await this.objects.counts(sha256, tx))) await this.objects.insert(tx, sha256, objects);
      });
    }
    if (missing.length > 0) this.logger.log(`stored the normalised objects of ${missing.length} earlier content(s)`);
  }
}
