// `netpol list` on Calico clusters through the BUILT bin: the whole-snapshot listing (the factorised analysis)
// answers every TCP/UDP assertion of every telepathy case (shared/conformance/dialects/telepathy) as `netpol eval`
// does, one `netpol list --pods -o json` process per case. On snapshots with Calico policies the conn text names
// ICMP whenever it is allowed, so their ICMP (ping) assertions are answered from the listing too; on
// NetworkPolicy-only cases np-guard's text leaves whole ICMP out, and those are left to eval.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseConnString } from '@netpol-atlas/engine';
import { assertionsOf, BIN, casesOf, DIALECTS, REPO_ROOT, type Assertion } from './dialect-conformance.js';

const execFileAsync = promisify(execFile);
const CASES = casesOf('telepathy');

interface Row {
  readonly src: string;
  readonly dst: string;
  readonly conn: string;
}

function ipv4(text: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  return m ? ((Number(m[1]) * 256 + Number(m[2])) * 256 + Number(m[3])) * 256 + Number(m[4]) : undefined;
}

/** Whether a listed peer name stands for an assertion's end: `ns/pod[Pod]`, or an `a-b[External]` range holding the IP. */
function names(peer: string, end: string): boolean {
  const ip = ipv4(end);
  if (ip === undefined) return peer === `${end}[Pod]`;
  const m = /^([\d.]+)-([\d.]+)\[External\]$/.exec(peer);
  return m !== null && ipv4(m[1])! <= ip && ip <= ipv4(m[2])!;
}

function verdict(rows: readonly Row[], a: Assertion): 'allowed' | 'denied' {
  const row = rows.find((r) => names(r.src, a.from) && names(r.dst, a.to));
  if (!row) return 'denied';
  if (a.protocol.toUpperCase() === 'ICMP') return parseConnString(row.conn).containsIcmp('ICMP', 8, 0) ? 'allowed' : 'denied';
  const protocol = a.protocol.toUpperCase() as 'TCP' | 'UDP' | 'SCTP';
  return parseConnString(row.conn).ports(protocol).contains(a.port!) ? 'allowed' : 'denied';
}

describe('netpol list on Calico clusters (telepathy cases) agrees with their assertions', () => {
  it.each(CASES)('%s', async (name) => {
    const input = path.join(DIALECTS, 'telepathy', name, 'input');
    const { stdout, stderr } = await execFileAsync(process.execPath, [BIN, 'list', input, '--pods', '-o', 'json'], { cwd: REPO_ROOT, encoding: 'utf8' });
    // Calico policies are listed, not named as left out of the listing.
    expect(stderr).not.toMatch(/whole-snapshot listings/);
    const rows = JSON.parse(stdout) as Row[];
    const calico = readdirSync(input).some((f) => /projectcalico\.org\//.test(readFileSync(path.join(input, f), 'utf8')));
    const assertions = assertionsOf('telepathy', name).filter((a) => calico || a.protocol !== 'ICMP');
    const label = (a: Assertion) => `${a.from} -> ${a.to} ${a.protocol} ${a.port}`;
    expect(assertions.map((a) => `${label(a)}: ${verdict(rows, a)}`)).toEqual(assertions.map((a) => `${label(a)}: ${a.expect}`));
  });
});
