// The analysis job queue on PostgreSQL (table analysis_jobs, migration 1795737600300): new content is enqueued in
// the ingest transaction; workers (`npm run worker`, or the server itself with NETPOL_JOBS=in-server) claim jobs
// with SKIP LOCKED and run them in the analysis thread pool.
//
// A job runs inside one transaction that holds the job's row lock, writes the results and marks the row done, so:
// - a worker killed mid-job loses its connection; PostgreSQL rolls back, the row is claimable again (no lost job);
// - a job completes once (`completions` counts it), whatever the number of workers and API replicas;
// - a worker alive but stuck is cut off by `idle_in_transaction_session_timeout` (the job timeout).
// Each claim first counts an attempt in its own short transaction, so a job that kills its worker every time
// (out of memory) is given up after MAX_ATTEMPTS instead of taking every worker down in turn.
import { hostname } from 'node:os';
import pg from 'pg';
import type { EngineOptions } from '@netpol-atlas/engine';
import { analysisKey } from '../analysis/analysis-key.js';
import { AnalysisPoolFullError, type AnalysisPool } from '../analysis/analysis-pool.js';
import { ENGINE_VERSION } from '../analysis/engine-versions.js';

/** Something that runs SQL: a TypeORM EntityManager / QueryRunner, or a pg client. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** A job that ended its worker this often is marked failed. */
export const MAX_ATTEMPTS = 3;
/**
 * A job claimed less than this long ago is left to its claimer: the claim (committed at once, so a worker that dies
 * still counts an attempt) and the claimer's row lock are two statements, and without the grace another worker could
 * re-claim the row in between, each claim counting an attempt, until a healthy job was given up as failed (seen on a
 * loaded CI machine). A job whose worker died, or whose attempt failed, is retried after it.
 */
export const CLAIM_GRACE_SECONDS = 10;
/** A job transaction idle (computing) longer than this is ended by PostgreSQL (NETPOL_JOB_TIMEOUT_MS). */
export const DEFAULT_JOB_TIMEOUT_MS = 15 * 60_000;

/** Enqueues the analysis of `contentSha256` under `options` (its cluster's CNI profile) unless it is queued or done already. */
export async function enqueueAnalysis(db: Queryable, contentSha256: string, options: EngineOptions = {}): Promise<void> {
  const key = analysisKey(contentSha256, options);
  await db.query(
    `INSERT INTO analysis_jobs (content_sha256, engine_version, options_key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [key.contentSha256, key.engineVersion, key.optionsKey],
  );
}

/**
 * Enqueues the analyses of every content of the cluster's snapshots under `options` (its new CNI profile): a CNI
 * change makes their stored analyses answer for the old profile, so the new ones are computed ahead of the first
 * question. Idempotent like `enqueueAnalysis` (a content queued or done under these options is not queued again).
 */
export async function enqueueClusterAnalyses(db: Queryable, clusterId: string, options: EngineOptions = {}): Promise<void> {
  const { engineVersion, optionsKey } = analysisKey('', options);
  await db.query(
    `INSERT INTO analysis_jobs (content_sha256, engine_version, options_key)
     SELECT DISTINCT content_sha256, $2::integer, $3::text FROM snapshots WHERE cluster_id = $1
     ON CONFLICT DO NOTHING`,
    [clusterId, engineVersion, optionsKey],
  );
}

export interface QueueDepth {
  readonly queued: number;
  readonly failed: number;
  /** Age of the oldest queued job in seconds (0 when none). */
  readonly oldestQueuedSeconds: number;
}

/** The queue as the database sees it, across every API replica and worker. */
export async function queueDepth(db: Queryable): Promise<QueueDepth> {
  const rows = (await db.query(
    `SELECT count(*) FILTER (WHERE state = 'queued') AS queued, count(*) FILTER (WHERE state = 'failed') AS failed,
            coalesce(extract(epoch FROM now() - min(enqueued_at) FILTER (WHERE state = 'queued')), 0) AS oldest
     FROM analysis_jobs WHERE engine_version = $1`,
    [ENGINE_VERSION],
  )) as { queued: string; failed: string; oldest: string }[];
  const row = rows[0];
  return { queued: Number(row.queued), failed: Number(row.failed), oldestQueuedSeconds: Math.round(Number(row.oldest)) };
}

export interface JobRunnerOptions {
  readonly databaseUrl: string;
  readonly pool: AnalysisPool;
  /** Jobs at once (each holds a connection and waits for a thread). */
  readonly concurrency: number;
  /** Idle polling interval. */
  readonly pollMs?: number;
  readonly jobTimeoutMs?: number;
  /** Named in analysis_jobs.worker and the log. */
  readonly name?: string;
  readonly log?: (line: string) => void;
  /** Also log each job's start (a worker process; the server logs only outcomes). */
  readonly logStarts?: boolean;
}

/** What happened to one job, for metrics. */
export interface JobOutcome {
  readonly contentSha256: string;
  readonly state: 'done' | 'failed' | 'retry';
  readonly seconds: number;
}

interface JobRow {
  content_sha256: string;
  options_key: string;
  attempts: number;
}

export class JobRunner {
  readonly name: string;
  private readonly db: pg.Pool;
  private readonly loops: Promise<void>[] = [];
  private stopping = false;
  private wake?: () => void;
  /** Called after each job (the metrics module listens). */
  onJob?: (outcome: JobOutcome) => void;

  constructor(private readonly options: JobRunnerOptions) {
    this.name = options.name ?? `${hostname()}:${process.pid}`;
    const timeout = options.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
    this.db = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.concurrency + 1,
      // Named in pg_stat_activity.
      application_name: `netpol-worker ${this.name}`.slice(0, 63),
      // A stuck worker's transaction ends after the job timeout; a dead one's as soon as the server notices.
      options: `-c idle_in_transaction_session_timeout=${timeout} -c client_connection_check_interval=5000`,
    });
    // An idle client's connection ending (database restart) must not crash the process.
    this.db.on('error', (error) => this.log(`job queue connection lost: ${error.message}`));
  }

  start(): void {
    for (let i = 0; i < this.options.concurrency; i++) this.loops.push(this.loop());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await Promise.all(this.loops);
    await this.db.end();
  }

  private log(line: string): void {
    (this.options.log ?? console.log)(line);
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let worked = false;
      try {
        worked = await this.runOne();
      } catch (error) {
        this.log(`job queue: ${(error as Error).message}`);
      }
      if (!worked && !this.stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.pollMs ?? 1000);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  /** Claims and runs one job; false when none was queued. */
  async runOne(): Promise<boolean> {
    const claimed = (await this.db.query<JobRow>(
      `UPDATE analysis_jobs SET attempts = attempts + 1, started_at = now(), worker = $2
       WHERE (content_sha256, engine_version, options_key) = (
         SELECT content_sha256, engine_version, options_key FROM analysis_jobs
         WHERE state = 'queued' AND engine_version = $1
           AND (worker IS NULL OR started_at IS NULL OR started_at < now() - make_interval(secs => $3))
         ORDER BY enqueued_at LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING content_sha256, options_key, attempts`,
      [ENGINE_VERSION, this.name, CLAIM_GRACE_SECONDS],
    )).rows[0];
    if (!claimed) return false;
    const sha = claimed.content_sha256;
    if (claimed.attempts > MAX_ATTEMPTS) {
      await this.finish(sha, claimed.options_key, 'failed', `gave up after ${MAX_ATTEMPTS} attempts: the worker ended during each (out of memory or killed)`);
      this.log(`analysis job ${sha.slice(0, 12)} failed: its worker ended during each of ${MAX_ATTEMPTS} attempts`);
      this.onJob?.({ contentSha256: sha, state: 'failed', seconds: 0 });
      return true;
    }
    const started = performance.now();
    const client = await this.db.connect();
    let outcome: JobOutcome['state'] = 'retry';
    try {
      await client.query('BEGIN');
      // Still ours: another worker that claimed it in the same instant has set its own name (and goes on with it).
      const locked = await client.query(
        `SELECT 1 FROM analysis_jobs
         WHERE content_sha256 = $1 AND engine_version = $2 AND options_key = $3 AND state = 'queued' AND worker = $4
         FOR UPDATE SKIP LOCKED`,
        [sha, ENGINE_VERSION, claimed.options_key, this.name],
      );
      // Another worker holds it or finished it: nothing to do.
      if (locked.rowCount === 0) {
        await client.query('ROLLBACK');
        return true;
      }
      if (this.options.logStarts) this.log(`analysis job ${sha.slice(0, 12)} started (attempt ${claimed.attempts}, worker ${this.name})`);
      const key = analysisKey(sha, JSON.parse(claimed.options_key));
      // The analysis thread reads the content itself (content-source.ts): 10–60 MB never pass through this event loop.
      const result = await this.options.pool.analyse(key, { sha256: sha, primaryUrl: this.options.databaseUrl });
      if (result.contentBytes === null || result.errors.length > 0) {
        const error = result.contentBytes === null ? 'the content is missing' : result.errors.map((issue) => `${issue.code}: ${issue.message}`).join('; ');
        await this.markFailed(client, sha, claimed.options_key, error);
        outcome = 'failed';
      } else {
        for (const [kind, payload] of Object.entries(result.artefacts).sort(([a], [b]) => (a < b ? -1 : 1))) {
          await client.query(
            `INSERT INTO analysis_results (content_sha256, engine_version, options_key, kind, payload, size_bytes)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
            [sha, ENGINE_VERSION, claimed.options_key, kind, Buffer.from(payload), payload.byteLength],
          );
        }
        await client.query(
          `UPDATE analysis_jobs SET state = 'done', completions = completions + 1, finished_at = now(), worker = $4, error = NULL
           WHERE content_sha256 = $1 AND engine_version = $2 AND options_key = $3`,
          [sha, ENGINE_VERSION, claimed.options_key, this.name],
        );
        outcome = 'done';
      }
      await client.query('COMMIT');
      this.log(`analysis job ${sha.slice(0, 12)} ${outcome} in ${Math.round(performance.now() - started)} ms`);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      // The server's pool is busy with queries: not an attempt; the job waits for the next poll.
      const busy = error instanceof AnalysisPoolFullError;
      // Else a thread that crashed (out of memory) or a lost connection: the job stays queued for another attempt.
      if (!busy) this.log(`analysis job ${sha.slice(0, 12)} attempt ${claimed.attempts} failed: ${(error as Error).message}`);
      await this.db
        .query(
          // Busy: not an attempt, and claimable again at once (no claim grace).
          `UPDATE analysis_jobs SET error = $4, attempts = attempts - $5, worker = CASE WHEN $5 = 1 THEN NULL ELSE worker END
           WHERE content_sha256 = $1 AND engine_version = $2 AND options_key = $3`,
          [sha, ENGINE_VERSION, claimed.options_key, busy ? null : (error as Error).message.slice(0, 1000), busy ? 1 : 0],
        )
        .catch(() => undefined);
      // Released in `finally`; false: the loop waits a poll interval before claiming again.
      if (busy) return false;
    } finally {
      client.release();
    }
    this.onJob?.({ contentSha256: sha, state: outcome, seconds: (performance.now() - started) / 1000 });
    return true;
  }

  private markFailed(db: Queryable, sha: string, optionsKey: string, error: string): Promise<unknown> {
    return db.query(
      `UPDATE analysis_jobs SET state = 'failed', finished_at = now(), worker = $4, error = $5
       WHERE content_sha256 = $1 AND engine_version = $2 AND options_key = $3`,
      [sha, ENGINE_VERSION, optionsKey, this.name, error.slice(0, 1000)],
    );
  }

  private finish(sha: string, optionsKey: string, state: 'failed', error: string): Promise<unknown> {
    return this.markFailed(this.db, sha, optionsKey, error);
  }
}
