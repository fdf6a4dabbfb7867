// Every input folder of the np-guard conformance corpus parses without errors.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifests } from './parse-manifests.js';
import type { SourceDocument } from './types.js';

const CORPUS = join(import.meta.dirname, '../../../../../shared/conformance/np-guard');

function readInputs(dir: string): SourceDocument[] {
  const out: SourceDocument[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...readInputs(path));
    else if (/\.(ya?ml|json)$/i.test(entry)) out.push({ path, text: readFileSync(path, 'utf8') });
  }
  return out;
}

const inputDirs = ['cases', 'cases-anp', 'exposure', 'explain', 'diff'].flatMap((group) => {
  const root = join(CORPUS, group);
  return readdirSync(root)
    .sort()
    .flatMap((name) => {
      const found: string[] = [];
      const walk = (dir: string): void => {
        for (const entry of readdirSync(dir)) {
          const path = join(dir, entry);
          if (!statSync(path).isDirectory()) continue;
          if (entry === 'input' || (group === 'diff' && (entry === 'old' || entry === 'new'))) found.push(path);
          else walk(path);
        }
      };
      const caseDir = join(root, name);
      if (statSync(caseDir).isDirectory()) walk(caseDir);
      return found.map((dir) => `${group}/${dir.slice(root.length + 1)}`);
    });
});

describe('np-guard corpus inputs', () => {
  it('finds the corpus', () => {
    expect(inputDirs.length).toBeGreaterThan(30);
  });

  it.each(inputDirs)('%s parses without errors', (dir) => {
    const documents = readInputs(join(CORPUS, dir));
    const result = parseManifests(documents);
    const errors = result.issues.filter((issue) => issue.severity === 'error');
    expect(errors).toEqual([]);
    expect(result.objects.length).toBeGreaterThan(0);
  });
});
