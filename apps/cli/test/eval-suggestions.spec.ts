// `netpol eval` where a user is close: an unknown peer names the near workloads, a bare name its namespaced
// candidates (exit 2, nothing on stdout). Through the built bin on the demo cluster.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(REPO, 'apps/cli/bin/netpol.mjs');
const DEMO = path.join(REPO, 'apps/api/data/demo');

async function evalPeers(src: string, dst: string, port = '8080'): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'eval', DEMO, '--src', src, '--dst', dst, '--port', port]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('netpol eval suggestions', () => {
  it.each([
    ['production/frontnd', 'production/backend', 'error: no workload or pod production/frontnd in the snapshot; did you mean production/frontend[Deployment]?\n'],
    ['production/frontend', 'production/bakend', 'error: no workload or pod production/bakend in the snapshot; did you mean production/backend[Deployment]?\n'],
    ['default/frontend', 'production/backend', 'error: no workload or pod default/frontend in the snapshot; did you mean production/frontend[Deployment]?\n'],
    ['frontend', 'production/backend', 'error: --src frontend needs its namespace (ns/name); did you mean production/frontend[Deployment]?\n'],
    ['production/frontend', 'backend', 'error: --dst backend needs its namespace (ns/name); did you mean production/backend[Deployment]?\n'],
    ['production/zzz', 'production/backend', 'error: no workload or pod production/zzz in the snapshot\n'],
  ])('--src %s --dst %s', async (src, dst, stderr) => {
    expect(await evalPeers(src, dst)).toEqual({ code: 2, stdout: '', stderr });
  });

  it.each(['10.0.0.300', 'fd00::zz'])('--dst %s is named as an address that does not parse, not a bare name', async (dst) => {
    expect(await evalPeers('production/frontend', dst)).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: option '--dst <peer>' argument '${dst}' is invalid. "${dst}" is not a valid IP address\n`,
    });
  });

  it('a correct peer still answers', async () => {
    const result = await evalPeers('production/frontend', 'production/backend');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('allowed');
  });
});

describe('netpol who-can-reach / reachable-from: a bare name is worded as eval words it', () => {
  it.each([
    ['who-can-reach', 'backend', 'error: backend needs its namespace (ns/name); did you mean production/backend[Deployment]?\n'],
    ['reachable-from', 'frontend', 'error: frontend needs its namespace (ns/name); did you mean production/frontend[Deployment]?\n'],
    ['who-can-reach', 'zzz', 'error: zzz needs its namespace (ns/name); no workload of that name in the snapshot\n'],
  ])('%s %s', async (command, peer, stderr) => {
    const result = await run(process.execPath, [BIN, command, DEMO, peer]).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(result).toMatchObject({ code: 2, stdout: '', stderr });
  });
});

describe('netpol eval --explain wording', () => {
  it('a port-not-listed rule says which ports it allows; a named port shows its number; rules by field path only', async () => {
    const denied = await run(process.execPath, [BIN, 'eval', DEMO, '--src', 'production/backend', '--dst', 'production/database', '--port', '5433', '--explain']);
    expect(denied.stdout).toContain('  production/database-allow-backend-only spec.ingress[0]: allows only TCP 5432, not the asked port\n');
    expect(denied.stdout).toContain('\nDenied TCP 5433 due to the following policies and rules:\n');
    expect(denied.stdout).not.toMatch(/rule #\d/);
    const named = await run(process.execPath, [BIN, 'eval', DEMO, '--src', 'monitoring/prometheus', '--dst', 'production/database', '--port', 'metrics', '--explain']);
    expect(named.stdout.split('\n')[1]).toMatch(/^allowed TCP 9187 \(metrics\) from monitoring\/prometheus/);
    expect(named.stdout).toContain('\nAllowed TCP 9187 (metrics) due to the following policies and rules:\n');
    expect(named.stdout).toContain("NetworkPolicy 'production/database-allow-backend-only' allows connections by spec.ingress[2]\n");
  });
});

describe('located YAML syntax errors', () => {
  it('name the file, line and column', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(path.join(tmpdir(), 'netpol-yaml-'));
    try {
      const file = path.join(dir, 'ns.yaml');
      writeFileSync(file, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels: {x: [1, 2}\n');
      const result = await run(process.execPath, [BIN, 'list', file]).catch((error: { code: number; stdout: string; stderr: string }) => error);
      expect(result).toMatchObject({ code: 2, stdout: '' });
      expect(result.stderr.split('\n')[0]).toMatch(new RegExp(`^error: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:20: .+ \\[SYNTAX\\]$`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
