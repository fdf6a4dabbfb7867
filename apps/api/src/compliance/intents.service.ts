// Segmentation intents stored per cluster, versioned: each change is a new row (version = previous + 1).
import { randomUUID, createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { parseIntents, type SegmentationIntents } from '@netpol-atlas/engine';
import type { DataSource } from 'typeorm';
import { badUserInput, notFound } from '../graphql/errors.js';
import { ClustersService } from '../clusters/clusters.service.js';

export interface StoredIntents {
  readonly id: string;
  readonly clusterId: string;
  readonly version: number;
  readonly name: string;
  readonly content: string;
  readonly sha256: string;
  readonly createdAt: Date;
}

interface Row {
  id: string;
  cluster_id: string;
  version: number;
  name: string;
  content: string;
  sha256: string;
  created_at: Date;
}

const toStored = (r: Row): StoredIntents => ({
  id: r.id,
  clusterId: r.cluster_id,
  version: r.version,
  name: r.name,
  content: r.content,
  sha256: r.sha256.trim(),
  createdAt: r.created_at,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class IntentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clusters: ClustersService,
  ) {}

  /** Validates (BAD_USER_INPUT with the located issues) and stores a new version. */
  async save(clusterName: string, content: string): Promise<StoredIntents> {
    const cluster = await this.clusters.findByName(clusterName);
    if (!cluster) throw notFound(`cluster ${clusterName} not found`);
    const parsed = parseIntents({ path: 'intents.yaml', text: content });
    if (!parsed.intents) throw badUserInput('the intents are not valid', { issues: parsed.issues });
    const sha256 = createHash('sha256').update(content, 'utf8').digest('hex');
    const rows: Row[] = await this.db.query(
      `INSERT INTO segmentation_intents (id, cluster_id, version, name, content, sha256)
       SELECT $1, $2, COALESCE(MAX(version), 0) + 1, $3, $4, $5 FROM segmentation_intents WHERE cluster_id = $2
       RETURNING *`,
      [randomUUID(), cluster.id, parsed.intents.name, content, sha256],
    );
    return toStored(rows[0]);
  }

  async findById(id: string): Promise<StoredIntents | null> {
    if (!UUID.test(id)) throw badUserInput(`intents id must be a UUID, got ${JSON.stringify(id)}`, { argument: 'intentsId' });
    const rows: Row[] = await this.db.query('SELECT * FROM segmentation_intents WHERE id = $1', [id]);
    return rows[0] ? toStored(rows[0]) : null;
  }

  /** Every version of a cluster's intents, newest first. */
  async forCluster(clusterId: string): Promise<StoredIntents[]> {
    const rows: Row[] = await this.db.query('SELECT * FROM segmentation_intents WHERE cluster_id = $1 ORDER BY version DESC', [clusterId]);
    return rows.map(toStored);
  }

  parse(stored: StoredIntents): SegmentationIntents {
    const parsed = parseIntents({ path: `intents-v${stored.version}.yaml`, text: stored.content });
    if (!parsed.intents) throw new Error(`stored intents ${stored.id} no longer parse`);
    return parsed.intents;
  }
}
