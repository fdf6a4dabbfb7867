// np-guard conformance on cases the shared corpus holds out (catalog.json leaves them out): portable `list` cases,
// `list --exposure` cases and `diff` pairs of np-guard/netpol-analyzer, read from the search index's stored copies
// into fixtures/np-guard-heldout/{cases,exposure,diff}/<case>/ (same layout as the shared corpus; each case.json says,
// per file, which upstream path and commit it was read at, or which identical shared-corpus file was copied where the
// index does not store the folder's copy). Run exactly like conformance-list / -exposure / -diff: the BUILT `netpol`
// bin, stdout compared byte for byte after CRLF -> LF.
// Some stored expected files predate the corpus commit (e54a334): they print IP ranges without "[External]". Those are
// named expected.stale.* and case.json's expected_normalisation says so; the spec appends "[External]" to every IP
// range of such a file and changes nothing else. case.json's drop_lines_matching (one case) drops lines matching the
// pattern from both sides first.
// sampled/{cases,diff}/<case>/: the three largest held-out outputs (ipblockstest_4: 24k lines; its diff with ipblockstest:
// 4.7k lines; multiple_topology_resources_4), too large to copy out of the index: expected.samples.json holds the
// upstream file's length and verbatim windows of it at given offsets, and the output must match both.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNetpol } from './run-netpol.js';

const ROOT = path.join(import.meta.dirname, 'fixtures/np-guard-heldout');

interface Samples {
  readonly total_chars: number;
  /** The stored upstream file predates "[External]": compare the output without it. */
  readonly strip_external: boolean;
  readonly samples: readonly {
    readonly offset: number;
    readonly text: string;
  }[];
}

interface CaseJson {
  readonly new_dir?: string;
  readonly category: string;
  readonly expected: Record<string, unknown>;
  readonly expected_normalisation?: { readonly files: readonly string[] };
  readonly drop_lines_matching?: string;
}

const lf = (text: string) => text.replaceAll('\r\n', '\n');
/** The old np-guard printers wrote IP ranges without the "[External]" suffix of the corpus commit. */
const withExternal = (text: string) => text.replace(/(\d+\.\d+\.\d+\.\d+-\d+\.\d+\.\d+\.\d+)(?!\[)/g, '$1[External]');

const casesOf = (set: string) => {
  const dir = path.join(ROOT, set);
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => statSync(path.join(dir, name)).isDirectory())
        .sort()
    : [];
};

function caseJson(dir: string): CaseJson {
  return JSON.parse(readFileSync(path.join(dir, 'case.json'), 'utf8')) as CaseJson;
}

/** The expected text of `<base>.<ext>` (exact) or `<base>.stale.<ext>` (normalised), or undefined when neither exists. */
function expected(dir: string, ext: string): string | undefined {
  const exact = path.join(dir, `expected.${ext}`);
  if (existsSync(exact)) return lf(readFileSync(exact, 'utf8'));
  const stale = path.join(dir, `expected.stale.${ext}`);
  if (!existsSync(stale)) return undefined;
  expect(caseJson(dir).expected_normalisation?.files).toContain(`expected.stale.${ext}`);
  return withExternal(lf(readFileSync(stale, 'utf8')));
}

function compared(dir: string, text: string): string {
  const pattern = caseJson(dir).drop_lines_matching;
  if (pattern === undefined) return text;
  const drop = new RegExp(pattern);
  return text
    .split('\n')
    .filter((line) => !drop.test(line))
    .join('\n');
}

async function netpolOk(args: string[]): Promise<string> {
  const result = await runNetpol(args);
  expect({
    code: result.code,
    stderr: result.code === 0 ? '' : result.stderr,
  }).toEqual({ code: 0, stderr: '' });
  return lf(result.stdout);
}

describe('np-guard held-out conformance (fixtures/np-guard-heldout)', () => {
  const cases = casesOf('cases');
  const exposure = casesOf('exposure');
  const diffs = casesOf('diff');

  it('holds the converted cases, each with provenance and an expected file', () => {
    expect(cases.length).toBeGreaterThanOrEqual(4);
    expect(exposure.length).toBeGreaterThanOrEqual(11);
    expect(diffs.length).toBeGreaterThanOrEqual(5);
    expect(existsSync(path.join(ROOT, 'LICENSE.netpol-analyzer.txt'))).toBe(true);
    for (const [set, names] of [
      ['cases', cases],
      ['exposure', exposure],
      ['diff', diffs],
    ] as const) {
      for (const name of names) {
        const dir = path.join(ROOT, set, name);
        expect(Object.keys(caseJson(dir).expected).length, `${set}/${name}`).toBeGreaterThan(0);
        expect(expected(dir, 'txt'), `${set}/${name}`).toBeDefined();
      }
    }
  });

  it.each(cases)('list: %s', async (name) => {
    const dir = path.join(ROOT, 'cases', name);
    const stdout = await netpolOk(['list', path.join(dir, 'input')]);
    expect(compared(dir, stdout)).toBe(compared(dir, expected(dir, 'txt') ?? ''));
  });

  it.each(exposure)('list --exposure: %s', async (name) => {
    const dir = path.join(ROOT, 'exposure', name);
    const input = path.join(dir, 'input');
    expect(await netpolOk(['list', input, '--exposure'])).toBe(expected(dir, 'txt'));
    const json = expected(dir, 'json');
    if (json !== undefined) expect(await netpolOk(['list', input, '--exposure', '-o', 'json'])).toBe(json);
  });

  it.each(diffs)('diff: %s', async (name) => {
    const dir = path.join(ROOT, 'diff', name);
    expect(await netpolOk(['diff', path.join(dir, 'old'), path.join(dir, 'new')])).toBe(expected(dir, 'txt'));
  });

  const sampledCases = casesOf('sampled/cases');
  const sampledDiffs = casesOf('sampled/diff');

  function expectSamples(dir: string, stdout: string): void {
    const { total_chars, strip_external, samples } = JSON.parse(readFileSync(path.join(dir, 'expected.samples.json'), 'utf8')) as Samples;
    const text = strip_external ? stdout.replaceAll('[External]', '') : stdout;
    expect(text.length).toBe(total_chars);
    expect(samples.length).toBeGreaterThan(0);
    for (const { offset, text: sample } of samples) expect(text.slice(offset, offset + sample.length)).toBe(sample);
  }

  it('holds the sampled cases', () => {
    expect(sampledCases).toEqual(['ipblockstest_4', 'multiple_topology_resources_4']);
    expect(sampledDiffs).toEqual(['ipblockstest__to__ipblockstest_4']);
  });

  it.each(sampledCases)('list (sampled): %s', async (name) => {
    const dir = path.join(ROOT, 'sampled/cases', name);
    expectSamples(dir, await netpolOk(['list', path.join(dir, 'input')]));
  });

  it.each(sampledDiffs)('diff (sampled): %s', async (name) => {
    const dir = path.join(ROOT, 'sampled/diff', name);
    const newDir = path.resolve(dir, caseJson(dir).new_dir ?? 'new');
    expectSamples(dir, await netpolOk(['diff', path.join(dir, 'old'), newDir]));
  });
});
