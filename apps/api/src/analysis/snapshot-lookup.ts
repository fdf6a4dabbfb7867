// The content hash behind a snapshot id, with the API's typed errors.
import { Injectable } from '@nestjs/common';
import { badUserInput, notFound } from '../graphql/errors.js';
import { SnapshotsService } from '../snapshots/snapshots.service.js';

@Injectable()
export class SnapshotLookup {
  constructor(private readonly snapshots: SnapshotsService) {}

  /** BAD_USER_INPUT when not a UUID, NOT_FOUND when absent. */
  async contentSha256(snapshotId: string): Promise<string> {
    if (!this.snapshots.isSnapshotId(snapshotId)) {
      throw badUserInput(`snapshot id must be a UUID, got ${JSON.stringify(snapshotId)}`, { argument: 'snapshotId' });
    }
    const snapshot = await this.snapshots.findById(snapshotId);
    if (!snapshot) throw notFound(`snapshot ${snapshotId} not found`);
    return snapshot.contentSha256;
  }
}
