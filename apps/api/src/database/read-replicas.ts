// Read replicas (DATABASE_READ_URLS): PostgreSQL streaming replicas of the primary take the heavy, lag-tolerant
// reads of the query paths (snapshot contents, snapshot and cluster listings). Everything else reads the primary
// (TypeORM replication with `defaultMode: 'master'`), so a write followed by a read of it (a label change, an
// ingest's own checks) never sees a replica's lag; the query paths opt in through `onReadReplica`.
import type { DataSource, EntityManager } from 'typeorm';

/** DATABASE_READ_URLS: comma-separated PostgreSQL URLs; empty or unset: none. Messages never echo a URL (passwords). */
export function readUrlsFrom(text: string | undefined): string[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  return text.split(',').map((entry, index) => {
    const url = entry.trim();
    if (url === '') throw new Error(`DATABASE_READ_URLS: entry ${index + 1} is empty (comma-separated PostgreSQL URLs)`);
    let protocol: string;
    try {
      protocol = new URL(url).protocol;
    } catch {
      throw new Error(`DATABASE_READ_URLS: entry ${index + 1} is not a URL (postgres://user:password@host:5432/database)`);
    }
    if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
      throw new Error(`DATABASE_READ_URLS: entry ${index + 1} is a ${protocol.replace(/:$/, '')} URL, not postgres:// or postgresql://`);
    }
    return url;
  });
}

export function hasReadReplicas(db: DataSource): boolean {
  return 'replication' in db.options && db.options.replication !== undefined;
}

/** Runs `read` on a read replica (one of DATABASE_READ_URLS, TypeORM picks), or on the primary when none is set. */
export async function onReadReplica<T>(db: DataSource, read: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (!hasReadReplicas(db)) return read(db.manager);
  const runner = db.createQueryRunner('slave');
  try {
    return await read(runner.manager);
  } finally {
    await runner.release();
  }
}

/**
 * `read` on a replica; a miss (null) is asked of the primary again: a row just written there (an ingest answered
 * with its snapshot id) may not have reached the replica yet.
 */
export async function onReadReplicaOrPrimary<T>(db: DataSource, read: (manager: EntityManager) => Promise<T | null>): Promise<T | null> {
  const found = await onReadReplica(db, read);
  if (found !== null || !hasReadReplicas(db)) return found;
  return read(db.manager);
}
