// A stored content read by the thread that uses it (the analysis, model and render threads), on a connection of its own, so
// that its 10–60 MB never pass through the event loop: there, the socket reads, the COPY's messages and their copy
// into one Buffer ran as hundreds of callbacks per content, between which a cheap query waited its turn (issue 13:
// 40–90 ms answers while three cold models loaded). The event loop sends where to read (a ContentSource); the thread
// reads with the same binary COPY (stored-content.ts), a replica first when there are any, as the repository does.
// No Nest, no TypeORM: this runs in the worker threads' bundles, which load `pg` only when they first read.
import type { Pool, PoolClient } from 'pg';
import { readContentBytes } from './stored-content.js';

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

async function readFrom(url: string, sha256: string): Promise<Buffer | null> {
  const client: PoolClient = await (await poolOf(url)).connect();
  let failed = false;
  try {
    return await readContentBytes(client, sha256);
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
export async function readContentFrom(source: ContentSource): Promise<Buffer | null> {
  const replicas = source.replicaUrls ?? [];
  if (replicas.length > 0) {
    const replica = replicas[Math.floor(Math.random() * replicas.length)]!;
    const found = await readFrom(replica, source.sha256);
    if (found) return found;
  }
  return readFrom(source.primaryUrl, source.sha256);
}

/** Closes this thread's connections (tests; a thread's end closes them anyway). */
export async function closeContentSources(): Promise<void> {
  const open = [...pools.values()];
  pools.clear();
  await Promise.all(open.map(async (pool) => (await pool).end()));
}
