// What the API's worker threads run and how many there are by default. The entries are bundled (apps/api
// rolldown.config.mjs, part of `nx run api:build`): one file per thread, not the ~200 modules of tsc's output that a
// thread would otherwise load at start (~220 ms of CPU against ~60 ms). The built server and the tests start the same
// files. No Nest import here: main.ts starts the model threads before it loads the application (model-threads.ts).
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { API_ROOT } from '../config/paths.js';

/** Threads of the analysis pool (NETPOL_ANALYSIS_THREADS): cores − 1, at least 1. */
export const DEFAULT_ANALYSIS_THREADS = Math.max(1, availableParallelism() - 1);
/** Tasks waiting for a pool's thread at most (beyond: 503). */
export const DEFAULT_ANALYSIS_QUEUE = 64;

/** The bundled entry of a thread (dist/threads/NAME.mjs). */
export function threadEntry(name: 'model-thread' | 'analysis-thread'): string {
  const file = path.join(API_ROOT, 'dist', 'threads', `${name}.mjs`);
  if (!existsSync(file)) throw new Error(`the ${name} is not built (${file}): run \`npm run build\``);
  return file;
}
