import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'report-pdf',
    root: import.meta.dirname,
    include: ['src/**/*.spec.ts'],
    testTimeout: 60_000,
  },
});
