// The oracle must stay independent of what it judges: the TRANSITIVE runtime imports of the naive evaluator
// reach only its own files and the parser (src/manifest), never the engine's model / algebra / analysis, nor
// ip-num. (tools/test/import-graph.spec.ts checks direct imports repo-wide; this follows the whole closure.)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const engineRoot = path.resolve(import.meta.dirname, '../..');

/** Runtime (non type-only) module specifiers of a TypeScript source. */
function runtimeImports(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specifiers: string[] = [];
  const patterns = [
    /(?:^|[;\n])\s*(import|export)\s+(type\s+)?[\w*{}\s,$]*?\s*from\s*['"]([^'"]+)['"]/g,
    /(?:^|[;\n])\s*import\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"`]([^'"`]+)['"`]/g,
  ];
  for (const re of patterns) {
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m.length === 4 && m[2]) continue; // `import type` / `export type`
      specifiers.push(m[m.length - 1]);
    }
  }
  return specifiers;
}

function closure(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of runtimeImports(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files: [...files].map((f) => path.relative(engineRoot, f)).sort(), packages: [...packages].sort() };
}

describe('naive evaluator isolation', () => {
  it('finds runtime imports and skips type-only ones (self-test)', () => {
    expect(runtimeImports("import type { A } from './a.js';\nimport { b, type C } from './b.js';\nexport { d } from 'd';\nconst e = await import('./e.js');")).toEqual(['./b.js', 'd', './e.js']);
  });

  it.each(['test/property/naive-evaluator.ts', 'test/property/naive-ip.ts'])('%s reaches only naive files and the parser', (entry) => {
    const { files, packages } = closure(path.join(engineRoot, entry));
    expect(files.filter((f) => !/^test\/property\/naive-[\w-]+\.ts$/.test(f) && !f.startsWith('src/manifest/'))).toEqual([]);
    expect(packages.filter((p) => p === 'ip-num' || p.startsWith('@netpol-atlas/'))).toEqual([]);
  });
});
