// The full pipeline in-process (parse → analyse → diff → format) on every core case of the diff corpus; the
// CLI conformance test runs the same cases through the built bin.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../manifest/parse-manifests.js';
import type { ParsedObject, SourceDocument } from '../manifest/types.js';
import { buildSnapshot } from '../model/snapshot.js';
import { diff, diffWithCauses } from './api.js';
import { formatDiff } from './format.js';

const corpus =
  process.env.NETPOL_CONFORMANCE_DIR ?? path.resolve(import.meta.dirname, '../../../../../shared/conformance/np-guard');
const diffDir = path.join(corpus, 'diff');

function documents(dir: string): SourceDocument[] {
  const out: SourceDocument[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ya?ml|json)$/i.test(name)) out.push({ path: full, text: readFileSync(full, 'utf8') });
    }
  };
  walk(dir);
  return out;
}

const isAdmin = (docs: SourceDocument[]) => docs.some((d) => /kind:\s*["']?(Baseline)?AdminNetworkPolicy\b/.test(d.text));
const cases = existsSync(diffDir)
  ? readdirSync(diffDir)
      .filter((n) => !isAdmin([...documents(path.join(diffDir, n, 'old')), ...documents(path.join(diffDir, n, 'new'))]))
      .sort()
  : [];
const lf = (t: string) => t.replaceAll('\r\n', '\n');

function load(dir: string): { objects: ParsedObject[] } {
  return { objects: [...parseManifests(documents(dir)).objects] };
}

describe('diff corpus, in process', () => {
  it('has core cases', () => expect(cases.length).toBeGreaterThanOrEqual(15));

  it.each(cases)('%s', (name) => {
    const dir = path.join(diffDir, name);
    const oldSide = load(path.join(dir, 'old'));
    const newSide = load(path.join(dir, 'new'));
    const a = buildSnapshot(oldSide.objects).snapshot;
    const b = buildSnapshot(newSide.objects).snapshot;
    const fast = diff(a, b);
    const exhaustive = diff(a, b, { exhaustive: true });
    expect(formatDiff(fast, 'txt')).toBe(formatDiff(exhaustive, 'txt'));
    for (const format of ['txt', 'csv', 'md'] as const) {
      const file = path.join(dir, `expected.${format}`);
      if (existsSync(file)) expect(formatDiff(fast, format)).toBe(lf(readFileSync(file, 'utf8')));
    }
    // causation runs on every case and names a cause for every pair the policies alone changed
    const explained = diffWithCauses(oldSide, newSide);
    expect(explained.diff.pairs.length).toBe(fast.pairs.length);
  });
});
