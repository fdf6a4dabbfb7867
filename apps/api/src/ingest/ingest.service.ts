import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  limitIssues,
  parseManifests,
  projectObject,
  SYNTAX_ISSUE_CODES,
  type Issue,
  type CniProfileName,
  type SourceDocument,
} from '@netpol-atlas/engine';
import type { DataSource, EntityManager } from 'typeorm';
import { clusterEngineOptions } from '../analysis/snapshot-lookup.js';
import { AuditService } from '../audit/audit.service.js';
import { canSeeTenant, currentPrincipal, homeTenant } from '../auth/principal.js';
import { ClustersRepository } from '../clusters/clusters.repository.js';
import { ProfilesService } from '../compliance/profiles.service.js';
import { enqueueAnalysis, enqueueClusterAnalyses } from '../jobs/analysis-jobs.js';
import { Metrics } from '../metrics/metrics.service.js';
import { SnapshotObjectsRepository } from '../snapshots/objects/snapshot-objects.repository.js';
import type { SnapshotCounts } from '../snapshots/snapshot-counts.js';
import { SnapshotsRepository } from '../snapshots/snapshots.repository.js';
import { IngestRejectedError, issueBody, type IssueBody } from './ingest-errors.js';
import { prepareUpload, takeContentBytes, type PreparedUpload } from './prepared-upload.js';

/** Where an upload goes and how it came. */
export interface IngestTarget {
  readonly cluster: string;
  /** Default: the upload time. */
  readonly capturedAt?: Date;
  /** How it arrived: `rest`, `demo`. */
  readonly source: string;
  /** The CNI `netpol collect` detected: the cluster's CNI unless a user chose one. */
  readonly detectedCni?: CniProfileName;
}

export interface IngestRequest extends IngestTarget {
  /** Texts to parse (YAML, multi-document or a List, or JSON); `path` is the `file` named in issues. */
  readonly documents: readonly SourceDocument[];
}


export interface IngestResult {
  readonly id: string;
  readonly cluster: string;
  readonly capturedAt: string;
  readonly contentSha256: string;
  readonly deduplicated: boolean;
  readonly counts: SnapshotCounts;
  /** Warnings (e.g. skipped documents of kinds analysis does not use). */
  readonly warnings: readonly IssueBody[];
}

/** Uploads with at least this many objects log how long each stage took. */
const LOG_STAGES_FROM = 10_000;

@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clusters: ClustersRepository,
    private readonly snapshots: SnapshotsRepository,
    private readonly objects: SnapshotObjectsRepository,
    private readonly audit: AuditService,
    private readonly profiles: ProfilesService,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Validates everything first, then writes cluster, content and snapshot in one transaction (all or nothing):
   * a new one, or the caller's `manager` when it already runs one.
   */
  async ingest(request: IngestRequest, manager?: EntityManager): Promise<IngestResult> {
    const started = performance.now();
    const parsed = parseManifests(request.documents);
    this.rejectUnusable(parsed.issues, parsed.objects.length);
    const prepared = prepareUpload(
      parsed.objects.map((item) => projectObject(item.object)),
      parsed.issues,
    );
    return this.store(request, prepared, performance.now() - started, manager);
  }

  /**
   * Stores an upload parsed and prepared elsewhere (the REST body, streamed; its content and normalised objects
   * derived in the parse worker): same checks, same content and transaction. `parseMs` is how long the parse and
   * preparation took, for the stage log.
   */
  async ingestParsed(target: IngestTarget, prepared: PreparedUpload, parseMs: number, manager?: EntityManager): Promise<IngestResult> {
    try {
      this.rejectUnusable(prepared.issues, prepared.objectCount);
      return await this.store(target, prepared, parseMs, manager);
    } finally {
      // Stored, refused or failed: rows still being derived are not needed any more.
      prepared.normalised?.dismiss();
    }
  }

  /** Any error, or no object analysis uses, refuses the whole upload (400 unparseable, 413 too many objects, else 422). */
  private rejectUnusable(issues: readonly Issue[], objectCount: number): void {
    const errors = issues.filter((issue) => issue.severity === 'error');
    if (errors.length > 0) {
      const unparseable = errors.some((issue) => SYNTAX_ISSUE_CODES.has(issue.code));
      const tooMany = errors.some((issue) => issue.code === 'OBJECT_LIMIT');
      const shown = limitIssues(issues);
      throw new IngestRejectedError(
        unparseable ? 400 : tooMany ? 413 : 422,
        unparseable ? 'the body cannot be parsed' : tooMany ? 'the body holds too many objects' : 'the manifests are invalid',
        shown.issues.map(issueBody),
        shown.omitted,
      );
    }
    if (objectCount === 0) {
      const issue: Issue = {
        code: 'INVALID_VALUE',
        severity: 'error',
        message: 'the body holds no Kubernetes object that analysis uses',
        document: 0,
        path: '',
      };
      const shown = limitIssues([...issues, issue]);
      throw new IngestRejectedError(422, 'nothing to store', shown.issues.map(issueBody), shown.omitted);
    }
  }

  /** Writes cluster, content and snapshot in one transaction (all or nothing). */
  private async store(request: IngestTarget, parsed: PreparedUpload, parseMs: number, manager?: EntityManager): Promise<IngestResult> {
    const stages: [string, number][] = [['parse+project+hash', Math.round(parseMs)]];
    let mark = performance.now();
    const stage = (name: string) => {
      const now = performance.now();
      stages.push([name, Math.round(now - mark)]);
      mark = now;
    };
    let bytes = takeContentBytes(parsed);
    if (!parsed.content || !parsed.normalised || !bytes) throw new Error('unreachable: an upload that is stored has its content prepared');
    const content = { sha256: parsed.content.sha256, size: bytes.length };
    const normalised = parsed.normalised;
    const id = randomUUID();
    const principal = currentPrincipal();
    let rowsWaitMs: number | undefined;
    // Inside the transaction (milliseconds): the content's INSERT, then the rows' (after waiting for them).
    let contentMs: number | undefined;
    let rowsMs: number | undefined;
    const store = async (tx: EntityManager) => {
      // Uploads of the same content wait for each other here, so its objects are written exactly once.
      await this.snapshots.lockContent(tx, content.sha256);
      const cluster = await this.clusters.idForName(tx, request.cluster, homeTenant(principal));
      // Another tenant's cluster: refused with the same words whether or not it exists elsewhere.
      if (!canSeeTenant(cluster.tenant)) throw new IngestRejectedError(403, `this token may not upload to cluster ${request.cluster}`, []);
      const clusterId = cluster.id;
      let cni = cluster.cni;
      if (request.detectedCni) {
        // User choice wins: the repository takes a detection only where no user set the CNI.
        const adopted = await this.clusters.adoptDetectedCni(tx, clusterId, request.detectedCni);
        if (adopted) {
          cni = request.detectedCni;
          // The cluster's other snapshots are analysed again under the adopted profile, as after setClusterCni.
          await enqueueClusterAnalyses(tx, clusterId, clusterEngineOptions(cni));
          await this.audit.record(
            { action: 'cluster.cni', target: request.cluster, details: { cni, previous: adopted.previous, source: 'collector' } },
            principal,
            tx,
          );
        }
      }
      if (!bytes) throw new Error('unreachable: the content is written once per upload');
      const contentStarted = performance.now();
      const stored = await this.snapshots.insertContentIfAbsent(tx, content.sha256, bytes);
      contentMs = performance.now() - contentStarted;
      // Written (or already stored): not held while the rows are derived.
      bytes = undefined;
      // Analysed by a worker (apps/api/src/jobs) once the upload commits, under the cluster's CNI profile (a content
      // already queued or done for this engine version and profile is not queued again).
      await enqueueAnalysis(tx, content.sha256, clusterEngineOptions(cni));
      // The normalised objects are shared by every upload of one content: written by its first upload only.
      let counts = await this.objects.counts(content.sha256, tx);
      if (!counts) {
        // Derived in the parse worker while the content was written (prepared-upload.ts).
        const waitStarted = performance.now();
        const rows = await normalised.get();
        rowsWaitMs = performance.now() - waitStarted;
        const rowsStarted = performance.now();
        await this.objects.insert(tx, content.sha256, rows);
        rowsMs = performance.now() - rowsStarted;
        counts = rows.counts;
      } else normalised.dismiss();
      // The given time, else the upload's own instant (a capture cannot follow its upload).
      const capturedAt = await this.snapshots.insert(tx, {
        id,
        clusterId,
        capturedAt: request.capturedAt,
        source: request.source,
        contentSha256: content.sha256,
        counts,
        deduplicated: !stored,
        uploadedBy: principal.tokenId ?? null,
        uploadedFrom: principal.remote || null,
      });
      await this.audit.record(
        {
          action: 'snapshot.upload',
          target: id,
          details: { cluster: request.cluster, contentSha256: content.sha256, capturedAt: capturedAt.toISOString(), source: request.source, deduplicated: !stored },
        },
        principal,
        tx,
      );
      return { deduplicated: !stored, counts, capturedAt };
    };
    const { deduplicated, counts, capturedAt } = manager ? await store(manager) : await this.db.transaction(store);
    const inside = [
      contentMs === undefined ? '' : `content INSERT ${Math.round(contentMs)} ms`,
      rowsWaitMs === undefined ? '' : `waited ${Math.round(rowsWaitMs)} ms for the rows`,
      rowsMs === undefined ? '' : `rows INSERT ${Math.round(rowsMs)} ms`,
    ].filter(Boolean);
    stage(`${rowsWaitMs === undefined ? 'store' : 'normalise+store'}${inside.length ? ` (${inside.join(', ')})` : ''}`);
    // Reports over time: a cluster with a compliance profile gets its reports for every new snapshot (once the
    // snapshot is committed; a caller's own transaction is not, and reports on its own).
    if (!manager) {
      const clusterId = (await this.clusters.findByName(request.cluster))?.id;
      if (clusterId) await this.profiles.onNewSnapshot(clusterId, id);
      stage('reports');
    }
    this.metrics.observeIngest(request.source, content.size, stages.reduce((sum, [, ms]) => sum + ms, 0) / 1000);
    if (parsed.objectCount >= LOG_STAGES_FROM) {
      const timings = stages.map(([name, ms]) => `${name} ${ms} ms`).join(', ');
      this.logger.log(`cluster ${request.cluster}: ${parsed.objectCount} objects (${content.size} bytes stored${deduplicated ? ', deduplicated' : ''}): ${timings}`);
    }
    return {
      id,
      cluster: request.cluster,
      capturedAt: capturedAt.toISOString(),
      contentSha256: content.sha256,
      deduplicated,
      counts,
      warnings: limitIssues(parsed.issues).issues.map(issueBody),
    };
  }
}
