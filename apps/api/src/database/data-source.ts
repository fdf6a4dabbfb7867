// TypeORM settings shared by the app and the TypeORM CLI:
//   npx typeorm migration:run -d apps/api/dist/apps/api/src/database/data-source.js
import { DataSource, type DataSourceOptions } from 'typeorm';
import { migrations } from '../../../../migrations/index.js';
import { ClusterEntity } from '../clusters/cluster.entity.js';
import { SnapshotContentEntity } from '../snapshots/snapshot-content.entity.js';
import { SnapshotEntity } from '../snapshots/snapshot.entity.js';

export const entities = [ClusterEntity, SnapshotContentEntity, SnapshotEntity];

/** `readUrls` (DATABASE_READ_URLS): replicas for the query paths that opt in (read-replicas.ts). */
export function dataSourceOptions(databaseUrl: string, readUrls: readonly string[] = []): DataSourceOptions {
  return {
    type: 'postgres',
    ...(readUrls.length === 0
      ? { url: databaseUrl }
      : // Reads go to the primary unless a query path asks for a replica (read-after-write stays consistent).
        { replication: { master: { url: databaseUrl }, slaves: readUrls.map((url) => ({ url })), defaultMode: 'master' as const } }),
    entities,
    migrations,
    // Schema changes only through the hand-written migrations in /migrations.
    synchronize: false,
    migrationsTransactionMode: 'each',
    applicationName: 'netpol-atlas',
    // Never log queries: their parameters are upload contents. Errors are logged by the exception filter.
    logging: false,
  };
}

export default new DataSource(dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://localhost/netpol'));
