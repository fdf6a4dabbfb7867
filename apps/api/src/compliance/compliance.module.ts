// The compliance feature (issue 10): lint, intents, reports as signed evidence, evidence packs, profiles.
import { Module } from '@nestjs/common';
import { AnalysisModule } from '../analysis/analysis.module.js';
import { ClustersModule } from '../clusters/clusters.module.js';
import { SnapshotsModule } from '../snapshots/snapshots.module.js';
import { ClusterComplianceResolver } from './cluster-compliance.resolver.js';
import { ComplianceRepository } from './compliance.repository.js';
import { ComplianceResolver, LintResultResolver, ReportChangesResolver, ReportControlResolver, ReportProfileResolver } from './compliance.resolver.js';
import { IntentsService } from './intents.service.js';
import { ProfilesService } from './profiles.service.js';
import { ReportsController } from './reports.controller.js';
import { RenderPoolModule } from './render-pool.js';
import { ReportsService } from './reports.service.js';
import { SigningKeyService } from './signing-key.service.js';

@Module({
  // The render threads (RenderPoolModule): report downloads and evidence packs are rendered there, never on the event loop.
  imports: [SnapshotsModule, ClustersModule, AnalysisModule, RenderPoolModule],
  controllers: [ReportsController],
  providers: [ComplianceRepository, SigningKeyService, IntentsService, ReportsService, ProfilesService, ComplianceResolver, ReportControlResolver, ReportChangesResolver, LintResultResolver, ReportProfileResolver, ClusterComplianceResolver],
  // Ingest runs the profiled reports of a new snapshot; the demo saves its intents and profile.
  exports: [IntentsService, ProfilesService, ReportsService],
})
export class ComplianceModule {}
