import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { clusterEngineOptions } from '../analysis/snapshot-lookup.js';
import { visibleTenants } from '../auth/principal.js';
import { onReadReplica } from '../database/read-replicas.js';
import { enqueueClusterAnalyses } from '../jobs/analysis-jobs.js';
import { ClusterEntity } from './cluster.entity.js';

/** Equality (`value`) or presence (`value` null) of one cluster label; conditions are AND-ed. */
export interface ClusterFilter {
  readonly nameContains?: string | null;
  readonly labels?: readonly { readonly key: string; readonly value?: string | null }[] | null;
}

export interface NewCluster {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly provider: string | null;
  readonly cni: string | null;
}

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

@Injectable()
export class ClustersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private repo(manager: EntityManager = this.db.manager) {
    return manager.getRepository(ClusterEntity);
  }

  /** Every read goes through here: only the clusters of the tenants the caller may see (issue 9). */
  private visible(manager?: EntityManager): SelectQueryBuilder<ClusterEntity> {
    const query = this.repo(manager).createQueryBuilder('c');
    const tenants = visibleTenants();
    if (tenants !== null) query.andWhere('c.tenant = ANY(CAST(:tenants AS text[]))', { tenants });
    return query;
  }

  private filtered(filter: ClusterFilter = {}, manager?: EntityManager): SelectQueryBuilder<ClusterEntity> {
    const query = this.visible(manager);
    if (filter.nameContains) query.andWhere("c.name LIKE :pattern ESCAPE '\\'", { pattern: `%${likeLiteral(filter.nameContains)}%` });
    const equal: Record<string, string> = {};
    const present: string[] = [];
    for (const label of filter.labels ?? []) {
      if (label.value == null) present.push(label.key);
      else equal[label.key] = label.value;
    }
    if (Object.keys(equal).length > 0) query.andWhere('c.labels @> CAST(:equal AS jsonb)', { equal: JSON.stringify(equal) });
    if (present.length > 0) query.andWhere('c.labels ?& CAST(:present AS text[])', { present });
    return query;
  }

  count(filter?: ClusterFilter): Promise<number> {
    return onReadReplica(this.db, (manager) => this.filtered(filter, manager).getCount());
  }

  findByName(name: string): Promise<ClusterEntity | null> {
    return this.visible().andWhere('c.name = :name', { name }).getOne();
  }

  findById(id: string): Promise<ClusterEntity | null> {
    return this.visible().andWhere('c.id = :id', { id }).getOne();
  }

  /** Clusters ordered by name, starting after `afterName`; `limit` rows at most. */
  findPage(limit: number, afterName?: string, filter?: ClusterFilter): Promise<ClusterEntity[]> {
    // The column is COLLATE "C": code-unit order, the same in every locale (deterministic output).
    // A listing may lag the primary by a replica's delay (read-replicas.ts).
    return onReadReplica(this.db, (manager) => {
      const query = this.filtered(filter, manager).orderBy('c.name', 'ASC').limit(limit);
      if (afterName !== undefined) query.andWhere('c.name > :afterName', { afterName });
      return query.getMany();
    });
  }

  /**
   * The cluster's id, tenant and CNI, creating it in `tenant` on first use (safe under concurrent uploads). The caller
   * checks the tenant: a cluster of another tenant must not take the upload.
   */
  async idForName(manager: EntityManager, name: string, tenant: string): Promise<{ id: string; tenant: string; cni: string | null }> {
    await manager.query('INSERT INTO clusters (name, tenant) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, tenant]);
    const rows: { id: string; tenant: string; cni: string | null }[] = await manager.query('SELECT id, tenant, cni FROM clusters WHERE name = $1', [name]);
    return rows[0];
  }

  /** The new cluster, or null when the name is taken. */
  async create(cluster: NewCluster, tenant: string): Promise<ClusterEntity | null> {
    const rows: { id: string }[] = await this.db.query(
      `INSERT INTO clusters (name, labels, provider, cni, cni_source, tenant)
       VALUES ($1, $2, $3, $4, CASE WHEN $4::text IS NULL THEN NULL ELSE 'user' END, $5)
       ON CONFLICT (name) DO NOTHING RETURNING id`,
      [cluster.name, JSON.stringify(cluster.labels), cluster.provider, cluster.cni, tenant],
    );
    return rows[0] ? this.findById(rows[0].id) : null;
  }

  /**
   * A user's choice of CNI (null: unknown, which lets the collector's detection in again); null when no such cluster.
   * In the same transaction, the analyses of the cluster's snapshots under the new profile are queued.
   */
  async setCni(name: string, cni: string | null): Promise<ClusterEntity | null> {
    const cluster = await this.findByName(name);
    if (!cluster) return null;
    await this.db.transaction(async (tx) => {
      await tx.query(`UPDATE clusters SET cni = $2, cni_source = CASE WHEN $2::text IS NULL THEN NULL ELSE 'user' END WHERE name = $1`, [name, cni]);
      await enqueueClusterAnalyses(tx, cluster.id, clusterEngineOptions(cni));
    });
    return this.findByName(name);
  }

  /**
   * The collector's detected CNI, taken only where no user chose one (unset, or set by an earlier detection).
   * Returns the CNI it replaced (null: none) when it changed something, undefined when it did not.
   */
  async adoptDetectedCni(manager: EntityManager, clusterId: string, cni: string): Promise<{ previous: string | null } | undefined> {
    // TypeORM answers an UPDATE … RETURNING on Postgres with [rows, affected].
    const [rows]: [{ previous: string | null }[], number] = await manager.query(
      `UPDATE clusters c SET cni = $2, cni_source = 'collector'
       FROM (SELECT id, cni AS previous FROM clusters WHERE id = $1 FOR UPDATE) old
       WHERE c.id = old.id AND (c.cni_source IS NULL OR c.cni_source = 'collector') AND c.cni IS DISTINCT FROM $2
       RETURNING old.previous`,
      [clusterId, cni],
    );
    return rows[0] ? { previous: rows[0].previous } : undefined;
  }

  /** Sets and removes labels in one statement; null when there is no such cluster. */
  async relabel(name: string, set: Readonly<Record<string, string>>, remove: readonly string[]): Promise<ClusterEntity | null> {
    if (!(await this.findByName(name))) return null;
    await this.db.query('UPDATE clusters SET labels = (labels - $3::text[]) || $2::jsonb WHERE name = $1', [name, JSON.stringify(set), remove]);
    return this.findByName(name);
  }
}
