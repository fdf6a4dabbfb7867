import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { API_ROOT, REPO_ROOT } from './processes.js';

export const BUILT_MAIN = path.join(API_ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
/** The bundled thread entries (rolldown.config.mjs), built after tsc's output. */
const BUILT_THREADS = ['model-thread', 'analysis-thread'].map((name) => path.join(API_ROOT, 'dist', 'threads', `${name}.mjs`));

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Tests of the built server must run the current code: rebuild apps/api when a source is newer than its build.
 * (`npm test` builds everything first, so there this is a no-op and nothing rewrites dist while tests run.)
 */
export function ensureApiBuilt(): void {
  const sources = Math.max(newestSource(path.join(API_ROOT, 'src')), newestSource(path.join(REPO_ROOT, 'migrations')));
  if ([BUILT_MAIN, ...BUILT_THREADS].every((file) => existsSync(file) && statSync(file).mtimeMs >= sources)) return;
  const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', path.join(API_ROOT, 'tsconfig.app.json')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`apps/api does not build:\n${build.stdout}${build.stderr}`);
  // As `nx run api:build`: the threads' entries are bundled from tsc's output.
  const rolldown = path.join(REPO_ROOT, 'node_modules', 'rolldown', 'bin', 'cli.mjs');
  const bundle = spawnSync(process.execPath, [rolldown, '-c', 'rolldown.config.mjs', '--logLevel', 'warn'], { cwd: API_ROOT, encoding: 'utf8' });
  if (bundle.status !== 0) throw new Error(`apps/api's thread entries do not bundle:\n${bundle.stdout}${bundle.stderr}`);
}
