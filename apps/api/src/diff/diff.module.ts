import { Module } from '@nestjs/common';
import { AnalysisModule } from '../analysis/analysis.module.js';
import { SnapshotsModule } from '../snapshots/snapshots.module.js';
import { DiffController } from './diff.controller.js';
import { DiffResolver, StagedWhatIfResolver } from './diff.resolver.js';
import { DiffService } from './diff.service.js';

/** Snapshot diffs, what-if of proposed YAML and of a snapshot's staged policies, with causes. */
@Module({ imports: [AnalysisModule, SnapshotsModule], controllers: [DiffController], providers: [DiffService, DiffResolver, StagedWhatIfResolver] })
export class DiffModule {}
