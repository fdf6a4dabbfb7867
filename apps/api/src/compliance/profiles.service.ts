// Compliance profiles: which frameworks (and intents) to report on for every new snapshot of a cluster. Each change
// is a new row; the latest counts. Reports for a new snapshot are generated after ingest (reports over time).
import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { FRAMEWORK_IDS } from '@netpol-atlas/engine';
import type { DataSource } from 'typeorm';
import { ClustersService } from '../clusters/clusters.service.js';
import { badUserInput, notFound } from '../graphql/errors.js';
import type { ComplianceProfile } from './compliance.models.js';
import { IntentsService } from './intents.service.js';
import { ReportsService } from './reports.service.js';

interface Row {
  id: string;
  frameworks: string[];
  intents_id: string | null;
  created_at: Date;
}

const toProfile = (r: Row): ComplianceProfile => ({ id: r.id, frameworks: [...r.frameworks], intentsId: r.intents_id, createdAt: r.created_at });

@Injectable()
export class ProfilesService {
  private readonly logger = new Logger('Compliance');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
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
    const rows: Row[] = await this.db.query(
      'INSERT INTO compliance_profiles (id, cluster_id, frameworks, intents_id) VALUES ($1, $2, $3, $4) RETURNING id, frameworks, intents_id, created_at',
      [randomUUID(), cluster.id, [...new Set(frameworks)].sort(), intentsId],
    );
    return toProfile(rows[0]);
  }

  async latest(clusterId: string): Promise<ComplianceProfile | null> {
    const rows: Row[] = await this.db.query(
      'SELECT id, frameworks, intents_id, created_at FROM compliance_profiles WHERE cluster_id = $1 ORDER BY seq DESC LIMIT 1',
      [clusterId],
    );
    return rows[0] ? toProfile(rows[0]) : null;
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
