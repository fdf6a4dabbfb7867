// `netpol eval` on Calico policies without --cni, through the BUILT bin: the verdict is decided under np-guard's
// reading, and the text and JSON say that the Calico policies were evaluated under it (not "np-guard" alone, which
// reads as "Kubernetes NetworkPolicy only"); with --cni calico no such note. Every other command that reports on the
// same input says it too, on stderr: its stdout (np-guard's formats among them) stays byte for byte the same.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runNetpol } from './run-netpol.js';
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

describe('every other report on the same input: the note on stderr, stdout unchanged', () => {
  const STDERR_NOTE = `note: cni profile np-guard: ${NOTE}\n`;
  // [name, arguments, whether it takes --cni]
  const commands: [string, string[], boolean][] = [
    ['list (txt)', ['list'], true],
    ['list -o json', ['list', '-o', 'json'], true],
    ['list -o csv', ['list', '-o', 'csv'], true],
    ['list --exposure', ['list', '--exposure'], true],
    ['list --explain', ['list', '--explain'], true],
    ['list --summary -o json', ['list', '--summary', '-o', 'json'], true],
    ['who-can-reach', ['who-can-reach', '{}', 'a/server', '--port', '80'], true],
    ['reachable-from -o txt', ['reachable-from', '{}', 'a/client', '-o', 'txt'], true],
    ['lint', ['lint', '--at', '2026-01-01T00:00:00Z'], true],
    ['probe-plan', ['probe-plan'], false],
  ];
  const withInput = (args: string[]) => (args.includes('{}') ? args.map((a) => (a === '{}' ? dir : a)) : [args[0]!, dir, ...args.slice(1)]);

  it.each(commands)('%s', async (_name, args, takesCni) => {
    const undeclared = await runNetpol(withInput(args));
    expect(undeclared.stderr).toContain(STDERR_NOTE);
    expect(undeclared.stdout).not.toContain('no CNI was declared');
    if (!takesCni) return;
    // Declared as np-guard: the same profile, so the same report; only the note goes (a declared CNI misleads nobody).
    const declared = await runNetpol([...withInput(args), '--cni', 'np-guard']);
    expect(declared.code).toBe(undeclared.code);
    expect(declared.stdout).toBe(undeclared.stdout);
    expect(declared.stderr).not.toContain('note:');
  });

  it('diff names the side each note is about', async () => {
    const other = mkdtempSync(path.join(os.tmpdir(), 'netpol-cni-note-new-'));
    writeFileSync(path.join(other, 'cluster.yaml'), CLIENT_SERVER_PODS_YAML);
    const undeclared = await runNetpol(['diff', dir, other]);
    expect(undeclared.code).toBe(0);
    // The new side holds no Calico policy: nothing to say about it.
    expect(undeclared.stderr).toBe(`note: ${dir}: cni profile np-guard: ${NOTE}\n`);
    const declared = await runNetpol(['diff', dir, other, '--cni', 'np-guard']);
    expect(declared.stdout).toBe(undeclared.stdout);
    expect(declared.stderr).toBe('');
  });

  it('eval --batch: the note once on stderr, the answer lines as they were', async () => {
    const question = '{"from":"a/client","to":"a/server","port":80}\n';
    const batch = (...extra: string[]) =>
      new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
        const child = execFile(process.execPath, [BIN, 'eval', dir, '--batch', ...extra], { cwd: REPO_ROOT }, (error, stdout, stderr) => (error ? reject(error) : resolve({ stdout, stderr })));
        child.stdin!.end(question);
      });
    const undeclared = await batch();
    expect(undeclared).toEqual({ stdout: '{"verdict":"allowed"}\n', stderr: STDERR_NOTE });
    expect(await batch('--cni', 'np-guard')).toEqual({ stdout: '{"verdict":"allowed"}\n', stderr: '' });
  });
});
