import { Injectable } from '@nestjs/common';
import type { KubeObject } from '@netpol-atlas/engine';
import { SnapshotsRepository } from '../snapshots.repository.js';
import { inventoryOf, type SnapshotInventory } from './snapshot-inventory.js';

/** Max contents whose derived inventory is kept in memory (content is immutable, so entries never go stale). */
const CACHE_ENTRIES = 32;

/** Namespaces, workloads and policies of a stored content, derived on first use and cached per SHA-256. */
@Injectable()
export class SnapshotInventoryService {
  private readonly cache = new Map<string, Promise<SnapshotInventory>>();

  constructor(private readonly snapshots: SnapshotsRepository) {}

  inventory(contentSha256: string): Promise<SnapshotInventory> {
    const cached = this.cache.get(contentSha256);
    if (cached) {
      // Refresh its position: the Map's insertion order is the LRU order.
      this.cache.delete(contentSha256);
      this.cache.set(contentSha256, cached);
      return cached;
    }
    const derived = this.derive(contentSha256);
    this.cache.set(contentSha256, derived);
    derived.catch(() => this.cache.delete(contentSha256));
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    return derived;
  }

  private async derive(contentSha256: string): Promise<SnapshotInventory> {
    const content = await this.snapshots.content(contentSha256);
    if (!content) throw new Error(`content ${contentSha256} is missing from the store`);
    // The stored content is the JCS text of one JSON array of projected objects.
    return inventoryOf(JSON.parse(content.toString('utf8')) as KubeObject[]);
  }
}
