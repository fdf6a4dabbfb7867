import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built to apps/dashboard/dist, which the API serves at `/` with an SPA fallback.
// `vite dev` proxies the API so the UI can be developed against a running server (default port 3000).
const apiTarget = process.env.NETPOL_SERVER ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    proxy: {
      '/graphql': apiTarget,
      '/api': apiTarget,
    },
  },
});
