// The command registry (src/registry.ts) loads only the invoked command's module: `--version` and `--help` load
// neither the engine nor the Kubernetes client, `eval` loads the engine but not the Kubernetes client.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS, commandToLoad } from '../src/registry.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(REPO_ROOT, 'apps/cli/bin/netpol.mjs');
const DEMO = path.join(REPO_ROOT, 'apps/api/data/demo');

const scratch = mkdtempSync(path.join(tmpdir(), 'netpol-lazy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
// A module resolve hook that appends every resolved URL to a log file.
writeFileSync(
  path.join(scratch, 'hooks.mjs'),
  "import { appendFileSync } from 'node:fs';\n" +
    'export async function resolve(specifier, context, next) {\n' +
    '  const result = await next(specifier, context);\n' +
    "  appendFileSync(process.env.MODULE_LOG, result.url + '\\n');\n" +
    '  return result;\n' +
    '}\n',
);
writeFileSync(path.join(scratch, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");

function loadedModules(...args: string[]): { stdout: string; modules: string[] } {
  const log = path.join(scratch, `modules-${args.join('-').replace(/[^a-z]/gi, '')}.log`);
  writeFileSync(log, '');
  const stdout = execFileSync(process.execPath, ['--import', path.join(scratch, 'register.mjs'), BIN, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, MODULE_LOG: log },
  });
  return { stdout, modules: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

const engine = (url: string) => url.includes('/libs/engine/dist/');
const kubeClient = (url: string) => url.includes('@kubernetes/client-node');

describe('lazy command loading', () => {
  it('--version and --help load no command module, no engine and no Kubernetes client', () => {
    const version = loadedModules('--version');
    expect(version.stdout).toBe('0.1.0\n');
    const help = loadedModules('--help');
    for (const command of COMMANDS) expect(help.stdout).toMatch(new RegExp(`^\\s+${command.name}\\s`, 'm'));
    for (const { modules } of [version, help]) {
      expect(modules.some((url) => url.endsWith('/apps/cli/dist/main.js'))).toBe(true);
      expect(modules.filter((url) => engine(url) || kubeClient(url) || url.includes('/dist/commands/'))).toEqual([]);
    }
  });

  it('eval loads the engine and its own command module, not the Kubernetes client or the other commands', () => {
    const run = loadedModules('eval', DEMO, '--src', 'production/frontend', '--dst', 'production/backend', '--port', '8080');
    expect(run.stdout.split('\n')[0]).toBe('allowed');
    expect(run.modules.some(engine)).toBe(true);
    expect(run.modules.some(kubeClient)).toBe(false);
    const commands = run.modules.filter((url) => url.includes('/dist/commands/')).map((url) => path.basename(url));
    expect([...new Set(commands)].sort()).toEqual(['eval.js']);
  });

  it('the command is the first word, or the one after help', () => {
    expect(commandToLoad(['eval', 'x', '--src', 'a/b'])?.name).toBe('eval');
    expect(commandToLoad(['--version'])).toBeUndefined();
    expect(commandToLoad(['help', 'diff'])?.name).toBe('diff');
    expect(commandToLoad(['nosuch'])).toBeUndefined();
  });
});
