// Compliance profiles: which frameworks (and intents) to report on for every new snapshot of a cluster. Each change
// is a new row; the latest counts. Reports for a new snapshot are generated after ingest (reports over time).
import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { FRAMEWORK_IDS } from '@netpol-atlas/engine';
import { ClustersService } from '../clusters/clusters.service.js';
import { badUserInput, notFound } from '../graphql/errors.js';
import type { ComplianceProfile } from './compliance.models.js';
import { ComplianceRepository } from './compliance.repository.js';
import { IntentsService } from './intents.service.js';
import { ReportsService } from './reports.service.js';

@Injectable()
export class ProfilesService {
  private readonly logger = new Logger('Compliance');

  constructor(
    private readonly store: ComplianceRepository,
    private readonly clusters: ClustersService,
    private readonly intents: IntentsService,
    private readonly reports: ReportsService,
  ) {}

  async set(clusterName: string, frameworks: string[], intentsId: string | null): Promise<ComplianceProfile> {
    const cluster = await this.clusters.findByName(clusterName);
    if (!cluster) throw notFound(`cluster ${clusterName} not found`);
    const unknown = frameworks.filter((f) => !FRAMEWORK_IDS.includes(f));
    if (unknown.length > 0) throw badUserInput(`unknown framework(s) ${unknown.join(', ')} (one of ${FRAMEWORK_IDS.join(', ')})`, { argument: 'frameworks' });
    if (intentsId) {
      const stored = await this.intents.findById(intentsId);
      if (!stored || stored.clusterId !== cluster.id) throw notFound(`intents ${intentsId} of cluster ${clusterName} not found`);
    }
    return this.store.insertProfile({ id: randomUUID(), clusterId: cluster.id, frameworks: [...new Set(frameworks)].sort(), intentsId });
  }

  async latest(clusterId: string): Promise<ComplianceProfile | null> {
    return this.store.latestProfile(clusterId);
  }

  /** After a new snapshot: one report per framework of the cluster's profile (failures are logged, never fail the ingest). */
  async onNewSnapshot(clusterId: string, snapshotId: string): Promise<string[]> {
    const profile = await this.latest(clusterId);
    if (!profile) return [];
    const ids: string[] = [];
    for (const framework of profile.frameworks) {
      try {
        ids.push((await this.reports.generate(snapshotId, framework, profile.intentsId)).id);
      } catch (error) {
        this.logger.warn(`report ${framework} for snapshot ${snapshotId}: ${(error as Error).message}`);
      }
    }
    return ids;
  }
}
