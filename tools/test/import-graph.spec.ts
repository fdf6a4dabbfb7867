// Enforces the architecture over the REAL import graph: static imports, re-exports, dynamic import() and require().
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowedProjectDeps, engineAllowedPackages, projects } from '../project-graph.mjs';

const repo = path.resolve(import.meta.dirname, '../..');

function listSources(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('dist-')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out = out.concat(listSources(full));
    else if (/\.(m?ts|tsx|mjs|js)$/.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

interface ImportRef {
  specifier: string;
  typeOnly: boolean;
}

/** Finds every module specifier a file loads. Comments are blanked first so examples in comments don't count. */
export function importsOf(source: string): ImportRef[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const refs: ImportRef[] = [];
  const patterns: Array<[RegExp, (m: RegExpExecArray) => boolean]> = [
    [/(?:^|[;\n])\s*import\s+(type\s+)?[\w*{}\s,$]*?\s*from\s*['"]([^'"]+)['"]/g, (m) => Boolean(m[1])],
    [/(?:^|[;\n])\s*import\s*['"]([^'"]+)['"]/g, () => false],
    [/(?:^|[;\n])\s*export\s+(type\s+)?[\w*{}\s,$]*?\s*from\s*['"]([^'"]+)['"]/g, (m) => Boolean(m[1])],
    [/\bimport\s*\(\s*['"`]([^'"`]+)['"`]/g, () => false],
    [/\brequire\s*\(\s*['"`]([^'"`]+)['"`]/g, () => false],
  ];
  for (const [re, isType] of patterns) {
    for (let m = re.exec(text); m; m = re.exec(text)) {
      refs.push({ specifier: m[m.length - 1], typeOnly: isType(m) });
    }
  }
  return refs;
}

function projectOfFile(file: string): string | undefined {
  const rel = path.relative(repo, file);
  for (const [name, p] of Object.entries(projects)) {
    const base = p.root.replace(/\/src$/, '');
    if (rel === base || rel.startsWith(base + '/')) return name;
  }
  return undefined;
}

const packageToProject: Record<string, string> = {
  '@netpol-atlas/engine': 'engine',
  '@netpol-atlas/report-pdf': 'report-pdf',
  '@netpol-atlas/cli': 'cli',
  '@netpol-atlas/api': 'api',
  '@netpol-atlas/dashboard': 'dashboard',
};

function packageName(spec: string): string {
  return spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
}

const isBuiltin = (spec: string) => spec.startsWith('node:') || builtinModules.includes(packageName(spec));

describe('import graph', () => {
  it('finds static, type, re-export, dynamic and require imports (self-test of the scanner)', () => {
    const refs = importsOf(
      [
        "import { a } from './a.js';",
        "import type { B } from 'b';",
        "export * from './c.js';",
        "const d = await import('d');",
        "const e = require('e');",
        "import 'side-effect';",
        "// import { x } from 'commented-out';",
      ].join('\n'),
    );
    expect(refs.map((r) => `${r.specifier}${r.typeOnly ? ':type' : ''}`).sort()).toEqual(
      ['./a.js', './c.js', 'b:type', 'd', 'e', 'side-effect'].sort(),
    );
  });

  for (const [name, p] of Object.entries(projects)) {
    it(`${name} imports only the projects it may (${allowedProjectDeps[name as keyof typeof allowedProjectDeps].join(', ') || 'none'})`, () => {
      const violations: string[] = [];
      const root = path.join(repo, p.root.replace(/\/src$/, ''));
      for (const file of listSources(root)) {
        for (const { specifier } of importsOf(readFileSync(file, 'utf8'))) {
          let target: string | undefined;
          if (specifier.startsWith('.')) target = projectOfFile(path.resolve(path.dirname(file), specifier));
          else target = packageToProject[packageName(specifier)];
          if (target && target !== name && !allowedProjectDeps[name as keyof typeof allowedProjectDeps].includes(target)) {
            violations.push(`${path.relative(repo, file)} -> ${specifier} (${target})`);
          }
        }
      }
      expect(violations).toEqual([]);
    });
  }

  it('the engine source is pure: only yaml and ip-num, no node built-ins, no framework or I/O', () => {
    const violations: string[] = [];
    for (const file of listSources(path.join(repo, 'libs/engine/src'))) {
      if (/\.(spec|test)\.ts$/.test(file)) continue;
      for (const { specifier, typeOnly } of importsOf(readFileSync(file, 'utf8'))) {
        if (specifier.startsWith('.')) continue;
        if (typeOnly && !isBuiltin(specifier)) continue;
        if (isBuiltin(specifier) || !engineAllowedPackages.includes(packageName(specifier))) {
          violations.push(`${path.relative(repo, file)} -> ${specifier}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('the naive evaluator of the property tests shares only the parser and types with the engine', () => {
    const dir = path.join(repo, 'libs/engine/test/property');
    const files = listSources(dir).filter((f) => /^naive-[\w-]+\.ts$/.test(path.basename(f)));
    expect(files.length).toBeGreaterThan(0);
    const violations: string[] = [];
    for (const file of files) {
      for (const { specifier, typeOnly } of importsOf(readFileSync(file, 'utf8'))) {
        if (typeOnly) continue;
        if (specifier.startsWith('.')) {
          const resolved = path.relative(repo, path.resolve(path.dirname(file), specifier));
          const inEngineSrc = resolved.startsWith('libs/engine/src/');
          if (inEngineSrc && !resolved.startsWith('libs/engine/src/manifest/')) violations.push(`${path.relative(repo, file)} -> ${specifier}`);
        } else if (packageName(specifier) === '@netpol-atlas/engine' || packageName(specifier) === 'ip-num') {
          violations.push(`${path.relative(repo, file)} -> ${specifier}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('dialects are seams: a dialect folder imports no other dialect, and the rest of the engine reaches dialects only through the registry', () => {
    const dialects = path.join(repo, 'libs/engine/src/dialects');
    const shared = new Set(['registry.ts', 'types.ts', 'compile-cache.ts', 'rule-ports.ts', 'pending.ts']);
    const violations: string[] = [];
    for (const file of listSources(path.join(repo, 'libs/engine/src'))) {
      if (/\.(spec|test)\.ts$/.test(file)) continue;
      const rel = path.relative(dialects, file);
      const ownDialect = !rel.startsWith('..') && rel.includes(path.sep) ? rel.split(path.sep)[0] : undefined;
      const inRegistry = !rel.startsWith('..') && !rel.includes(path.sep);
      for (const { specifier } of importsOf(readFileSync(file, 'utf8'))) {
        if (!specifier.startsWith('.')) continue;
        const target = path.relative(dialects, path.resolve(path.dirname(file), specifier));
        if (target.startsWith('..')) continue; // outside dialects/
        const targetDialect = target.includes(path.sep) ? target.split(path.sep)[0] : undefined;
        if (!targetDialect) {
          if (!shared.has(target.replace(/\.js$/, '.ts'))) violations.push(`${path.relative(repo, file)} -> ${specifier}`);
          continue;
        }
        // A dialect's own files, and the registry (which lists every dialect), may import a dialect folder.
        if (targetDialect !== ownDialect && !inRegistry) violations.push(`${path.relative(repo, file)} -> ${specifier}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
