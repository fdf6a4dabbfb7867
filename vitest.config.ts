import { defineConfig } from 'vitest/config';

// One root run over every project, so the suite ends with a single summary line (tools/vitest-summary-reporter.ts).
export default defineConfig({
  test: {
    projects: ['libs/engine', 'libs/report-pdf', 'apps/cli', 'apps/api', 'apps/dashboard', 'tools'],
    reporters: ['default', './tools/vitest-summary-reporter.ts'],
    // Vitest's default is one worker fewer than the cores: 1 on the 2-core CI machine, so the engine, CLI, tools and
    // report files ran one at a time (their summed time was the wall time). Two at a time; the api and dashboard
    // projects stay sequential (fileParallelism: false: one shared PostgreSQL, one browser).
    maxWorkers: 2,
  },
});
