// The np-guard conformance corpus (outside the repo, next to it; NETPOL_CONFORMANCE_DIR moves it).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SourceDocument } from '@netpol-atlas/engine';
import { REPO_ROOT } from './processes.js';

export const CONFORMANCE_DIR = process.env.NETPOL_CONFORMANCE_DIR ?? path.resolve(REPO_ROOT, '..', 'shared', 'conformance', 'np-guard');
export const CASES_DIR = path.join(CONFORMANCE_DIR, 'cases');

/** Case folder names of `cases/`, sorted (empty when the corpus is absent). */
export function caseNames(): string[] {
  return existsSync(CASES_DIR) ? readdirSync(CASES_DIR).filter((n) => statSync(path.join(CASES_DIR, n)).isDirectory()).sort() : [];
}

/** Every manifest file under `cases/<name>/input`, recursively, sorted by path (as `netpol list DIR` reads them). */
export function caseDocuments(name: string): SourceDocument[] {
  const out: SourceDocument[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ya?ml|json)$/i.test(entry)) out.push({ path: path.relative(CASES_DIR, full), text: readFileSync(full, 'utf8') });
    }
  };
  walk(path.join(CASES_DIR, name, 'input'));
  return out;
}

/** The case's files as ONE multi-document YAML body (JSON files are YAML documents too). */
export function caseYamlBody(name: string): string {
  return caseDocuments(name)
    .map((doc) => doc.text.replace(/^\uFEFF/, ''))
    .join('\n---\n');
}

export function expectedTxt(name: string): string {
  return readFileSync(path.join(CASES_DIR, name, 'expected.txt'), 'utf8').replace(/\r\n/g, '\n');
}
