// `npm test`: build and lint every project (the CLI and browser tests run the built artefacts), then run the
// whole Vitest suite once. The last line is `N passed, M failed` (CI reads it); the exit code is Vitest's.
import { spawnSync } from 'node:child_process';

const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', env }).status ?? 1;

let status = run('npx', ['--no-install', 'nx', 'run-many', '-t', 'build', 'lint', '--output-style=static']);
if (status !== 0) {
  console.log('\n0 passed, 1 failed');
  process.exit(status);
}
status = run('npx', ['--no-install', 'vitest', 'run', ...process.argv.slice(2)]);
process.exit(status);
