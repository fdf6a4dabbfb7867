// NETPOL_JOBS=in-server (the default of `npm start`, one machine with the embedded PostgreSQL): the server runs the
// analysis jobs itself, in its analysis thread pool, so a new snapshot is analysed before anyone asks. With API
// replicas, NETPOL_JOBS=off and `npm run worker` processes instead.
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AnalysisPool } from '../analysis/analysis-pool.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { JobRunner, type JobOutcome } from './analysis-jobs.js';

@Injectable()
export class InServerJobs implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Jobs');
  private runner?: JobRunner;
  /** Called after each job this process runs (the metrics module listens). */
  onJob?: (outcome: JobOutcome) => void;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly pool: AnalysisPool,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.jobs !== 'in-server') return;
    this.runner = new JobRunner({
      databaseUrl: this.config.databaseUrl,
      pool: this.pool,
      concurrency: 1,
      log: (line) => this.logger.log(line),
    });
    this.runner.onJob = (outcome) => this.onJob?.(outcome);
    this.runner.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner?.stop();
  }
}
