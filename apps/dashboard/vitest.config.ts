import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Unit tests (src/**/*.spec.ts[x]) run in Node; the browser test (test/) drives the built app in Chromium
// against the built API server, so it needs `vite build` and the API build first (Nx: test dependsOn).
export default defineConfig({
  plugins: [react()],
  test: {
    name: 'dashboard',
    root: import.meta.dirname,
    include: ['src/**/*.spec.ts', 'src/**/*.spec.tsx', 'test/**/*.spec.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
