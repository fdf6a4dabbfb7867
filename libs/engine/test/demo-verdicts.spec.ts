// The demo cluster's verdict table (shared/notes/demo-cluster.md): verdict, blocking side and rule paths.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Protocol } from '../src/algebra/connection-set.js';
import { analyze } from '../src/analysis/analyze.js';
import { connectivity } from '../src/analysis/connectivity.js';
import { evaluate, type PeerSpec, type SideExplanation } from '../src/analysis/evaluate.js';
import { loadSnapshot } from '../src/model/load.js';
import { connString } from '../src/output/conn-string.js';

const DEMO_DIR = path.resolve(import.meta.dirname, 'fixtures/demo');
const documents = readdirSync(DEMO_DIR)
  .sort()
  .map((name) => ({ path: path.join(DEMO_DIR, name), text: readFileSync(path.join(DEMO_DIR, name), 'utf8') }));
const { snapshot, issues } = loadSnapshot(documents);

const W: Record<string, PeerSpec> = {
  frontend: { namespace: 'production', name: 'frontend' },
  backend: { namespace: 'production', name: 'backend' },
  database: { namespace: 'production', name: 'database' },
  redis: { namespace: 'production', name: 'redis' },
  'db-backup': { namespace: 'production', name: 'db-backup' },
  prometheus: { namespace: 'monitoring', name: 'prometheus' },
  coredns: { namespace: 'kube-system', name: 'coredns' },
  'ingress-nginx-controller': { namespace: 'ingress-nginx', name: 'ingress-nginx-controller' },
  'database-0': { namespace: 'production', pod: 'database-0' },
  'database-1': { namespace: 'production', pod: 'database-1' },
};
const peer = (name: string): PeerSpec => W[name] ?? { ip: name };

type Side = 'egress' | 'ingress';
// [from, to, protocol, port, allowed, blocking side, rules expected in allowedBy as 'policy spec.path']
const TABLE: [string, string, Protocol, number, boolean, Side | null, string[]][] = [
  ['frontend', 'backend', 'TCP', 8080, true, null, ['frontend-egress-restrict spec.egress[1]', 'backend-ingress spec.ingress[0]']],
  ['frontend', 'database', 'TCP', 5432, false, 'egress', []],
  ['backend', 'database', 'TCP', 5432, true, null, ['backend-egress spec.egress[1]', 'database-allow-backend-only spec.ingress[0]']],
  ['backend', 'coredns', 'UDP', 53, true, null, ['backend-egress spec.egress[0]']],
  ['backend', '10.1.2.3', 'UDP', 53, true, null, ['backend-egress spec.egress[0]']],
  ['frontend', 'coredns', 'TCP', 53, true, null, ['frontend-egress-restrict spec.egress[0]']],
  ['frontend', '8.8.8.8', 'UDP', 53, false, 'egress', []],
  ['prometheus', 'database', 'TCP', 9187, true, null, ['database-allow-backend-only spec.ingress[2]']],
  ['prometheus', 'backend', 'TCP', 8080, true, null, ['allow-prometheus-scrape spec.ingress[0]']],
  ['prometheus', 'backend', 'TCP', 9090, true, null, ['allow-prometheus-scrape spec.ingress[0]']],
  ['ingress-nginx-controller', 'backend', 'TCP', 8080, true, null, ['backend-ingress spec.ingress[1]']],
  ['ingress-nginx-controller', 'frontend', 'TCP', 3000, false, 'ingress', []],
  ['db-backup', 'database', 'TCP', 5432, false, 'egress', ['database-allow-backend-only spec.ingress[1]']],
  ['backend', 'redis', 'TCP', 6379, false, 'ingress', ['backend-egress spec.egress[2]']],
  ['database-0', 'database-1', 'TCP', 5432, false, 'ingress', ['database-allow-backend-only spec.egress[1]']],
  ['backend', '8.8.8.8', 'TCP', 443, true, null, ['backend-egress spec.egress[3]']],
  ['backend', '10.1.2.3', 'TCP', 443, false, 'egress', []],
  ['backend', '172.31.255.255', 'TCP', 443, false, 'egress', []],
  ['backend', '172.32.0.0', 'TCP', 443, true, null, ['backend-egress spec.egress[3]']],
  ['database', 'coredns', 'UDP', 53, true, null, ['database-allow-backend-only spec.egress[0]']],
];

const rulesOf = (side: SideExplanation) => side.allowedBy.map((a) => `${a.policy} ${a.rule}`);

describe('demo cluster verdicts', () => {
  it('loads without errors', () => {
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(snapshot.workloads.map((w) => w.displayName)).toContain('production/database[StatefulSet]');
  });

  it.each(TABLE)('%s → %s %s %i: allowed=%s blocked by %s', (from, to, protocol, port, allowed, blocking, rules) => {
    const verdict = evaluate(snapshot, peer(from), peer(to), port, protocol);
    const { egress, ingress } = verdict.explanation;
    expect(verdict.allowed).toBe(allowed);
    expect(egress.allowed && ingress.allowed).toBe(allowed);
    if (blocking) {
      expect(verdict.explanation[blocking].allowed).toBe(false);
      expect(verdict.explanation[blocking].isolated).toBe(true);
      expect(verdict.explanation[blocking].allowedBy).toEqual([]);
      expect(verdict.explanation[blocking].denials.length).toBeGreaterThan(0);
    }
    for (const rule of rules) expect([...rulesOf(egress), ...rulesOf(ingress)]).toContain(rule);
    expect(verdict.explanation.summary.startsWith(allowed ? 'allowed' : 'denied')).toBe(true);
  });

  it('explains the dead allow rule: backend → redis is allowed on egress, denied on ingress by default-deny-all', () => {
    const verdict = evaluate(snapshot, W.backend, W.redis, 6379);
    expect(verdict.explanation.egress).toMatchObject({ isolated: true, allowed: true, checked: true });
    expect(verdict.explanation.egress.policies).toEqual(['production/backend-egress', 'production/default-deny-all']);
    expect(verdict.explanation.egress.allowedBy).toEqual([
      { policy: 'backend-egress', namespace: 'production', rule: 'spec.egress[2]', ports: [{ protocol: 'TCP', from: 6379, to: 6379 }] },
    ]);
    expect(verdict.explanation.ingress).toMatchObject({
      isolated: true,
      allowed: false,
      subject: 'production/redis[Deployment]',
      policies: ['production/default-deny-all'],
      denials: [{ policy: 'default-deny-all', namespace: 'production', reason: 'no-rules' }],
    });
  });

  it('says why an IP is denied: the DNS rule targets kube-dns pods only (no peer matched)', () => {
    const verdict = evaluate(snapshot, W.frontend, { ip: '8.8.8.8' }, 53, 'UDP');
    expect(verdict.explanation.ingress).toMatchObject({ checked: false, allowed: true, subject: null });
    expect(verdict.explanation.egress.denials).toContainEqual({
      policy: 'frontend-egress-restrict',
      namespace: 'production',
      rule: 'spec.egress[0]',
      reason: 'no-peer-match',
    });
  });

  it('agrees with the factorised connectivity for every row of the table between workloads', () => {
    const rows = connectivity(analyze(snapshot));
    const conn = (from: string, to: string) =>
      rows.find((r) => r.src.name.includes(`/${from}[`) && r.dst.name.includes(`/${to}[`))?.conn;
    for (const [from, to, protocol, port, allowed] of TABLE) {
      if (!('name' in peer(from)) || !('name' in peer(to))) continue;
      expect(conn(from, to)?.contains(protocol, port) ?? false).toBe(allowed);
    }
    expect(connString(conn('prometheus', 'backend')!)).toBe('TCP 8080,9090');
  });
});
