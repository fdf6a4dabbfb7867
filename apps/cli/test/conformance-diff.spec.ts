// np-guard diff conformance: the BUILT `netpol` bin, one test per corpus case whose inputs hold no
// AdminNetworkPolicy / BaselineAdminNetworkPolicy, output compared byte for byte after CRLF -> LF.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNetpol, type NetpolRun } from './run-netpol.js';

const corpus =
  process.env.NETPOL_CONFORMANCE_DIR ?? path.resolve(import.meta.dirname, '../../../../shared/conformance/np-guard');
const diffDir = path.join(corpus, 'diff');

const lf = (text: string) => text.replaceAll('\r\n', '\n');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

function usesAdminPolicies(caseDir: string): boolean {
  return ['old', 'new'].some((side) =>
    filesUnder(path.join(caseDir, side)).some((f) =>
      /kind:\s*["']?(AdminNetworkPolicy|BaselineAdminNetworkPolicy)\b/.test(readFileSync(f, 'utf8')),
    ),
  );
}

const allCases = existsSync(diffDir) ? readdirSync(diffDir).filter((n) => statSync(path.join(diffDir, n)).isDirectory()) : [];
const cases = [...allCases].sort();
const adminCases = cases.filter((name) => usesAdminPolicies(path.join(diffDir, name)));

const netpol = (args: string[]): Promise<NetpolRun> => runNetpol(args);

/** np-guard's md has no final newline; on stdout the CLI ends a non-empty report with one. */
const onStdout = (format: string, expected: string) => (format === 'md' && expected !== '' ? `${expected}\n` : expected);

const formatsOf = (dir: string) =>
  (['txt', 'csv', 'md'] as const).filter((f) => existsSync(path.join(dir, `expected.${f}`)));

describe('netpol diff conformance (np-guard diff/)', () => {
  it('finds the corpus with core cases', () => {
    expect(allCases.length).toBeGreaterThan(0);
    expect(cases.length - adminCases.length).toBeGreaterThanOrEqual(15);
    // AdminNetworkPolicy / BaselineAdminNetworkPolicy cases run like the others.
    expect(adminCases.length).toBeGreaterThanOrEqual(15);
  });

  it.each(cases)('%s', async (name) => {
    const dir = path.join(diffDir, name);
    for (const format of formatsOf(dir)) {
      const args = ['diff', path.join(dir, 'old'), path.join(dir, 'new'), ...(format === 'txt' ? [] : ['-o', format])];
      const result = await netpol(args);
      expect({ format, code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({
        format,
        code: 0,
        stderr: '',
      });
      expect(lf(result.stdout)).toBe(onStdout(format, lf(readFileSync(path.join(dir, `expected.${format}`), 'utf8'))));
    }
  });

  const withCli = cases.filter((name) => existsSync(path.join(diffDir, name, 'cli')));
  it.each(withCli)('%s with --labels dir1,dir2 (cli/expected.*)', async (name) => {
    const dir = path.join(diffDir, name);
    const formats = formatsOf(path.join(dir, 'cli'));
    expect(formats.length).toBeGreaterThan(0);
    for (const format of formats) {
      const args = ['diff', path.join(dir, 'old'), path.join(dir, 'new'), '--labels', 'dir1,dir2', '-o', format];
      const result = await netpol(args);
      expect(result.code).toBe(0);
      expect(lf(result.stdout)).toBe(onStdout(format, lf(readFileSync(path.join(dir, 'cli', `expected.${format}`), 'utf8'))));
    }
  });
});
