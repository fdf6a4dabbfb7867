// Files the server reads at run time, located from this module so that `src/` (tests) and
// `dist/apps/api/src/` (built server) find the same folders whatever the working directory.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

function findApiRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === '@netpol-atlas/api') return dir;
    if (dir === path.dirname(dir)) throw new Error(`@netpol-atlas/api package.json not found above ${start}`);
  }
}

export const API_ROOT = findApiRoot(import.meta.dirname);
/** Demo cluster manifests (shared notes: demo-cluster.md). */
export const DEMO_DATA_DIR = path.join(API_ROOT, 'data', 'demo');
/** The demo cluster's SegmentationIntents (its CDE: namespaces labelled pci=cde). */
export const DEMO_INTENTS_FILE = path.join(API_ROOT, 'data', 'demo-intents.yaml');
/** The dashboard's Vite build output. */
export const DEFAULT_DASHBOARD_DIST = path.resolve(API_ROOT, '..', 'dashboard', 'dist');
/** The checked-in GraphQL SDL. */
export const SCHEMA_FILE = path.join(API_ROOT, 'schema.graphql');
/** The repository (or deployment) root: apps/api/../.. */
export const REPO_ROOT = path.resolve(API_ROOT, '..', '..');
