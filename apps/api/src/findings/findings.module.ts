import { Module } from '@nestjs/common';
import { ComplianceModule } from '../compliance/compliance.module.js';
import { SnapshotsModule } from '../snapshots/snapshots.module.js';
import { LintController } from './lint.controller.js';

/** Lint findings of a snapshot as downloads (json, SARIF, text) for the dashboard's Findings page. */
@Module({ imports: [ComplianceModule, SnapshotsModule], controllers: [LintController] })
export class FindingsModule {}
