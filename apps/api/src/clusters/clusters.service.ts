import { Injectable } from '@nestjs/common';
import type { ClusterEntity } from './cluster.entity.js';
import { ClustersRepository, type ClusterFilter, type NewCluster } from './clusters.repository.js';

@Injectable()
export class ClustersService {
  constructor(private readonly clusters: ClustersRepository) {}

  count(filter?: ClusterFilter): Promise<number> {
    return this.clusters.count(filter);
  }

  findByName(name: string): Promise<ClusterEntity | null> {
    return this.clusters.findByName(name);
  }

  findById(id: string): Promise<ClusterEntity | null> {
    return this.clusters.findById(id);
  }

  /** Ordered by name; `limit` rows after the cluster named `afterName`. */
  page(limit: number, afterName?: string, filter?: ClusterFilter): Promise<ClusterEntity[]> {
    return this.clusters.findPage(limit, afterName, filter);
  }

  /** null when the name is taken. */
  create(cluster: NewCluster, tenant: string): Promise<ClusterEntity | null> {
    return this.clusters.create(cluster, tenant);
  }

  /** null when there is no such cluster. */
  /** The cluster's CNI (a profile name of the engine's cni-profiles, or null: unknown). */
  setCni(name: string, cni: string | null): Promise<ClusterEntity | null> {
    return this.clusters.setCni(name, cni);
  }

  relabel(name: string, set: Readonly<Record<string, string>>, remove: readonly string[]): Promise<ClusterEntity | null> {
    return this.clusters.relabel(name, set, remove);
  }
}
