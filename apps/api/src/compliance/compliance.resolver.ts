// GraphQL: lint(snapshotId), generateReport, reports(cluster), report(id) with controls and paged evidence,
// saveIntents / intents (versioned per cluster), setComplianceProfile.
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { mapAnalysisErrors } from '../analysis/analysis-errors.js';
import { AnalysisService } from '../analysis/analysis.service.js';
import { AuditService } from '../audit/audit.service.js';
import { Requires } from '../auth/permission.guard.js';
import { ClustersService } from '../clusters/clusters.service.js';
import { connectionFromRows } from '../graphql/connection.js';
import { decodeCursor, encodeCursor } from '../graphql/cursor.js';
import { assertUnpagedCount, badUserInput, MAX_UNPAGED_ITEMS, notFound } from '../graphql/errors.js';
import { PageArgs, validateArgs } from '../graphql/page-args.js';
import {
  ComplianceProfile,
  ComplianceReportConnection,
  ComplianceReportRecord,
  EvidenceRow,
  EvidenceRowConnection,
  IntentsCheck,
  LintFinding,
  LintFindingConnection,
  LintFindingsPageArgs,
  LintResult,
  ReportChanges,
  ReportControl,
  SegmentationIntentsVersion,
} from './compliance.models.js';
import { toLintFinding, toReportRecord } from './compliance-views.js';
import { IntentsService } from './intents.service.js';
import { ProfilesService } from './profiles.service.js';
import { ReportsService } from './reports.service.js';
import { CNI_PROFILE_NOTE_DESCRIPTION } from '../analysis/cni-profile-answer.js';

@Resolver()
export class ComplianceResolver {
  constructor(
    private readonly reportsService: ReportsService,
    private readonly intents: IntentsService,
    private readonly clusters: ClustersService,
    private readonly profiles: ProfilesService,
    private readonly audit: AuditService,
  ) {}

  @Query(() => LintResult, { description: 'Lint findings of a snapshot (rules decided from computed reachability).' })
  async lint(@Args('snapshotId', { type: () => ID }) snapshotId: string): Promise<LintResult> {
    const { source, errors, warnings, info, rules, namespaces, cniProfile, cniProfileNote } = await this.reportsService.lint(snapshotId);
    return { source, errors, warnings, info, rules, namespaces, cniProfile, ...(cniProfileNote ? { cniProfileNote } : {}) };
  }

  @Query(() => IntentsCheck, { description: 'A snapshot against a stored intents version: each violation a concrete allowed connection with the rules that allow it.' })
  async intentsCheck(
    @Args('snapshotId', { type: () => ID }) snapshotId: string,
    @Args('intentsId', { type: () => ID }) intentsId: string,
  ): Promise<IntentsCheck> {
    const result = await this.reportsService.checkIntents(snapshotId, intentsId);
    return {
      passed: result.passed,
      at: result.at,
      checked: result.checked,
      conforming: result.conforming,
      violations: result.violations.map((v) => ({ src: v.src, dst: v.dst, srcZone: v.srcZone, dstZone: v.dstZone, ports: v.ports, rules: v.rules.map((r) => ({ ...r })), allowedBy: v.allowedBy })),
      exceptionsApplied: result.exceptionsApplied.map((e) => ({ ...e })),
      expiredExceptions: result.expiredExceptions.map((e) => ({ ...e, connections: 0 })),
      cniProfile: result.cniProfile,
      ...(result.cniProfileNote === undefined ? {} : { cniProfileNote: result.cniProfileNote }),
    };
  }

  @Mutation(() => ComplianceReportRecord, { description: 'Generates, signs and stores a report (evidence: never updated).' })
  @Requires('report')
  async generateReport(
    @Args('snapshotId', { type: () => ID }) snapshotId: string,
    @Args('framework', { description: 'pci-dss-4.0, soc2, cis, iso27001 or nist-800-53.' }) framework: string,
    @Args('intentsId', { type: () => ID, nullable: true, description: 'A stored intents version; without it the CDE is pci=cde namespaces.' })
    intentsId?: string | null,
  ): Promise<ComplianceReportRecord> {
    const stored = await this.reportsService.generate(snapshotId, framework, intentsId);
    await this.audit.record({ action: 'report.generate', target: stored.id, details: { framework, snapshotId: stored.snapshotId, reportSha256: stored.reportSha256 } });
    return toReportRecord(stored, await this.reportsService.viewOf(stored));
  }

  @Query(() => ComplianceReportRecord, { nullable: true, description: 'A stored report; NOT_FOUND when there is none.' })
  async report(@Args('id', { type: () => ID }) id: string): Promise<ComplianceReportRecord> {
    const found = await this.reportsService.findById(id);
    if (!found) throw notFound(`report ${id} not found`);
    return toReportRecord(found, await this.reportsService.viewOf(found));
  }

  @Query(() => ComplianceReportConnection, { description: 'Reports of a cluster, newest first.' })
  async reports(@Args('cluster') cluster: string, @Args(validateArgs) page: PageArgs): Promise<ComplianceReportConnection> {
    const found = await this.clusters.findByName(cluster);
    if (!found) throw notFound(`cluster ${cluster} not found`);
    const afterSeq = page.after ? decodeCursor('report', page.after) : undefined;
    if (afterSeq !== undefined && !/^\d+$/.test(afterSeq)) throw badUserInput('invalid report cursor', { argument: 'after' });
    const [rows, total] = await Promise.all([this.reportsService.page(found.id, page.first + 1, afterSeq), this.reportsService.count(found.id)]);
    const connection = connectionFromRows(rows, page.first, total, (r) => encodeCursor('report', r.seq));
    const views = await Promise.all(connection.edges.map((e) => this.reportsService.viewOf(e.node)));
    return { ...connection, edges: connection.edges.map((e, i) => ({ cursor: e.cursor, node: toReportRecord(e.node, views[i]) })) };
  }

  @Requires('admin')
  @Mutation(() => SegmentationIntentsVersion, { description: 'Stores a new version of a cluster\'s SegmentationIntents (BAD_USER_INPUT with located issues).' })
  async saveIntents(@Args('cluster') cluster: string, @Args('content', { description: 'The YAML document.' }) content: string): Promise<SegmentationIntentsVersion> {
    const saved = await this.intents.save(cluster, content);
    await this.audit.record({ action: 'intents.save', target: cluster, details: { version: saved.version, sha256: saved.sha256 } });
    return saved;
  }

  @Query(() => [SegmentationIntentsVersion], { description: 'Every version of a cluster\'s intents, newest first.' })
  async intentsVersions(@Args('cluster') cluster: string): Promise<SegmentationIntentsVersion[]> {
    const found = await this.clusters.findByName(cluster);
    if (!found) throw notFound(`cluster ${cluster} not found`);
    return this.intents.forCluster(found.id);
  }

  @Requires('admin')
  @Mutation(() => ComplianceProfile, { description: 'Frameworks (and intents) to report on for every new snapshot of the cluster; a change is a new version.' })
  async setComplianceProfile(
    @Args('cluster') cluster: string,
    @Args('frameworks', { type: () => [String] }) frameworks: string[],
    @Args('intentsId', { type: () => ID, nullable: true }) intentsId?: string | null,
  ): Promise<ComplianceProfile> {
    const profile = await this.profiles.set(cluster, frameworks, intentsId ?? null);
    await this.audit.record({ action: 'compliance-profile.set', target: cluster, details: { frameworks, intentsId: intentsId ?? null } });
    return profile;
  }
}

@Resolver(() => ComplianceReportRecord)
export class ReportProfileResolver {
  constructor(private readonly analyses: AnalysisService) {}

  @ResolveField(() => String, {
    description:
      "The CNI profile the report was generated under: the cluster's choice recorded in the signed report (`snapshot.cniProfile`), else the one its content implies.",
  })
  async cniProfile(@Parent() report: ComplianceReportRecord): Promise<string> {
    return report.recordedCniProfile ?? mapAnalysisErrors(() => this.analyses.cniProfile(report.snapshotSha256, {}));
  }

  @ResolveField(() => String, { nullable: true, description: `${CNI_PROFILE_NOTE_DESCRIPTION} (Never for a recorded choice.)` })
  async cniProfileNote(@Parent() report: ComplianceReportRecord): Promise<string | null> {
    if (report.recordedCniProfile) return null;
    return (await mapAnalysisErrors(() => this.analyses.cniProfileAnswer(report.snapshotSha256, {}))).cniProfileNote ?? null;
  }
}

@Resolver(() => ReportControl)
export class ReportControlResolver {
  constructor(private readonly reports: ReportsService) {}

  @ResolveField(() => EvidenceRowConnection, { description: 'The evidence rows of the control, in report order.' })
  async evidence(@Parent() control: ReportControl, @Args(validateArgs) page: PageArgs): Promise<EvidenceRowConnection> {
    const start = page.after ? Number(decodeCursor('evidence', page.after)) + 1 : 0;
    if (!Number.isInteger(start) || start < 0) throw badUserInput('invalid evidence cursor', { argument: 'after' });
    // One row past the page tells whether there is a next one; none is read past the control's count.
    const wanted = Math.min(page.first + 1, Math.max(0, control.evidenceCount - start));
    const read = wanted === 0 ? [] : await this.reports.rows(control.reportId, { control: control.id, start, count: wanted });
    const rows = read.map((row, i) => ({ row, index: start + i }));
    const connection = connectionFromRows(rows, page.first, control.evidenceCount, (r) => encodeCursor('evidence', String(r.index)));
    return { ...connection, edges: connection.edges.map((e) => ({ cursor: e.cursor, node: e.node.row })) };
  }
}

@Resolver(() => ReportChanges)
export class ReportChangesResolver {
  constructor(private readonly reports: ReportsService) {}

  @ResolveField(() => [EvidenceRow])
  newViolations(@Parent() changes: ReportChanges): Promise<EvidenceRow[]> {
    return this.reports.rows(changes.reportId, { changes: 'newViolations' });
  }

  @ResolveField(() => [EvidenceRow])
  resolvedViolations(@Parent() changes: ReportChanges): Promise<EvidenceRow[]> {
    return this.reports.rows(changes.reportId, { changes: 'resolvedViolations' });
  }
}

@Resolver(() => LintResult)
export class LintResultResolver {
  constructor(private readonly reportsService: ReportsService) {}

  @ResolveField(() => [LintFinding], {
    description: `Every finding, in the lint's order, when there are at most ${MAX_UNPAGED_ITEMS} (more: TOO_MANY_ITEMS; a 50k-pod snapshot has ~17k, 74 MB): pages are \`findingsPage\`.`,
  })
  async findings(@Parent() lint: LintResult): Promise<LintFinding[]> {
    const count = lint.errors + lint.warnings + lint.info;
    assertUnpagedCount('lint.findings', count, 'lint.findingsPage(first, after)');
    const { findings } = await this.reportsService.lintFindings(lint.source, { order: 'lint', start: 0, count });
    return findings.map(toLintFinding);
  }

  @ResolveField(() => LintFindingConnection, {
    description: 'The findings the filters select (every given one must hold), errors first, then warnings and info, by rule; paged.',
  })
  async findingsPage(@Parent() lint: LintResult, @Args(validateArgs) args: LintFindingsPageArgs): Promise<LintFindingConnection> {
    const start = args.after ? Number(decodeCursor('finding', args.after)) + 1 : 0;
    if (!Number.isInteger(start) || start < 0) throw badUserInput('invalid finding cursor', { argument: 'after' });
    // One more than the page: whether there is a next page.
    const page = await this.reportsService.lintFindings(lint.source, { order: 'reading', start, count: args.first + 1, severity: args.severity, rule: args.rule, namespace: args.namespace });
    const rows = page.findings.map((finding, i) => ({ index: start + i, finding }));
    const connection = connectionFromRows(rows, args.first, page.total, (r) => encodeCursor('finding', String(r.index)));
    return { ...connection, edges: connection.edges.map((e) => ({ cursor: e.cursor, node: toLintFinding(e.node.finding) })) };
  }
}
