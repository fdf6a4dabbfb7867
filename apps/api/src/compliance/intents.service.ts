// Segmentation intents stored per cluster, versioned: each change is a new row (version = previous + 1).
import { randomUUID, createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { parseIntents, type SegmentationIntents } from '@netpol-atlas/engine';
import { badUserInput, notFound } from '../graphql/errors.js';
import { ClustersService } from '../clusters/clusters.service.js';
import { ComplianceRepository, type StoredIntents } from './compliance.repository.js';

export type { StoredIntents } from './compliance.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class IntentsService {
  constructor(
    private readonly store: ComplianceRepository,
    private readonly clusters: ClustersService,
  ) {}

  /** Validates (BAD_USER_INPUT with the located issues) and stores a new version. */
  async save(clusterName: string, content: string): Promise<StoredIntents> {
    const cluster = await this.clusters.findByName(clusterName);
    if (!cluster) throw notFound(`cluster ${clusterName} not found`);
    const parsed = parseIntents({ path: 'intents.yaml', text: content });
    if (!parsed.intents) throw badUserInput('the intents are not valid', { issues: parsed.issues });
    const sha256 = createHash('sha256').update(content, 'utf8').digest('hex');
    return this.store.insertIntents({ id: randomUUID(), clusterId: cluster.id, name: parsed.intents.name, content, sha256 });
  }

  async findById(id: string): Promise<StoredIntents | null> {
    if (!UUID.test(id)) throw badUserInput(`intents id must be a UUID, got ${JSON.stringify(id)}`, { argument: 'intentsId' });
    return this.store.findIntents(id);
  }

  /** Every version of a cluster's intents, newest first. */
  forCluster(clusterId: string): Promise<StoredIntents[]> {
    return this.store.intentsOfCluster(clusterId);
  }

  parse(stored: StoredIntents): SegmentationIntents {
    const parsed = parseIntents({ path: `intents-v${stored.version}.yaml`, text: stored.content });
    if (!parsed.intents) throw new Error(`stored intents ${stored.id} no longer parse`);
    return parsed.intents;
  }
}
