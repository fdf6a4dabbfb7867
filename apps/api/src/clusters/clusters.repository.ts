import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ClusterEntity } from './cluster.entity.js';

@Injectable()
export class ClustersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private repo(manager: EntityManager = this.db.manager) {
    return manager.getRepository(ClusterEntity);
  }

  count(): Promise<number> {
    return this.repo().count();
  }

  findByName(name: string): Promise<ClusterEntity | null> {
    return this.repo().findOneBy({ name });
  }

  findById(id: string): Promise<ClusterEntity | null> {
    return this.repo().findOneBy({ id });
  }

  /** Clusters ordered by name, starting after `afterName`; `limit` rows at most. */
  findPage(limit: number, afterName?: string): Promise<ClusterEntity[]> {
    // The column is COLLATE "C": code-unit order, the same in every locale (deterministic output).
    const query = this.repo().createQueryBuilder('c').orderBy('c.name', 'ASC').limit(limit);
    if (afterName !== undefined) query.where('c.name > :afterName', { afterName });
    return query.getMany();
  }

  /** The cluster's id, creating it on first use (safe under concurrent uploads). */
  async idForName(manager: EntityManager, name: string): Promise<string> {
    await manager.query('INSERT INTO clusters (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [name]);
    const rows: { id: string }[] = await manager.query('SELECT id FROM clusters WHERE name = $1', [name]);
    return rows[0].id;
  }
}
