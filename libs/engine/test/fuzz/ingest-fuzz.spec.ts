// The ingest fuzz (tools/testing/ingest-fuzz.ts) through the engine, as the CLI and the server read an upload: bytes →
// decodeManifestBytes → parseManifests (and the server's ProjectedUploadStream, fed in random chunks) → buildSnapshot
// → analyze → every text output (np-guard connlist formats, explain, summary, lint txt/json/SARIF, probe plan).
// Oracle: nothing throws; every issue has a code of types.ts, a path, a document index and a message without a stack
// trace; the streamed upload finds the same issues as the one-shot parse; the same input gives the same bytes twice.
// Seeded and bounded: the same cases on every run, well under a minute.
import { describe, expect, it } from 'vitest';
import { fuzzCases, prng, type FuzzCase } from '../../../../tools/testing/ingest-fuzz.js';
import { analyze } from '../../src/analysis/analyze.js';
import { iterateConnectivity } from '../../src/analysis/connectivity.js';
import { explainChunks } from '../../src/explain/index.js';
import { formatLint, lint, LINT_FORMATS } from '../../src/lint/index.js';
import { decodeManifestBytes } from '../../src/manifest/encoding.js';
import { parseManifests } from '../../src/manifest/parse-manifests.js';
import { ProjectedUploadStream } from '../../src/manifest/projected-upload-stream.js';
import type { Issue, IssueCode } from '../../src/manifest/types.js';
import { buildSnapshot } from '../../src/model/snapshot.js';
import { showsIcmp } from '../../src/output/conn-string.js';
import { connlistChunks, CONNLIST_FORMATS } from '../../src/output/connlist.js';
import { formatProbePlan, probePlan } from '../../src/probe-plan/index.js';
import { connectivitySummary, formatConnectivitySummaryJson } from '../../src/summary/index.js';
import { cpuMs } from '../cpu-clock.js';

const GENERATOR_SEED = 20261207;
const MUTATIONS = 400;
const DETERMINISM_MAX_BYTES = 1 << 20;
/** The name the server gives a REST body. */
const STREAM_FILE = 'request-body';
/** One case's budget (the fixed 100,000-document case is the slowest: a few seconds on the loaded 2-core machine). */
const CASE_BUDGET_MS = 15_000;

/** Every code of types.ts: a Record, so a new code fails the typecheck here until it is listed. */
const ISSUE_CODES: Readonly<Record<IssueCode, true>> = {
  SYNTAX: true, DUPLICATE_KEY: true, ALIAS_LIMIT: true, DEPTH_LIMIT: true, SIZE_LIMIT: true, NOT_AN_OBJECT: true,
  MISSING_FIELD: true, WRONG_TYPE: true, INVALID_VALUE: true, YAML11_SCALAR: true, FORBIDDEN_KEY: true, UNKNOWN_FIELD: true,
  INVALID_CHARACTER: true, OBJECT_LIMIT: true, INVALID_ENCODING: true, UNKNOWN_KIND: true, NOT_MODELLED: true,
  IGNORED_DOCUMENT: true, OVERRIDDEN_VALUE: true, INCONSISTENT_LABELS: true, INCONSISTENT_NAMED_PORTS: true,
  DUPLICATE_OBJECT: true, HOST_NETWORK: true, EQUAL_PRIORITY: true,
};

/** What one run of the pipeline produced: the issues and every output, as one text (compared between runs). */
interface Outcome {
  readonly issues: readonly Issue[];
  readonly stage: 'encoding' | 'parse' | 'build' | 'analysed';
  readonly output: string;
}

function runPipeline(testCase: FuzzCase): Outcome {
  const file = `fuzz.${testCase.extension}`;
  const decoded = decodeManifestBytes(file, testCase.bytes);
  if ('issue' in decoded) return { issues: [decoded.issue], stage: 'encoding', output: '' };
  const parsed = parseManifests([{ path: file, text: decoded.text }]);
  if (parsed.issues.some((issue) => issue.severity === 'error')) return { issues: parsed.issues, stage: 'parse', output: '' };
  const built = buildSnapshot(parsed.objects);
  const issues = [...parsed.issues, ...built.issues];
  if (built.issues.some((issue) => issue.severity === 'error')) return { issues, stage: 'build', output: '' };
  const analysis = analyze(built.snapshot);
  const parts: string[] = [];
  for (const format of CONNLIST_FORMATS) {
    parts.push(...connlistChunks(iterateConnectivity(analysis, { granularity: 'workload' }), format, { ipv6RowsOmitted: 0, rows: 0 }, showsIcmp(built.snapshot)));
  }
  parts.push(...explainChunks(analysis, { granularity: 'pod' }, { explained: 0, systemDefault: 0, ipv6AtomsOmitted: 0 }));
  parts.push(formatConnectivitySummaryJson(connectivitySummary(analysis, { granularity: 'workload' })));
  const linted = lint({ snapshot: built.snapshot, analysis, objects: parsed.objects }, { at: '2026-01-01T00:00:00Z' });
  for (const format of LINT_FORMATS) parts.push(formatLint(linted, format));
  parts.push(formatProbePlan(probePlan(analysis, {}), 'json'));
  return { issues, stage: 'analysed', output: parts.join('\u0001') };
}

/** The server's streamed read of the same bytes, in chunks of random sizes (split UTF-8 sequences included). */
function runStream(testCase: FuzzCase, chunkSeed: number): readonly Issue[] | undefined {
  const stream = new ProjectedUploadStream(STREAM_FILE);
  const rng = prng(chunkSeed);
  for (let at = 0; at < testCase.bytes.length; ) {
    const size = 1 + Math.floor(rng() * 8192);
    stream.write(testCase.bytes.subarray(at, at + size));
    at += size;
  }
  return stream.end()?.issues;
}

/** Every problem with one case's issues (empty: it passes). */
function issueProblems(issues: readonly Issue[]): string[] {
  const problems: string[] = [];
  for (const issue of issues) {
    const shown = JSON.stringify(issue).slice(0, 300);
    if (!Object.hasOwn(ISSUE_CODES, issue.code)) problems.push(`unknown code: ${shown}`);
    if (issue.severity !== 'error' && issue.severity !== 'warning') problems.push(`bad severity: ${shown}`);
    if (typeof issue.path !== 'string') problems.push(`no path: ${shown}`);
    if (!Number.isInteger(issue.document) || issue.document < 0) problems.push(`bad document index: ${shown}`);
    if (issue.line !== undefined && (!Number.isInteger(issue.line) || issue.line < 1)) problems.push(`bad line: ${shown}`);
    if (typeof issue.message !== 'string' || issue.message.length === 0) problems.push(`no message: ${shown}`);
    else if (/\n\s+at \S/.test(issue.message)) problems.push(`stack trace in the message: ${shown}`);
  }
  return problems;
}

/** How many cases ended at each stage (filled by the chunks, checked last). */
const stagesSeen = new Map<Outcome['stage'], number>();

const located = (issues: readonly Issue[] | undefined) => issues?.map((issue) => `${issue.severity} ${issue.code} ${issue.document} ${issue.path}`);

function caseProblems(testCase: FuzzCase, index: number): string[] {
  const started = cpuMs();
  let first: Outcome;
  try {
    first = runPipeline(testCase);
  } catch (error) {
    return [`threw: ${(error as Error).stack?.split('\n').slice(0, 4).join(' | ')}`];
  }
  const elapsed = cpuMs() - started;
  stagesSeen.set(first.stage, (stagesSeen.get(first.stage) ?? 0) + 1);
  const problems = issueProblems(first.issues);
  if (elapsed > CASE_BUDGET_MS) problems.push(`took ${Math.round(elapsed)} ms of CPU`);
  // The same bytes twice (the few inputs over 1 MB are read once: they are about bounds, not outputs).
  if (testCase.bytes.length <= DETERMINISM_MAX_BYTES) {
    const second = runPipeline(testCase);
    if (second.output !== first.output || JSON.stringify(second.issues) !== JSON.stringify(first.issues)) problems.push('not deterministic');
  }
  // The stream reads the server's REST body (named `request-body`: no extension, the format is sniffed): the same
  // located issues as the one-shot parse of a text of that name (or both not UTF-8).
  let streamed: readonly Issue[] | undefined;
  try {
    streamed = runStream(testCase, index);
  } catch (error) {
    return [...problems, `stream threw: ${(error as Error).stack?.split('\n').slice(0, 4).join(' | ')}`];
  }
  const decoded = decodeManifestBytes(STREAM_FILE, testCase.bytes);
  const expected = 'issue' in decoded ? undefined : located(parseManifests([{ path: STREAM_FILE, text: decoded.text }]).issues);
  if (JSON.stringify(located(streamed)) !== JSON.stringify(expected)) {
    problems.push(`stream differs: ${JSON.stringify(located(streamed))?.slice(0, 300)} vs ${JSON.stringify(expected)?.slice(0, 300)}`);
  }
  return problems;
}

describe('ingest fuzz: the engine', () => {
  const cases = fuzzCases(GENERATOR_SEED, MUTATIONS);

  it('generates the same cases for the same seed, and different ones for another', () => {
    const again = fuzzCases(GENERATOR_SEED, 20);
    expect(again.map((c) => c.name)).toEqual(cases.slice(0, again.length).map((c) => c.name));
    expect(again.map((c) => Buffer.from(c.bytes).toString('base64'))).toEqual(cases.slice(0, again.length).map((c) => Buffer.from(c.bytes).toString('base64')));
    expect(fuzzCases(GENERATOR_SEED + 1, 20).map((c) => c.name)).not.toEqual(again.map((c) => c.name));
  });

  // Chunks of cases, so a failure names the cases of its chunk and the others still run.
  const CHUNK = 50;
  for (let start = 0; start < cases.length; start += CHUNK) {
    const chunk = cases.slice(start, start + CHUNK);
    it(`cases ${start}–${start + chunk.length - 1}: no crash, located issues with known codes, the same bytes twice`, { timeout: 120_000 }, () => {
      const failures = chunk.flatMap((testCase, k) => caseProblems(testCase, start + k).map((problem) => `${testCase.name}: ${problem}`));
      expect(failures).toEqual([]);
    });
  }

  // Runs after the chunks (a file's tests run in order): the mutations must not all die in the parser.
  it('reached every stage: unreadable bytes, refused documents, analysed snapshots', () => {
    expect([...stagesSeen.keys()]).toEqual(expect.arrayContaining(['encoding', 'parse', 'analysed']));
    expect(stagesSeen.get('analysed')).toBeGreaterThanOrEqual(MUTATIONS / 10);
  });
});
