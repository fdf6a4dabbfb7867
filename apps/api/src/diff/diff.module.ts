import { Module } from '@nestjs/common';
import { AnalysisModule } from '../analysis/analysis.module.js';
import { SnapshotsModule } from '../snapshots/snapshots.module.js';
import { DiffController } from './diff.controller.js';
import { DiffResolver } from './diff.resolver.js';
import { DiffService } from './diff.service.js';

/** Snapshot diffs and what-if of proposed YAML, with causes. */
@Module({ imports: [AnalysisModule, SnapshotsModule], controllers: [DiffController], providers: [DiffService, DiffResolver] })
export class DiffModule {}
