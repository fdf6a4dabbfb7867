import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { badUserInput, notFound } from '../graphql/errors.js';
import { Snapshot } from './snapshot.model.js';
import { toSnapshotModel } from './snapshot-views.js';
import { SnapshotsService } from './snapshots.service.js';

@Resolver(() => Snapshot)
export class SnapshotsResolver {
  constructor(private readonly snapshots: SnapshotsService) {}

  @Query(() => Snapshot, { nullable: true, description: 'A snapshot by id; NOT_FOUND when there is none.' })
  async snapshot(@Args('id', { type: () => ID }) id: string): Promise<Snapshot> {
    if (!this.snapshots.isSnapshotId(id)) throw badUserInput(`snapshot id must be a UUID, got ${JSON.stringify(id)}`, { argument: 'id' });
    const entity = await this.snapshots.findById(id);
    if (!entity) throw notFound(`snapshot ${id} not found`);
    return toSnapshotModel(entity);
  }
}
