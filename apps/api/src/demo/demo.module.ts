import { Module } from '@nestjs/common';
import { ComplianceModule } from '../compliance/compliance.module.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { SnapshotsModule } from '../snapshots/snapshots.module.js';
import { DemoDataService } from './demo-data.service.js';

@Module({ imports: [IngestModule, ComplianceModule, SnapshotsModule], providers: [DemoDataService] })
export class DemoModule {}
