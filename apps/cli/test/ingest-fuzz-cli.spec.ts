// The ingest fuzz (tools/testing/ingest-fuzz.ts) through the BUILT `netpol list`: the fixed hostile shapes and a
// sample of the mutations, one file and one process each (a file that is not UTF-8 stops a whole run). Oracle: exit 0
// (the report on stdout) or 2 (an `error:` line on stderr, nothing on stdout), never 1 or a signal, never a stack
// trace; the same file gives the same stdout and stderr twice (every other case).
// Build first: npx --no-install nx run-many -t build
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fuzzCases, type FuzzCase } from '../../../tools/testing/ingest-fuzz.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(REPO_ROOT, 'apps/cli/bin/netpol.mjs');
const GENERATOR_SEED = 20261207;
const MUTATIONS = 400;
/** Every SAMPLE_EVERY-th mutation (offset from the server's sample, so the two channels see different ones). */
const SAMPLE_EVERY = 40;

interface CliOutcome {
  readonly code: number | string | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runList(file: string): Promise<CliOutcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, 'list', file], { cwd: REPO_ROOT, maxBuffer: 256 << 20, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number | string }).code ?? (error as { signal?: string }).signal ?? null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function outcomeProblems(outcome: CliOutcome): string[] {
  const problems: string[] = [];
  if (outcome.code !== 0 && outcome.code !== 2) problems.push(`exit ${String(outcome.code)}: ${outcome.stderr.slice(0, 300)}`);
  if (/\n\s+at \S/.test(outcome.stderr)) problems.push(`stack trace on stderr: ${outcome.stderr.slice(0, 300)}`);
  if (outcome.code === 2) {
    if (!/^error: /m.test(outcome.stderr)) problems.push('exit 2 without an error line');
    if (outcome.stdout !== '') problems.push('exit 2 with a report on stdout');
  }
  return problems;
}

describe('ingest fuzz: the built CLI (netpol list)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'netpol-fuzz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases: FuzzCase[] = fuzzCases(GENERATOR_SEED, MUTATIONS).filter((testCase, i) => testCase.name.startsWith('fixed: ') || i % SAMPLE_EVERY === 25);

  it('exits 0 or 2 on every sampled case, without a stack trace, the same output twice', { timeout: 600_000 }, async () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const failures: string[] = [];
    const codes = new Map<string, number>();
    for (const [index, testCase] of cases.entries()) {
      const file = path.join(dir, `case-${index}.${testCase.extension}`);
      writeFileSync(file, testCase.bytes);
      const first = await runList(file);
      codes.set(String(first.code), (codes.get(String(first.code)) ?? 0) + 1);
      const problems = outcomeProblems(first);
      // Every other case twice (each run is a process: the budget is a minute).
      if (index % 2 === 0) {
        const second = await runList(file);
        if (second.code !== first.code || second.stdout !== first.stdout || second.stderr !== first.stderr) problems.push('a second run printed otherwise');
      }
      failures.push(...problems.map((problem) => `${testCase.name}: ${problem}`));
    }
    expect(failures).toEqual([]);
    // The sample reaches both answers: reports and refusals.
    expect(codes.get('0') ?? 0).toBeGreaterThan(0);
    expect(codes.get('2') ?? 0).toBeGreaterThan(0);
  });
});
