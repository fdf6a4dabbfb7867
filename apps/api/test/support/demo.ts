import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { API_ROOT } from './processes.js';

export const DEMO_DIR = path.join(API_ROOT, 'data', 'demo');

/** Every demo manifest file joined into one multi-document YAML body. */
export function demoYaml(): string {
  return readdirSync(DEMO_DIR)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => readFileSync(path.join(DEMO_DIR, file), 'utf8'))
    .join('\n---\n');
}

/** The demo cluster's counts (shared notes: demo-cluster.md): 2+2+2+1 production pods, 1 for the CronJob, 1+2+1 platform pods. */
export const DEMO_COUNTS = { namespaces: 4, pods: 12, workloads: 8, policies: 8 };
