// Cluster.complianceProfile and Cluster.latestReports: what the dashboard's inventory and compliance page read
// (the current profile, and the last result per framework) without paging through every report.
import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { FRAMEWORK_IDS } from '@netpol-atlas/engine';
import { Cluster } from '../clusters/cluster.model.js';
import { ComplianceProfile, ComplianceReportRecord } from './compliance.models.js';
import { toReportRecord } from './compliance-views.js';
import { ProfilesService } from './profiles.service.js';
import { ReportsService } from './reports.service.js';

@Resolver(() => Cluster)
export class ClusterComplianceResolver {
  constructor(
    private readonly profiles: ProfilesService,
    private readonly reports: ReportsService,
  ) {}

  @ResolveField(() => ComplianceProfile, { nullable: true, description: 'The current compliance profile (see setComplianceProfile); null when none was set.' })
  complianceProfile(@Parent() cluster: Cluster): Promise<ComplianceProfile | null> {
    return this.profiles.latest(cluster.id);
  }

  @ResolveField(() => [ComplianceReportRecord], { description: 'The newest report of each framework that has one, sorted by framework.' })
  async latestReports(@Parent() cluster: Cluster): Promise<ComplianceReportRecord[]> {
    // One query per known framework (five), each reading one row.
    const newest = (await Promise.all([...FRAMEWORK_IDS].sort().map((framework) => this.reports.page(cluster.id, 1, undefined, framework)))).flatMap((rows) => rows.slice(0, 1));
    const views = await Promise.all(newest.map((report) => this.reports.viewOf(report)));
    return newest.map((report, i) => toReportRecord(report, views[i]));
  }
}
