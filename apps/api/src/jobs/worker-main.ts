// A worker process: `npm run worker` (DATABASE_URL as the app role; NETPOL_ANALYSIS_THREADS, NETPOL_JOB_CONCURRENCY,
// NETPOL_JOB_TIMEOUT_MS). Runs analysis jobs from the PostgreSQL queue until SIGTERM/SIGINT, then finishes the jobs
// it holds and exits. Any number of workers may run against one database.
import { AnalysisPool } from '../analysis/analysis-pool.js';
import { JobRunner } from './analysis-jobs.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('DATABASE_URL is not set (the PostgreSQL of the API servers, as the app role)');
  process.exit(2);
}
const threads = Number(process.env.NETPOL_ANALYSIS_THREADS) || undefined;
const pool = new AnalysisPool({ threads });
const runner = new JobRunner({
  databaseUrl,
  pool,
  concurrency: Number(process.env.NETPOL_JOB_CONCURRENCY) || threads || 1,
  jobTimeoutMs: Number(process.env.NETPOL_JOB_TIMEOUT_MS) || undefined,
  pollMs: Number(process.env.NETPOL_JOB_POLL_MS) || undefined,
  logStarts: true,
});
runner.start();
// The tests and operators read this line.
console.log(`Netpol Atlas worker ${runner.name} running analysis jobs`);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`worker ${runner.name}: ${signal}, finishing the jobs it holds`);
    void runner
      .stop()
      .then(() => pool.close())
      .then(() => process.exit(0));
  });
}
