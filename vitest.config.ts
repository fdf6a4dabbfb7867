import { defineConfig } from 'vitest/config';

// One root run over every project, so the suite ends with a single summary line (tools/vitest-summary-reporter.ts).
export default defineConfig({
  test: {
    projects: ['libs/engine', 'libs/report-pdf', 'apps/cli', 'apps/api', 'apps/dashboard', 'tools'],
    reporters: ['default', './tools/vitest-summary-reporter.ts'],
  },
});
