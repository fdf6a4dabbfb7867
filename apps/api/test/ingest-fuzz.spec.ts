// The ingest fuzz (tools/testing/ingest-fuzz.ts) through one real server: a sample of the cases as REST uploads.
// Oracle: the status is 201 or 4xx, never 5xx; an error has the documented shape (statusCode, error, message) and its
// issues known codes, paths and document indexes; a refusal writes no row; a stored snapshot can be analysed (its
// connectivity and lint answer 200, not 5xx); the same body answers the same status and issues twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzCases, type FuzzCase } from '../../../tools/testing/ingest-fuzz.js';
import { startApp, type TestApp } from './support/app.js';
import { rowCounts } from './support/database.js';
import { gql } from './support/graphql.js';

const GENERATOR_SEED = 20261207;
/** The engine spec runs every case; the server takes the fixed shapes and every SAMPLE_EVERY-th mutation. */
const MUTATIONS = 400;
const SAMPLE_EVERY = 10;

const ISSUE_CODES = new Set([
  'SYNTAX', 'DUPLICATE_KEY', 'ALIAS_LIMIT', 'DEPTH_LIMIT', 'SIZE_LIMIT', 'NOT_AN_OBJECT', 'MISSING_FIELD', 'WRONG_TYPE',
  'INVALID_VALUE', 'YAML11_SCALAR', 'FORBIDDEN_KEY', 'UNKNOWN_FIELD', 'INVALID_CHARACTER', 'OBJECT_LIMIT', 'INVALID_ENCODING',
  'UNKNOWN_KIND', 'NOT_MODELLED', 'IGNORED_DOCUMENT', 'OVERRIDDEN_VALUE', 'INCONSISTENT_LABELS', 'INCONSISTENT_NAMED_PORTS',
  'DUPLICATE_OBJECT', 'HOST_NETWORK', 'EQUAL_PRIORITY',
]);

const INGEST = `mutation($cluster: String!, $manifests: String!) {
  ingestSnapshot(cluster: $cluster, manifests: $manifests) { snapshot { id } }
}`;

const STATUS_NAMES: Record<number, string> = { 400: 'BAD_REQUEST', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 422: 'UNPROCESSABLE_ENTITY' };

interface IssueBody {
  readonly code: string;
  readonly severity: string;
  readonly path: string;
  readonly document: number;
  readonly message: string;
}

function sample(): FuzzCase[] {
  const cases = fuzzCases(GENERATOR_SEED, MUTATIONS);
  return cases.filter((testCase, i) => testCase.name.startsWith('fixed: ') || i % SAMPLE_EVERY === 0);
}

/** Every problem with one answer's body (empty: it passes). */
function bodyProblems(status: number, body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (status >= 500) problems.push(`status ${status}`);
  if (status >= 400) {
    if (body['statusCode'] !== status) problems.push(`statusCode ${String(body['statusCode'])}`);
    if (STATUS_NAMES[status] !== undefined && body['error'] !== STATUS_NAMES[status]) problems.push(`error ${String(body['error'])}`);
    if (typeof body['message'] !== 'string' || body['message'] === '') problems.push('no message');
  }
  const issues = (status >= 400 ? body['issues'] : body['warnings']) as IssueBody[] | undefined;
  for (const issue of issues ?? []) {
    if (!ISSUE_CODES.has(issue.code)) problems.push(`unknown code ${issue.code}`);
    if (typeof issue.path !== 'string' || !Number.isInteger(issue.document) || issue.document < 0) problems.push(`unlocated ${JSON.stringify(issue)}`);
    if (/\n\s+at \S/.test(issue.message)) problems.push('stack trace in a message');
  }
  if (status === 400 || status === 422) {
    if (!issues?.some((issue) => issue.severity === 'error')) problems.push('a refusal without an error issue');
  }
  if (JSON.stringify(body).includes('    at ')) problems.push('stack trace in the body');
  return problems;
}

describe('ingest fuzz: REST upload (one server)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
  }, 120_000);

  afterAll(() => t?.close());

  it('answers every sampled case with 201 or a 4xx of the documented shape, writes nothing on a refusal, analyses what it stores', { timeout: 600_000 }, async () => {
    const cases = sample();
    expect(cases.length).toBeGreaterThanOrEqual(60);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let before = await rowCounts(t.databaseUrl);
    for (const [index, testCase] of cases.entries()) {
      const cluster = `fuzz-${index}`;
      const post = () =>
        t.http
          .post(`/api/v1/clusters/${cluster}/snapshots`)
          .set('Content-Type', testCase.extension === 'json' ? 'application/json' : 'application/yaml')
          .send(Buffer.from(testCase.bytes));
      const res = await post();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const problems = bodyProblems(res.status, res.body as Record<string, unknown>);
      if (res.status >= 400) {
        const after = await rowCounts(t.databaseUrl);
        if (JSON.stringify(after) !== JSON.stringify(before)) problems.push('rows written on a refusal');
        const again = await post();
        if (again.status !== res.status || JSON.stringify(again.body) !== JSON.stringify(res.body)) problems.push('a second upload answered otherwise');
      } else if (res.status === 201) {
        const id = (res.body as { id: string }).id;
        for (const url of [`/api/v1/snapshots/${id}/connectivity?format=txt`, `/api/v1/snapshots/${id}/lint?format=json`]) {
          const answer = await t.http.get(url);
          // 422: a stored snapshot the analysis refuses (model-level errors) is an answer, not a crash.
          if (answer.status !== 200 && answer.status !== 422) problems.push(`${url} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 200)}`);
        }
        before = await rowCounts(t.databaseUrl);
      } else if (res.status < 400) problems.push(`status ${res.status}`);
      failures.push(...problems.map((problem) => `${testCase.name}: ${problem}`));
    }
    expect(failures).toEqual([]);
    // The sample reaches both sides: some uploads stored, some refused.
    expect(statuses.get(201) ?? 0).toBeGreaterThan(0);
    expect([...statuses.keys()].filter((status) => status >= 400).length).toBeGreaterThan(0);
  });

  it('answers the text cases of the sample through GraphQL ingestSnapshot with data or BAD_USER_INPUT, never a server error', { timeout: 600_000 }, async () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const texts = sample().flatMap((testCase) => {
      try {
        return [{ name: testCase.name, text: decoder.decode(testCase.bytes) }];
      } catch {
        return []; // not UTF-8: cannot be a GraphQL string (REST covers it)
      }
    });
    expect(texts.length).toBeGreaterThanOrEqual(50);
    const failures: string[] = [];
    for (const [index, { name, text }] of texts.entries()) {
      const before = await rowCounts(t.databaseUrl);
      const answer = await gql(t, INGEST, { cluster: `fuzz-gql-${index}`, manifests: text });
      const error = answer.errors?.[0];
      if (error) {
        const code = error.extensions?.['code'];
        if (code !== 'BAD_USER_INPUT' && code !== 'PAYLOAD_TOO_LARGE') failures.push(`${name}: ${String(code)} ${error.message.slice(0, 200)}`);
        const issues = (error.extensions?.['issues'] ?? []) as IssueBody[];
        if (issues.some((issue) => !ISSUE_CODES.has(issue.code) || typeof issue.path !== 'string')) failures.push(`${name}: an issue without a known code or a path`);
        if (JSON.stringify(await rowCounts(t.databaseUrl)) !== JSON.stringify(before)) failures.push(`${name}: rows written on a refusal`);
      }
    }
    expect(failures).toEqual([]);
  });
});
