// The worker threads' entries (issue 13: the first answer after a restart), each bundled by rolldown from tsc's
// dist/ into ONE file of dist/threads/: a thread that imports tsc's output loads some two hundred modules (the engine
// and the API code it uses), ~220 ms of CPU per thread start at 10k pods' scale of machine; one file, ~60 ms. The
// server (model-host.ts, analysis-pool.ts) and the tests start threads from these files only.
import path from 'node:path';
import { defineConfig } from 'rolldown';

// Paths from this file, so that the bench (apps/api/bench/bench-api.mjs) and the tests may run it from anywhere.
const dist = path.join(import.meta.dirname, 'dist');

const thread = (name) => ({
  input: { [name]: path.join(dist, 'apps', 'api', 'src', 'analysis', `${name}.js`) },
  cwd: import.meta.dirname,
  platform: 'node',
  // pg and pg-copy-streams (content-source.ts) load from node_modules, pg only when a thread first reads a content.
  external: [/^node:/, /^pg(-copy-streams)?$/],
  output: { dir: path.join(dist, 'threads'), format: 'esm', entryFileNames: '[name].mjs', sourcemap: false },
});

export default defineConfig([thread('model-thread'), thread('analysis-thread')]);
