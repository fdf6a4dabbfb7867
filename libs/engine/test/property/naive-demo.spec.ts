// The naive evaluator against the demo cluster's verdict table (shared/notes/demo-cluster.md), reading the demo
// manifests through the parser. An oracle that got this table wrong could not judge the engine.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../src/manifest/parse-manifests.js';
import { allowed, buildNaiveCluster, findPod, type NaivePeer, type Protocol } from './naive-evaluator.js';

const DEMO_DIR = path.resolve(import.meta.dirname, '../fixtures/demo');
const parsed = parseManifests(
  readdirSync(DEMO_DIR)
    .sort()
    .map((name) => ({ path: name, text: readFileSync(path.join(DEMO_DIR, name), 'utf8') })),
);
const cluster = buildNaiveCluster(parsed.objects.map((o) => o.object));

const WORKLOADS: Record<string, [string, string]> = {
  frontend: ['production', 'frontend'],
  backend: ['production', 'backend'],
  database: ['production', 'database'],
  redis: ['production', 'redis'],
  'db-backup': ['production', 'db-backup'],
  prometheus: ['monitoring', 'prometheus'],
  coredns: ['kube-system', 'coredns'],
  'ingress-nginx-controller': ['ingress-nginx', 'ingress-nginx-controller'],
};
const peer = (name: string): NaivePeer => (WORKLOADS[name] ? findPod(cluster, ...WORKLOADS[name]) : { ip: name });

// The table of demo-cluster.md. "database-0 → database-1" is the database workload to itself: two replicas.
const TABLE: [string, string, Protocol, number, boolean][] = [
  ['frontend', 'backend', 'TCP', 8080, true],
  ['frontend', 'database', 'TCP', 5432, false],
  ['backend', 'database', 'TCP', 5432, true],
  ['backend', 'coredns', 'UDP', 53, true],
  ['backend', '10.1.2.3', 'UDP', 53, true],
  ['frontend', 'coredns', 'TCP', 53, true],
  ['frontend', '8.8.8.8', 'UDP', 53, false],
  ['prometheus', 'database', 'TCP', 9187, true],
  ['prometheus', 'backend', 'TCP', 8080, true],
  ['prometheus', 'backend', 'TCP', 9090, true],
  ['ingress-nginx-controller', 'backend', 'TCP', 8080, true],
  ['ingress-nginx-controller', 'frontend', 'TCP', 3000, false],
  ['db-backup', 'database', 'TCP', 5432, false],
  ['backend', 'redis', 'TCP', 6379, false],
  ['database', 'database', 'TCP', 5432, false],
  ['backend', '8.8.8.8', 'TCP', 443, true],
  ['backend', '10.1.2.3', 'TCP', 443, false],
  ['backend', '172.31.255.255', 'TCP', 443, false],
  ['backend', '172.32.0.0', 'TCP', 443, true],
  ['database', 'coredns', 'UDP', 53, true],
];

describe('naive evaluator on the demo cluster', () => {
  it('reads the demo manifests without errors', () => {
    expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(cluster.pods.map((p) => `${p.namespace}/${p.name}[${p.kind}]`).sort()).toEqual([
      'ingress-nginx/ingress-nginx-controller[Deployment]',
      'kube-system/coredns[Deployment]',
      'monitoring/prometheus[Deployment]',
      'production/backend[Deployment]',
      'production/database[StatefulSet]',
      'production/db-backup[CronJob]',
      'production/frontend[Deployment]',
      'production/redis[Deployment]',
    ]);
    expect(cluster.policies.length).toBe(6);
  });

  it.each(TABLE)('%s → %s %s %i: allowed=%s', (from, to, protocol, port, expected) => {
    expect(allowed(cluster, peer(from), peer(to), protocol, port)).toBe(expected);
  });
});
