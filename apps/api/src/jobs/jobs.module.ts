import { Module } from '@nestjs/common';
import { AnalysisModule } from '../analysis/analysis.module.js';
import { InServerJobs } from './in-server-jobs.service.js';

/** Analysis jobs run inside the server when the database is embedded (NETPOL_JOBS=in-server); `npm run worker` otherwise. */
@Module({ imports: [AnalysisModule], providers: [InServerJobs], exports: [InServerJobs] })
export class JobsModule {}
