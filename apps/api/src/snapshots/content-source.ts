// A stored content (or report) read by the thread that uses it (the analysis, model and render threads), on a
// connection of its own, so that its 10–60 MB never pass through the event loop: there, the socket reads, the COPY's
// messages and their copy into one Buffer ran as hundreds of callbacks per content, between which a cheap query waited
// its turn (issue 13: 40–90 ms answers while three cold models loaded). The event loop sends where to read (a
// ContentSource); the thread reads with the same binary COPY (stored-content.ts), a replica first when there are any,
// as the repository does. No Nest, no TypeORM: this runs in the worker threads' bundles, which load `pg` only when they
// first read.
import type { Pool, PoolClient } from 'pg';
import { readContentBytes, readReportBytes } from './stored-content.js';

/** Where a thread reads a content: the primary's URL and the read replicas' (DATABASE_URL, DATABASE_READ_URLS). */
export interface ContentSource {
  readonly sha256: string;
  readonly primaryUrl: string;
  readonly replicaUrls?: readonly string[];
}

/** One pool of at most one connection per URL and thread, closed after this long idle (so a quiet thread holds none). */
const IDLE_MS = 10_000;
const pools = new Map<string, Promise<Pool>>();

function poolOf(url: string): Promise<Pool> {
  let pool = pools.get(url);
  if (!pool) {
    pool = import('pg').then(({ default: pg }) => {
      const created = new pg.Pool({ connectionString: url, max: 1, idleTimeoutMillis: IDLE_MS, allowExitOnIdle: true });
      // An idle connection the server drops (a restart) must not end the thread: the next read connects again.
      created.on('error', () => undefined);
      return created;
    });
    pools.set(url, pool);
  }
  return pool;
}

/** `use` with this thread's connection to `url` (one per URL, kept 10 s idle); a connection that failed is dropped. */
export async function withConnection<T>(url: string, use: (client: PoolClient) => Promise<T>): Promise<T> {
  const client: PoolClient = await (await poolOf(url)).connect();
  let failed = false;
  try {
    return await use(client);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    // A connection whose COPY failed midway is not given back to be reused.
    client.release(failed);
  }
}

/**
 * The stored bytes of `source.sha256` (a Buffer that owns its memory), or null when neither a replica nor the primary
 * has it. A replica that lacks it is asked again of the primary: a content just ingested may not have reached it yet.
 */
export function readContentFrom(source: ContentSource): Promise<Buffer | null> {
  return readReplicaFirst(source, (client) => readContentBytes(client, source.sha256));
}

/** Where a thread reads a stored report's canonical JSON (reports of 50k pods are tens of MB). The caller has found
 *  the report, so its tenant may see it. */
export interface ReportSource {
  readonly reportId: string;
  readonly primaryUrl: string;
  readonly replicaUrls?: readonly string[];
}

/** The report's canonical JSON, or null when there is no such report; a replica first, as contents. */
export async function readReportFrom(source: ReportSource): Promise<string | null> {
  const bytes = await readReportBytesFrom(source);
  return bytes === null ? null : bytes.toString('utf8');
}

/** readReportFrom's UTF-8 bytes (a Buffer that owns its memory: it moves to the event loop without a copy). */
export function readReportBytesFrom(source: ReportSource): Promise<Buffer | null> {
  return readReplicaFirst(source, (client) => readReportBytes(client, source.reportId));
}

async function readReplicaFirst(source: { readonly primaryUrl: string; readonly replicaUrls?: readonly string[] }, read: (client: PoolClient) => Promise<Buffer | null>): Promise<Buffer | null> {
  const replicas = source.replicaUrls ?? [];
  if (replicas.length > 0) {
    const replica = replicas[Math.floor(Math.random() * replicas.length)]!;
    const found = await withConnection(replica, read);
    if (found) return found;
  }
  return withConnection(source.primaryUrl, read);
}

/** Closes this thread's connections (tests; a thread's end closes them anyway). */
export async function closeContentSources(): Promise<void> {
  const open = [...pools.values()];
  pools.clear();
  await Promise.all(open.map(async (pool) => (await pool).end()));
}
