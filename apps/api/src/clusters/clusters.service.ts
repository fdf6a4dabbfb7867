import { Injectable } from '@nestjs/common';
import type { ClusterEntity } from './cluster.entity.js';
import { ClustersRepository } from './clusters.repository.js';

@Injectable()
export class ClustersService {
  constructor(private readonly clusters: ClustersRepository) {}

  count(): Promise<number> {
    return this.clusters.count();
  }

  findByName(name: string): Promise<ClusterEntity | null> {
    return this.clusters.findByName(name);
  }

  findById(id: string): Promise<ClusterEntity | null> {
    return this.clusters.findById(id);
  }

  /** Ordered by name; `limit` rows after the cluster named `afterName`. */
  page(limit: number, afterName?: string): Promise<ClusterEntity[]> {
    return this.clusters.findPage(limit, afterName);
  }
}
