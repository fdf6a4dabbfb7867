// The np-guard diff corpus (`diff/<case>/{old,new}`, expected.{txt,csv,md}) for the diff API tests.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SourceDocument } from '@netpol-atlas/engine';
import { CONFORMANCE_DIR } from './np-guard.js';

export const DIFF_DIR = path.join(CONFORMANCE_DIR, 'diff');
const MANIFEST = /\.(ya?ml|json)$/i;

/** Manifest files of one side, recursively, sorted by path (as `netpol diff DIR` reads them). */
export function sideDocuments(name: string, side: 'old' | 'new'): SourceDocument[] {
  const root = path.join(DIFF_DIR, name, side);
  const out: SourceDocument[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (MANIFEST.test(entry)) out.push({ path: path.relative(root, full), text: readFileSync(full, 'utf8') });
    }
  };
  walk(root);
  return out;
}

/** One side as ONE multi-document YAML body for an upload (JSON files are YAML documents too). */
export function sideYamlBody(name: string, side: 'old' | 'new'): string {
  return sideDocuments(name, side)
    .map((doc) => doc.text.replace(/^\uFEFF/, ''))
    .join('\n---\n');
}

const usesAdminPolicies = (name: string) =>
  (['old', 'new'] as const).some((side) =>
    sideDocuments(name, side).some((doc) => /kind:\s*["']?(AdminNetworkPolicy|BaselineAdminNetworkPolicy)\b/.test(doc.text)),
  );

/** Case names whose inputs hold no AdminNetworkPolicy / BaselineAdminNetworkPolicy, sorted. */
export function coreDiffCases(): string[] {
  if (!existsSync(DIFF_DIR)) return [];
  return readdirSync(DIFF_DIR)
    .filter((name) => statSync(path.join(DIFF_DIR, name)).isDirectory() && !usesAdminPolicies(name))
    .sort();
}

/** The expected np-guard output of a case (CRLF → LF), or undefined when the corpus has none for that format. */
export function expectedDiff(name: string, format: 'txt' | 'csv' | 'md'): string | undefined {
  const file = path.join(DIFF_DIR, name, `expected.${format}`);
  return existsSync(file) ? readFileSync(file, 'utf8').replace(/\r\n/g, '\n') : undefined;
}
