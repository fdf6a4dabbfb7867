import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SourceDocument } from '@netpol-atlas/engine';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DEMO_DATA_DIR, DEMO_INTENTS_FILE } from '../config/paths.js';
import { IntentsService } from '../compliance/intents.service.js';
import { ProfilesService } from '../compliance/profiles.service.js';
import { IngestService } from '../ingest/ingest.service.js';
import { SnapshotsRepository } from '../snapshots/snapshots.repository.js';

export const DEMO_CLUSTER = 'demo';

/** The demo manifests (`apps/api/data/demo/*.yaml`), in file-name order, named `demo/<file>` in issues. */
export async function demoDocuments(dir = DEMO_DATA_DIR): Promise<SourceDocument[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.yaml')).sort();
  return Promise.all(
    files.map(async (file) => ({ path: `demo/${file}`, text: await readFile(path.join(dir, file), 'utf8') })),
  );
}

/** Loads the demo cluster when the store is empty at start (no cluster and no snapshot). */
@Injectable()
export class DemoDataService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoDataService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly ingest: IngestService,
    private readonly intents: IntentsService,
    private readonly profiles: ProfilesService,
    private readonly snapshots: SnapshotsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.loadDemoData) await this.loadIfEmpty();
  }

  /** True when the demo was loaded. Servers starting together on one database load it once (advisory lock). */
  async loadIfEmpty(): Promise<boolean> {
    const documents = await demoDocuments();
    const loaded = await this.db.transaction(async (manager) => {
      await this.snapshots.lockDemoLoad(manager);
      if (!(await this.snapshots.storeIsEmpty(manager))) return false;
      const result = await this.ingest.ingest({ cluster: DEMO_CLUSTER, documents, source: 'demo' }, manager);
      this.logger.log(`empty store: loaded demo cluster "${DEMO_CLUSTER}" (snapshot ${result.id})`);
      return result.id;
    });
    if (!loaded) return false;
    await this.loadCompliance(loaded);
    return true;
  }

  /** A first-time user sees a PCI report at once: the demo's intents, a PCI profile, the report of the demo snapshot. */
  private async loadCompliance(snapshotId: string): Promise<void> {
    try {
      const intents = await this.intents.save(DEMO_CLUSTER, await readFile(DEMO_INTENTS_FILE, 'utf8'));
      const profile = await this.profiles.set(DEMO_CLUSTER, ['pci-dss-4.0'], intents.id);
      const reports = await this.profiles.onNewSnapshot((await this.intents.findById(intents.id))?.clusterId ?? '', snapshotId);
      this.logger.log(`demo compliance: intents v${intents.version}, profile ${profile.frameworks.join(', ')}, ${reports.length} report(s)`);
    } catch (error) {
      this.logger.warn(`demo compliance not loaded: ${(error as Error).message}`);
    }
  }
}
