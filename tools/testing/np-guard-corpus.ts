// Test support shared by the projects' tests: the np-guard conformance corpus read from disk (tests may do I/O;
// the engine may not, so this lives outside libs/engine).
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { SourceDocument } from '../../libs/engine/src/manifest/types.js';

export const CONFORMANCE_DIR =
  process.env.NETPOL_CONFORMANCE_DIR ?? path.resolve(import.meta.dirname, '../../../shared/conformance/np-guard');

export function caseNames(set = 'cases'): string[] {
  const dir = path.join(CONFORMANCE_DIR, set);
  return existsSync(dir) ? readdirSync(dir).filter((n) => statSync(path.join(dir, n)).isDirectory()).sort() : [];
}

export function readInputDir(dir: string): SourceDocument[] {
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

export function readExpected(set: string, name: string, file: string): string | undefined {
  const full = path.join(CONFORMANCE_DIR, set, name, file);
  return existsSync(full) ? readFileSync(full, 'utf8').replace(/\r\n/g, '\n') : undefined;
}
