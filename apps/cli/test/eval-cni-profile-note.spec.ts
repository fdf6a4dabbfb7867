// `netpol eval` on Calico policies without --cni, through the BUILT bin: the verdict is decided under np-guard's
// reading, and the text and JSON say that the Calico policies were evaluated under it (not "np-guard" alone, which
// reads as "Kubernetes NetworkPolicy only"); with --cni calico no such note.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { calicoServerIn, CLIENT_SERVER_PODS_YAML } from '../../../tools/testing/client-server.js';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(REPO_ROOT, 'apps/cli/bin/netpol.mjs');
const NOTE =
  "no CNI was declared: np-guard's reading (the default) evaluated every modelled policy dialect present (calico), calico included, " +
  "with ipBlocks and nets matching external IPs only; not calico's own semantics (declare the cluster's CNI, e.g. calico, for them)";

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'netpol-cni-note-'));
  const serverIn = calicoServerIn(`    - { action: Allow, protocol: TCP, source: { selector: app == 'client' }, destination: { ports: [80] } }\n`);
  writeFileSync(path.join(dir, 'cluster.yaml'), [CLIENT_SERVER_PODS_YAML, serverIn].join('---\n'));
});

const evalArgs = (...extra: string[]) => [BIN, 'eval', dir, '--src', 'a/client', '--dst', 'a/server', '--port', '80', ...extra];

describe('netpol eval: the CNI profile of Calico policies when no CNI was declared', () => {
  it('text: the profile line, then the note', async () => {
    const { stdout } = await run(process.execPath, evalArgs(), { cwd: REPO_ROOT });
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('allowed');
    expect(lines.slice(2, 4)).toEqual(['cni profile: np-guard', `cni profile note: ${NOTE}`]);
  });

  it('-o json carries cniProfileNote; --cni calico (declared) has none', async () => {
    const undeclared = JSON.parse((await run(process.execPath, evalArgs('-o', 'json'), { cwd: REPO_ROOT })).stdout) as Record<string, unknown>;
    expect(undeclared).toMatchObject({ allowed: true, cniProfile: 'np-guard', cniProfileNote: NOTE });
    const declared = JSON.parse((await run(process.execPath, evalArgs('-o', 'json', '--cni', 'calico'), { cwd: REPO_ROOT })).stdout) as Record<string, unknown>;
    expect(declared.cniProfile).toBe('calico');
    expect(declared).not.toHaveProperty('cniProfileNote');
    const text = (await run(process.execPath, evalArgs('--cni', 'calico'), { cwd: REPO_ROOT })).stdout;
    expect(text).not.toContain('cni profile note');
  });
});
