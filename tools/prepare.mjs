// Root `prepare` (runs after `npm ci` / `npm install`): build what the `netpol` bin runs, so that
// `npx --no-install netpol --help` works right after install with no other step.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const tsc = 'node_modules/typescript/bin/tsc';
if (!existsSync(tsc)) {
  console.warn('prepare: typescript is not installed; skipping the CLI build');
  process.exit(0);
}
for (const project of ['libs/engine/tsconfig.lib.json', 'libs/report-pdf/tsconfig.lib.json', 'apps/cli/tsconfig.app.json']) {
  if (!existsSync(project)) continue;
  execFileSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit' });
}
// The bin runs the rolldown bundle of the CLI (apps/cli/rolldown.config.mjs).
const rolldown = 'node_modules/rolldown/bin/cli.mjs';
if (existsSync(rolldown) && existsSync('apps/cli/rolldown.config.mjs')) {
  execFileSync(process.execPath, [path.resolve(rolldown), '-c', 'rolldown.config.mjs', '--logLevel', 'warn'], { cwd: 'apps/cli', stdio: 'inherit' });
}
