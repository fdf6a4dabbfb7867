import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { visibleTenants } from '../auth/principal.js';
import { onReadReplica, onReadReplicaOrPrimary } from '../database/read-replicas.js';
import { readContentBytes } from './stored-content.js';
import type { SnapshotCounts } from './snapshot-counts.js';
import { SnapshotEntity } from './snapshot.entity.js';

export interface NewSnapshot {
  readonly id: string;
  readonly clusterId: string;
  /** Undefined: not given, so the upload's own instant (uploaded_at), never a later clock reading. */
  readonly capturedAt: Date | undefined;
  readonly source: string;
  readonly contentSha256: string;
  readonly counts: SnapshotCounts;
  readonly deduplicated: boolean;
  /** The API token that uploaded it (null: none, e.g. the demo loader or OIDC) and the client address. */
  readonly uploadedBy: string | null;
  readonly uploadedFrom: string | null;
}

/** Insert and read only: the store has no update or delete path (and the database triggers refuse one). */
@Injectable()
export class SnapshotsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private snapshots(manager: EntityManager = this.db.manager) {
    return manager.getRepository(SnapshotEntity);
  }

  /** Only a snapshot of a cluster the caller may see (another tenant's is "not found", like a missing one). */
  findById(id: string): Promise<SnapshotEntity | null> {
    // A replica first; a snapshot just ingested may be on the primary only.
    return onReadReplicaOrPrimary(this.db, (manager) => {
      const query = this.snapshots(manager).createQueryBuilder('s').innerJoinAndSelect('s.cluster', 'c').where('s.id = :id', { id });
      const tenants = visibleTenants();
      if (tenants !== null) query.andWhere('c.tenant = ANY(CAST(:tenants AS text[]))', { tenants });
      return query.getOne();
    });
  }

  countForCluster(clusterId: string): Promise<number> {
    return onReadReplica(this.db, (manager) => this.snapshots(manager).countBy({ clusterId }));
  }

  /** Newest first: capture time, then upload order (the later upload first); `limit` rows after snapshot `afterId`. */
  findPageForCluster(clusterId: string, limit: number, afterId?: string): Promise<SnapshotEntity[]> {
    return onReadReplica(this.db, (manager) => this.pageForCluster(manager, clusterId, limit, afterId));
  }

  private pageForCluster(manager: EntityManager, clusterId: string, limit: number, afterId?: string): Promise<SnapshotEntity[]> {
    const query = this.snapshots(manager)
      .createQueryBuilder('s')
      .leftJoinAndSelect('s.cluster', 'c')
      .where('s.cluster_id = :clusterId', { clusterId })
      .orderBy('s.captured_at', 'DESC')
      .addOrderBy('s.upload_seq', 'DESC')
      .limit(limit);
    if (afterId !== undefined) {
      query.andWhere(
        '(s.captured_at, s.upload_seq) < (SELECT a.captured_at, a.upload_seq FROM snapshots a WHERE a.id = :afterId)',
        { afterId },
      );
    }
    return query.getMany();
  }

  /** The latest snapshot captured at or before `time` (ties: the later upload), or null. */
  findAtForCluster(clusterId: string, time: Date): Promise<SnapshotEntity | null> {
    return this.snapshots()
      .createQueryBuilder('s')
      .leftJoinAndSelect('s.cluster', 'c')
      .where('s.cluster_id = :clusterId', { clusterId })
      .andWhere('s.captured_at <= :time', { time })
      .orderBy('s.captured_at', 'DESC')
      .addOrderBy('s.upload_seq', 'DESC')
      .limit(1)
      .getOne();
  }

  /** The heaviest read (tens of MB at 50k pods): a replica's, else the primary's (just ingested). */
  async content(sha256: string): Promise<Buffer | null> {
    // A binary COPY needs the driver's client: the replica's query runner's, else one of the primary's.
    return onReadReplicaOrPrimary(this.db, async (manager) => {
      const runner = manager.queryRunner ?? this.db.createQueryRunner('master');
      try {
        return await readContentBytes((await runner.connect()) as PoolClient, sha256);
      } finally {
        if (runner !== manager.queryRunner) await runner.release();
      }
    });
  }

  /** Uploads of one content wait for each other (to the end of `manager`'s transaction): its objects are written once. */
  async lockContent(manager: EntityManager, sha256: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [sha256]);
  }

  /** Serialises loaders of the demo data across servers starting together on one database. */
  async lockDemoLoad(manager: EntityManager): Promise<void> {
    await manager.query("SELECT pg_advisory_xact_lock(hashtext('netpol-atlas:demo-data'))");
  }

  /** No cluster and no snapshot at all (a first start). */
  async storeIsEmpty(manager: EntityManager = this.db.manager): Promise<boolean> {
    const [{ empty }]: { empty: boolean }[] = await manager.query(
      'SELECT NOT EXISTS (SELECT 1 FROM clusters) AND NOT EXISTS (SELECT 1 FROM snapshots) AS empty',
    );
    return empty;
  }

  /** Stores the bytes unless that hash is already stored; true when they were new. */
  async insertContentIfAbsent(manager: EntityManager, sha256: string, content: Buffer): Promise<boolean> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO snapshot_contents (sha256, content, size_bytes) VALUES ($1, $2, $3)
       ON CONFLICT (sha256) DO NOTHING RETURNING sha256`,
      [sha256, content, content.length],
    );
    return inserted.length === 1;
  }

  /** Inserts the snapshot and returns its capture time (as stored). */
  async insert(manager: EntityManager, snapshot: NewSnapshot): Promise<Date> {
    // now() is the transaction's start, as uploaded_at's default: one instant for both when no capture time is given.
    const [row]: { captured_at: Date }[] = await manager.query(
      `INSERT INTO snapshots (id, cluster_id, captured_at, source, content_sha256, counts, deduplicated, uploaded_by, uploaded_from)
       VALUES ($1, $2, COALESCE($3::timestamptz, now()), $4, $5, $6, $7, $8, $9) RETURNING captured_at`,
      [
        snapshot.id,
        snapshot.clusterId,
        snapshot.capturedAt,
        snapshot.source,
        snapshot.contentSha256,
        JSON.stringify(snapshot.counts),
        snapshot.deduplicated,
        snapshot.uploadedBy,
        snapshot.uploadedFrom,
      ],
    );
    return row.captured_at;
  }
}
