// Calico and Kubernetes verdicts from telepathy's e2e data (shared/conformance/dialects/telepathy, see its README):
// one test per case, every assertion of the case answered by ONE `netpol eval --batch` process of the BUILT bin
// (the verdict is source egress AND destination ingress; ICMP assertions are pings; `zz-*` cases cross host
// endpoints: traffic from outside forwarded to pods through applyOnForward / preDNAT policies).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(REPO_ROOT, 'apps/cli/bin/netpol.mjs');
const DIR = path.resolve(import.meta.dirname, '../../../../shared/conformance/dialects/telepathy');

interface Assertion {
  readonly from: string;
  readonly to: string;
  readonly port?: number;
  readonly protocol: string;
  readonly expect: 'allowed' | 'denied';
}

const CASES = readdirSync(DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

function batch(input: string, lines: readonly string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'eval', input, '--batch'], { cwd: REPO_ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
    child.stdin.end(lines.join('\n'));
  });
}

describe('telepathy conformance (Calico and Kubernetes) through netpol eval --batch', () => {
  it('has the cases the README counts (40)', () => {
    expect(CASES.length).toBe(40);
  });

  it.each(CASES)('%s', async (name) => {
    const assertions = JSON.parse(readFileSync(path.join(DIR, name, 'assertions.json'), 'utf8')) as Assertion[];
    const questions = assertions.map((a) =>
      JSON.stringify(a.protocol === 'ICMP' ? { from: a.from, to: a.to, protocol: 'ICMP' } : { from: a.from, to: a.to, port: a.port, protocol: a.protocol }),
    );
    const { stdout, stderr, code } = await batch(path.join(DIR, name, 'input'), questions);
    expect(code, stderr).toBe(0);
    const answers = stdout.trim().split('\n').map((line) => JSON.parse(line) as { verdict?: string; error?: string });
    const got = assertions.map((a, i) => `${a.from} -> ${a.to} ${a.protocol} ${a.port ?? ''}: ${answers[i]?.verdict ?? answers[i]?.error}`);
    const want = assertions.map((a) => `${a.from} -> ${a.to} ${a.protocol} ${a.port ?? ''}: ${a.expect}`);
    expect(got).toEqual(want);
  });
});
