// The content hash behind a snapshot id, with the API's typed errors. Snapshots are immutable (no update or delete
// path, and database triggers refuse one), so id → (hash, tenant) is cached for good: warm queries skip the
// database, and the tenant is checked against the caller on every call.
import { Injectable } from '@nestjs/common';
import { isCniProfileName, type EngineOptions } from '@netpol-atlas/engine';
import { canSeeTenant } from '../auth/principal.js';
import { badUserInput, notFound } from '../graphql/errors.js';
import { SnapshotsService } from '../snapshots/snapshots.service.js';
import { BoundedCache } from './bounded-cache.js';

const CACHED_IDS = 10_000;

@Injectable()
export class SnapshotLookup {
  private readonly hashes = new BoundedCache<{ sha256: string; tenant: string }>(CACHED_IDS, Number.MAX_SAFE_INTEGER);

  constructor(private readonly snapshots: SnapshotsService) {}

  /** BAD_USER_INPUT when not a UUID, NOT_FOUND when absent. */
  async contentSha256(snapshotId: string): Promise<string> {
    if (!this.snapshots.isSnapshotId(snapshotId)) {
      throw badUserInput(`snapshot id must be a UUID, got ${JSON.stringify(snapshotId)}`, { argument: 'snapshotId' });
    }
    const id = snapshotId.toLowerCase();
    const cached = this.hashes.get(id);
    if (cached && canSeeTenant(cached.tenant)) return cached.sha256;
    const snapshot = await this.snapshots.findById(id);
    if (!snapshot?.cluster) throw notFound(`snapshot ${snapshotId} not found`);
    this.hashes.set(id, { sha256: snapshot.contentSha256, tenant: snapshot.cluster.tenant });
    return snapshot.contentSha256;
  }

  /** The engine options of a snapshot's analyses: its cluster's CNI profile when one is set (read every time: an
   *  admin may change it), else none (the engine picks the profile the content implies). */
  async engineOptions(snapshotId: string): Promise<EngineOptions> {
    return (await this.analysisInput(snapshotId)).options;
  }

  /** What an analysis of the snapshot is keyed by: its content and its cluster's engine options. */
  async analysisInput(snapshotId: string): Promise<AnalysisInput> {
    const sha = await this.contentSha256(snapshotId);
    const snapshot = await this.snapshots.findById(snapshotId.toLowerCase());
    return { sha, options: clusterEngineOptions(snapshot?.cluster?.cni) };
  }
}

export interface AnalysisInput {
  readonly sha: string;
  readonly options: EngineOptions;
}

/** A cluster's CNI as engine options: the profile when it names one, else none (the content implies one). */
export function clusterEngineOptions(cni: string | null | undefined): EngineOptions {
  return isCniProfileName(cni) ? { cni } : {};
}
