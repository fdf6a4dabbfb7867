// TypeORM settings shared by the app and the TypeORM CLI:
//   npx typeorm migration:run -d apps/api/dist/apps/api/src/database/data-source.js
import { DataSource, type DataSourceOptions } from 'typeorm';
import { migrations } from '../../../../migrations/index.js';
import { ClusterEntity } from '../clusters/cluster.entity.js';
import { SnapshotContentEntity } from '../snapshots/snapshot-content.entity.js';
import { SnapshotEntity } from '../snapshots/snapshot.entity.js';

export const entities = [ClusterEntity, SnapshotContentEntity, SnapshotEntity];

export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
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
