// Compliance reports as evidence: generated from a stored snapshot (and optionally a stored intents version),
// stored once as canonical JSON (JCS) with its SHA-256 and an Ed25519 signature over the row's manifest, never
// updated (database triggers), never recomputed in place: a new engine version makes a new report.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  canonicalJson,
  cdeIntents,
  frameworkById,
  FRAMEWORK_IDS,
  type IntentsCheckResult,
  type LintFormat,
  type SegmentationIntents,
} from '@netpol-atlas/engine';
import { mapAnalysisErrors } from '../analysis/analysis-errors.js';
import { AnalysisService } from '../analysis/analysis.service.js';
import { BoundedCache, cachedTask } from '../analysis/bounded-cache.js';
import { ENGINE_VERSION } from '../analysis/engine-versions.js';
import { clusterEngineOptions, type AnalysisInput } from '../analysis/snapshot-lookup.js';
import { ClustersService } from '../clusters/clusters.service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { ReportSource } from '../snapshots/content-source.js';
import type { StoredReportFields } from './stored-report.js';
import { badUserInput, notFound } from '../graphql/errors.js';
import type { SnapshotEntity } from '../snapshots/snapshot.entity.js';
import { SnapshotsService } from '../snapshots/snapshots.service.js';
import { ComplianceRepository, type StoredReportMeta } from './compliance.repository.js';
import { rowPagesOf, rowsFromPages, type ReportRow, type ReportRowsRequest, type ReportView } from './report-view.js';
import { IntentsService, type StoredIntents } from './intents.service.js';
import { RenderPool } from './render-pool.js';
import type { RenderedReportFormat } from './render-thread.js';
import { SigningKeyService } from './signing-key.service.js';
import type { CniProfileAnswer } from '../analysis/cni-profile-answer.js';
import type { LintFindings, LintFindingsQuery, LintSummary } from './lint-view.js';

export type { StoredReportMeta } from './compliance.repository.js';

/** A lint download's body (UTF-8) and the profile that produced it. */
export interface LintText extends CniProfileAnswer {
  readonly text: Uint8Array;
}

/** A lint's counts and filter choices with the CNI profile whose semantics produced them (and its note), and where
 *  its findings are asked for (lintFindings). */
export interface ProfiledLint extends LintSummary, CniProfileAnswer {
  readonly source: LintSource;
}

/** A snapshot's lint as its model thread holds it: content, engine options and judging time. */
export interface LintSource {
  readonly sha: string;
  readonly options: AnalysisInput['options'];
  readonly at: string;
}

/** A stored snapshot's analysis input: its content under its cluster's CNI profile (read with the snapshot). */
function analysisInputOf(snapshot: SnapshotEntity): AnalysisInput {
  return { sha: snapshot.contentSha256, options: clusterEngineOptions(snapshot.cluster?.cni) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export { signedRowManifest } from './stored-report.js';

@Injectable()
export class ReportsService {
  /** Lint summaries per content + CNI profile + capture time (the findings stay in the model threads). */
  private readonly lintCache = new BoundedCache<Promise<ProfiledLint>>(64, 4 * 1024 * 1024);
  /** The same as download bodies, per format (charged their bytes). */
  private readonly lintTextCache = new BoundedCache<Promise<LintText>>(16, 64 * 1024 * 1024);
  /** Views being computed for reports stored without one (viewOf). */
  private readonly pendingViews = new Map<string, Promise<string>>();

  constructor(
    private readonly store: ComplianceRepository,
    private readonly snapshots: SnapshotsService,
    private readonly clusters: ClustersService,
    private readonly analyses: AnalysisService,
    private readonly intents: IntentsService,
    private readonly keys: SigningKeyService,
    private readonly render: RenderPool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async snapshotOf(snapshotId: string): Promise<SnapshotEntity> {
    if (!this.snapshots.isSnapshotId(snapshotId)) throw badUserInput(`snapshot id must be a UUID, got ${JSON.stringify(snapshotId)}`, { argument: 'snapshotId' });
    const snapshot = await this.snapshots.findById(snapshotId.toLowerCase());
    if (!snapshot) throw notFound(`snapshot ${snapshotId} not found`);
    return snapshot;
  }

  /**
   * The lint of a stored snapshot, judged at its capture time: its counts and filter choices. The lint itself stays in
   * the snapshot's model thread (model-computations.ts, linted once per model and time); its findings are asked for
   * a page at a time (lintFindings). Summaries are cached per content and capture time, after the tenant check.
   */
  async lint(snapshotId: string): Promise<ProfiledLint> {
    const snapshot = await this.snapshotOf(snapshotId);
    const { sha, options } = analysisInputOf(snapshot);
    const source: LintSource = { sha, options, at: snapshot.capturedAt.toISOString() };
    return cachedTask(
      this.lintCache,
      `${sha}|${canonicalJson(options)}|${source.at}`,
      async () => ({ ...(await mapAnalysisErrors(() => this.analyses.compute<LintSummary & CniProfileAnswer>([{ sha, options }], { name: 'lintSummary', at: source.at }))), source }),
      ({ rules, namespaces }) => 1_000 + 100 * (rules.length + namespaces.length),
    );
  }

  /** Findings of a lint (from `lint`: the tenant was checked there), computed in its model thread. */
  lintFindings(source: LintSource, query: LintFindingsQuery): Promise<LintFindings> {
    return mapAnalysisErrors(() => this.analyses.compute<LintFindings>([{ sha: source.sha, options: source.options }], { name: 'lintFindings', at: source.at, query }));
  }

  /** The lint of a snapshot as `netpol lint -o FORMAT` prints it (UTF-8), formatted in its model thread: a download of
   *  thousands of findings was ~20–50 ms of formatting and encoding on the event loop. Kept per format as the lint is. */
  async lintText(snapshotId: string, format: LintFormat): Promise<LintText> {
    const snapshot = await this.snapshotOf(snapshotId);
    const { sha, options } = analysisInputOf(snapshot);
    return cachedTask(
      this.lintTextCache,
      `${sha}|${canonicalJson(options)}|${snapshot.capturedAt.toISOString()}|${format}`,
      () => mapAnalysisErrors(() => this.analyses.compute<LintText>([{ sha, options }], { name: 'lintText', at: snapshot.capturedAt.toISOString(), format })),
      ({ text }) => text.byteLength,
    );
  }

  /** A stored snapshot against a stored intents version, exception expiries judged at the capture time. */
  async checkIntents(snapshotId: string, intentsId: string): Promise<IntentsCheckResult & CniProfileAnswer> {
    const snapshot = await this.snapshotOf(snapshotId);
    const stored = await this.intents.findById(intentsId);
    if (!stored || stored.clusterId !== snapshot.clusterId) throw notFound(`intents ${intentsId} of the snapshot's cluster not found`);
    const intents = this.intents.parse(stored);
    const { sha, options } = analysisInputOf(snapshot);
    return mapAnalysisErrors(() =>
      this.analyses.compute<IntentsCheckResult & CniProfileAnswer>([{ sha, options }], { name: 'checkIntents', intents, at: snapshot.capturedAt.toISOString() }),
    );
  }

  async generate(snapshotId: string, framework: string, intentsId?: string | null): Promise<StoredReportMeta> {
    if (!frameworkById(framework)) throw badUserInput(`unknown framework ${JSON.stringify(framework)} (one of ${FRAMEWORK_IDS.join(', ')})`, { argument: 'framework' });
    const snapshot = await this.snapshotOf(snapshotId);
    const cluster = await this.clusters.findById(snapshot.clusterId);
    if (!cluster) throw new Error(`cluster ${snapshot.clusterId} of snapshot ${snapshot.id} is missing`);
    let stored: StoredIntents | null = null;
    if (intentsId) {
      stored = await this.intents.findById(intentsId);
      if (!stored || stored.clusterId !== cluster.id) throw notFound(`intents ${intentsId} of cluster ${cluster.name} not found`);
    }
    const intents: SegmentationIntents = stored ? this.intents.parse(stored) : (cdeIntents() as SegmentationIntents);
    const previous = await this.store.latestReportOnBasis(cluster.id, framework, stored !== null);
    const id = randomUUID();
    const generatedAt = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    const { sha, options } = analysisInputOf(snapshot);
    const key = await this.keys.key();
    // Built, signed and stored in the snapshot's model thread (model-computations.ts), never on the event loop.
    await mapAnalysisErrors(() =>
      this.analyses.compute<StoredReportFields>([{ sha, options }], {
        name: 'report',
        input: {
          framework,
          intents,
          declared: stored !== null,
          ...(stored ? { intentsVersion: String(stored.version) } : {}),
          generatedAt,
          engineVersion: String(ENGINE_VERSION),
          snapshotInfo: {
            id: snapshot.id,
            cluster: cluster.name,
            contentSha256: snapshot.contentSha256,
            capturedAt: snapshot.capturedAt.toISOString(),
            // Recorded when the cluster chose a profile; without one the content implies it (as `netpol report` does,
            // so a CLI report of the same content stays the same bytes).
            ...(options.cni !== undefined ? { cniProfile: options.cni } : {}),
          },
          // "What changed" since the previous report: its stored text, read and parsed in the model thread, not here.
          ...(previous ? { previous: { id: previous.id, reportFrom: this.reportSource(previous.id) } } : {}),
          // Signed and stored by the model thread, on its own connection to the primary (stored-report.ts).
          store: {
            primaryUrl: this.config.databaseUrl,
            row: { id, clusterId: cluster.id, snapshotId: snapshot.id, snapshotSha256: snapshot.contentSha256, intentsId: stored?.id ?? null, intentsVersion: stored?.version ?? null, generatedAt },
            signingKey: { id: key.id, privateKey: key.privateKey },
          },
        },
      }),
    );
    return (await this.store.findReport(id)) as StoredReportMeta;
  }

  /** A report, without its canonical JSON (GraphQL reads its view and `rows`; downloads are read by render threads). */
  async findById(id: string): Promise<StoredReportMeta | null> {
    if (!UUID.test(id)) throw badUserInput(`report id must be a UUID, got ${JSON.stringify(id)}`, { argument: 'id' });
    return this.store.findReport(id.toLowerCase());
  }

  /** Newest first; `afterSeq` continues a page. */
  page(clusterId: string, limit: number, afterSeq?: string, framework?: string): Promise<StoredReportMeta[]> {
    return this.store.reportPage(clusterId, limit, afterSeq, framework);
  }

  /**
   * A report's view (report-view.ts): the stored one, else (a report stored before views of this layout were) computed
   * from the report with its row pages and stored by a render thread, once however many requests ask at the same time.
   */
  async viewOf(report: StoredReportMeta): Promise<ReportView> {
    if (report.viewJson !== null) return JSON.parse(report.viewJson) as ReportView;
    let pending = this.pendingViews.get(report.id);
    if (!pending) {
      pending = this.render.reportView(this.reportSource(report.id)).finally(() => this.pendingViews.delete(report.id));
      this.pendingViews.set(report.id, pending);
    }
    return JSON.parse(await pending) as ReportView;
  }

  /**
   * Rows of a report GraphQL pages through (a control's evidence, the changes' lists): the stored pages they cover
   * (`report_row_pages`, written with the view the caller resolved the report's controls from), never the report.
   */
  async rows(reportId: string, request: ReportRowsRequest): Promise<ReportRow[]> {
    const { list, from, to } = rowPagesOf(request);
    return rowsFromPages(request, await this.store.rowPages(reportId, list, from, to));
  }

  /** Where a thread reads a report it works on (content-source.ts): a report's canonical JSON is tens of MB at 50k
   *  pods, read from PostgreSQL and copied to a thread in blocks of hundreds of milliseconds on the event loop. Only
   *  for a report this request has found (its tenant may see it). */
  private reportSource(reportId: string): ReportSource {
    return { reportId, primaryUrl: this.config.databaseUrl, ...(this.config.databaseReadUrls ? { replicaUrls: this.config.databaseReadUrls } : {}) };
  }

  count(clusterId: string): Promise<number> {
    return this.store.countReports(clusterId);
  }

  async evidencePack(report: StoredReportMeta): Promise<Uint8Array> {
    const stored = report.intentsId ? await this.intents.findById(report.intentsId) : null;
    const intents = stored ? this.intents.parse(stored) : (cdeIntents() as SegmentationIntents);
    // The evidence is recomputed under the profile the report recorded, not the cluster's current one (a report
    // from before profiles were recorded ran with the profile its content implies: no options). Read in a render
    // thread: the report's JSON is MiBs at 10k pods.
    const header = await this.render.reportHeader(this.reportSource(report.id));
    const options = clusterEngineOptions(header.cniProfile);
    const generatedAt = header.generatedAt;
    // The files read from the model and analysis are computed in its model thread; the report's formats, the sums,
    // the signature and the zip in a render thread (render-pool.ts): nothing of it on the event loop.
    const analysisFiles = await this.analyses.compute<Map<string, Uint8Array>>([{ sha: report.snapshotSha256, options }], { name: 'evidenceFiles', intents, generatedAt });
    const key = await this.keys.key();
    return this.render.evidencePack({
      reportId: report.id,
      // Read by the render thread too.
      reportFrom: this.reportSource(report.id),
      reportSha256: report.reportSha256,
      snapshotId: report.snapshotId,
      snapshotSha256: report.snapshotSha256,
      // Read by the render thread itself (content-source.ts): 10–60 MB never pass through the event loop.
      snapshotContentFrom: this.analyses.contentSourceOf(report.snapshotSha256),
      analysisFiles,
      intents,
      ...(stored ? { intentsText: stored.content, intentsVersion: stored.version } : {}),
      signingKey: { fingerprint: key.fingerprint, publicKeyPem: key.publicKeyPem, privateKey: key.privateKey },
    });
  }

  /** A stored report in a download format, rendered in a render thread (a PDF of thousands of evidence rows takes seconds). */
  rendered(report: StoredReportMeta, format: RenderedReportFormat | 'json'): Promise<Uint8Array> {
    // The stored JSON as it is: read by a render thread, which hands its bytes over without a copy.
    if (format === 'json') return this.render.reportJson(this.reportSource(report.id));
    return this.render.report(this.reportSource(report.id), format);
  }
}
