// The command registry (src/registry.ts) loads only the invoked command's module, and the bin runs the rolldown
// bundle (apps/cli/rolldown.config.mjs): `--version` and `--help` load the entry chunk and commander only (neither
// the engine nor the Kubernetes client), `eval` a handful of chunks with the engine but not the Kubernetes client.
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

const BUNDLE = '/apps/cli/dist/bundle/';
const chunks = (modules: readonly string[]) =>
  [...new Set(modules.filter((url) => url.includes(BUNDLE)).map((url) => url.slice(url.indexOf(BUNDLE) + BUNDLE.length)))].sort();
const kubeClient = (url: string) => url.includes('@kubernetes/client-node');

describe('lazy command loading from the bundle', () => {
  it('--version and --help load the entry chunk and commander: no command, no engine, no Kubernetes client', () => {
    const version = loadedModules('--version');
    expect(version.stdout).toBe('0.1.0\n');
    const help = loadedModules('--help');
    for (const command of COMMANDS) expect(help.stdout).toMatch(new RegExp(`^\\s+${command.name}\\s`, 'm'));
    for (const { modules } of [version, help]) {
      expect(chunks(modules)).toEqual(['commander.mjs', 'netpol.mjs', 'rolldown-runtime.mjs']);
      // Nothing but the bundle, the launcher and node built-ins: no file of the unbundled build.
      expect(modules.filter((url) => url.startsWith('file:') && !url.includes(BUNDLE) && !url.endsWith('/apps/cli/bin/netpol.mjs'))).toEqual([]);
    }
  });

  it('eval loads the engine chunk and its own command chunks, not the Kubernetes client or the other commands', () => {
    const run = loadedModules('eval', DEMO, '--src', 'production/frontend', '--dst', 'production/backend', '--port', '8080');
    expect(run.stdout.split('\n')[0]).toBe('allowed');
    expect(run.modules.some(kubeClient)).toBe(false);
    expect(chunks(run.modules)).toEqual(['commander.mjs', 'engine.mjs', 'eval.mjs', 'eval2.mjs', 'netpol.mjs', 'rolldown-runtime.mjs', 'shared.mjs']);
    expect(run.modules.filter((url) => url.startsWith('file:') && !url.includes(BUNDLE) && !url.endsWith('/apps/cli/bin/netpol.mjs'))).toEqual([]);
  });

  it('the command is the first word, or the one after help', () => {
    expect(commandToLoad(['eval', 'x', '--src', 'a/b'])?.name).toBe('eval');
    expect(commandToLoad(['--version'])).toBeUndefined();
    expect(commandToLoad(['help', 'diff'])?.name).toBe('diff');
    expect(commandToLoad(['nosuch'])).toBeUndefined();
  });
});
