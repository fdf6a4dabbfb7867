import { Module } from '@nestjs/common';
import { ClustersModule } from '../clusters/clusters.module.js';
import { SnapshotObjectsModule } from '../snapshots/objects/snapshot-objects.module.js';
import { SnapshotsModule } from '../snapshots/snapshots.module.js';
import { InventoryPointResolver, InventoryResolver } from './inventory.resolver.js';

@Module({ imports: [ClustersModule, SnapshotsModule, SnapshotObjectsModule], providers: [InventoryResolver, InventoryPointResolver] })
export class InventoryModule {}
