// The hostile-input table (tools/testing/hostile-inputs.ts) through the BUILT `netpol list`: each case is a file,
// and the CLI must exit 2 with the case's located issue on stderr (on a line naming that file) and print nothing on
// stdout. Batched: the text cases go to ONE `netpol list` of all their files (each file's issues are its own: a file
// is read whole and a bad one does not stop the others); the cases that would stop a whole run — bytes that are not
// UTF-8 (the read stops there) and the object cap (parsing stops there) — run one process each.
// Build first: npx --no-install nx run-many -t build
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_CASES, hostileBytes, type HostileCase } from '../../../tools/testing/hostile-inputs.js';
import { documentOrdinal } from '../src/report-io.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(REPO_ROOT, 'apps/cli/bin/netpol.mjs');

interface CliOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

function runList(...files: string[]): Promise<CliOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, 'list', ...files], { cwd: REPO_ROOT, maxBuffer: 64 << 20, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number }).code ?? null) : 0;
      resolve({ code: typeof code === 'number' ? code : null, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** The stderr line the CLI prints for the case's issue: `error: file[:line] [(2nd document)] path: message [CODE]`. */
function issueLine(stderr: string, file: string, testCase: HostileCase): string | undefined {
  return stderr.split('\n').find((line) => {
    if (!line.startsWith(`error: ${file}`) || !line.endsWith(`[${testCase.code}]`)) return false;
    if (!/^[:\s]/.test(line.slice(`error: ${file}`.length))) return false; // not case-010 for case-01
    if (testCase.line !== undefined && !new RegExp(`^:${testCase.line}[:\\s]`).test(line.slice(`error: ${file}`.length))) return false;
    const document = testCase.document ?? 0;
    if (document > 0 && !line.includes(`(${documentOrdinal(document)})`)) return false;
    return testCase.path === '' || line.includes(` ${testCase.path}: `);
  });
}

/** Cases that stop a whole run, so they get a process of their own. */
const runsAlone = (testCase: HostileCase): boolean => typeof testCase.input() !== 'string' || testCase.code === 'OBJECT_LIMIT';

describe('hostile inputs: netpol list (built CLI)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'netpol-hostile-'));
  const files = new Map<string, string>();
  const outcomes = new Map<string, CliOutcome>();

  beforeAll(async () => {
    const batch: string[] = [];
    const alone: { name: string; file: string }[] = [];
    HOSTILE_CASES.forEach((testCase, i) => {
      const file = path.join(dir, `case-${String(i).padStart(3, '0')}.${testCase.extension}`);
      writeFileSync(file, hostileBytes(testCase));
      files.set(testCase.name, file);
      if (runsAlone(testCase)) alone.push({ name: testCase.name, file });
      else batch.push(testCase.name);
    });
    const batchRun = runList(...batch.map((name) => files.get(name)!));
    const singles = Promise.all(alone.map(async ({ name, file }) => outcomes.set(name, await runList(file))));
    const batchOutcome = await batchRun;
    for (const name of batch) outcomes.set(name, batchOutcome);
    await singles;
  }, 300_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the text cases in one process and the rest alone', () => {
    const alone = HOSTILE_CASES.filter(runsAlone);
    expect(alone.length).toBeLessThan(10);
    expect(new Set(HOSTILE_CASES.map((c) => outcomes.get(c.name))).size).toBe(alone.length + 1);
  });

  it('prints the first 1,000 issues and counts the rest', async () => {
    const file = path.join(dir, 'many-issues.yaml');
    writeFileSync(file, Array.from({ length: 1200 }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad${i}\n`).join('---\n'));
    const outcome = await runList(file);
    expect(outcome.code).toBe(2);
    const lines = outcome.stderr.trimEnd().split('\n');
    expect(lines.filter((line) => line.startsWith('error: ') && line.endsWith('[INVALID_VALUE]'))).toHaveLength(1000);
    expect(lines.at(-1)).toBe('… and 200 more issues');
  });

  it.each(HOSTILE_CASES.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
    const outcome = outcomes.get(testCase.name)!;
    const file = files.get(testCase.name)!;
    expect(outcome.code, outcome.stderr.slice(0, 2000)).toBe(2);
    expect(outcome.stdout).toBe('');
    expect(issueLine(outcome.stderr, file, testCase), outcome.stderr.slice(0, 4000)).toBeDefined();
  });
});
