// The demo cluster of apps/api/data/demo (the copy the server loads) holds exactly the demo of
// shared/notes/demo-cluster.md: same content as the engine's verdict-tested fixture, the expected counts and verdicts.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { canonicalSnapshotText, evaluate, evaluateWithSteps, loadSnapshot, parseManifests, projectObject, type SourceDocument } from '@netpol-atlas/engine';
import { describe, expect, it } from 'vitest';
import { demoDocuments } from '../src/demo/demo-data.service.js';
import { normaliseSnapshot } from '../src/snapshots/objects/snapshot-objects.js';
import { DEMO_COUNTS } from './support/demo.js';
import { REPO_ROOT } from './support/processes.js';

const ENGINE_FIXTURE = path.join(REPO_ROOT, 'libs', 'engine', 'test', 'fixtures', 'demo');

function canonicalContent(documents: readonly SourceDocument[]): string {
  const parsed = parseManifests(documents);
  expect(parsed.issues).toEqual([]);
  return canonicalSnapshotText(parsed.objects.map((item) => projectObject(item.object)));
}

describe('demo data', () => {
  it('parses without issues and has the expected inventory', async () => {
    const documents = await demoDocuments();
    expect(documents.map((doc) => doc.path)).toEqual([
      'demo/00-namespaces.yaml',
      'demo/10-production-workloads.yaml',
      'demo/20-platform-workloads.yaml',
      'demo/30-production-policies.yaml',
      'demo/40-cluster-guardrails.yaml',
    ]);
    expect(normaliseSnapshot(JSON.parse(canonicalContent(documents))).counts).toEqual(DEMO_COUNTS);
  });

  it('stores the same content as the engine fixture whose verdicts the engine tests (one demo, not two)', async () => {
    const fixture = readdirSync(ENGINE_FIXTURE)
      .filter((file) => file.endsWith('.yaml'))
      .sort()
      .map((file) => ({ path: file, text: readFileSync(path.join(ENGINE_FIXTURE, file), 'utf8') }));
    expect(canonicalContent(await demoDocuments())).toBe(canonicalContent(fixture));
  });

  it('implies the verdicts of the notes, e.g. the dead allow rules the product exists to catch', async () => {
    const { snapshot, issues } = loadSnapshot(await demoDocuments());
    expect(issues.filter((issue) => issue.severity === 'error')).toEqual([]);
    const w = (name: string) => ({ namespace: 'production', name });
    expect(evaluate(snapshot, w('frontend'), w('backend'), 8080, 'TCP').allowed).toBe(true);
    expect(evaluate(snapshot, { namespace: 'ingress-nginx', name: 'ingress-nginx-controller' }, w('frontend'), 3000, 'TCP').allowed).toBe(false);
    expect(evaluate(snapshot, w('db-backup'), w('database'), 5432, 'TCP').allowed).toBe(false);
    expect(evaluate(snapshot, w('backend'), w('redis'), 6379, 'TCP').allowed).toBe(false);
    expect(evaluate(snapshot, w('backend'), { ip: '172.32.0.0' }, 443, 'TCP').allowed).toBe(true);
    expect(evaluate(snapshot, w('backend'), { ip: '172.31.255.255' }, 443, 'TCP').allowed).toBe(false);
  });

  it('has cluster guardrails (AdminNetworkPolicy + BaselineAdminNetworkPolicy) that pass today\'s paths and hold without NetworkPolicies', async () => {
    const documents = await demoDocuments();
    const { snapshot } = loadSnapshot(documents);
    const w = (name: string) => ({ namespace: 'production', name });
    // The admin tier passes Prometheus' scrape to the CDE's own NetworkPolicy, which allows it.
    const scrape = evaluateWithSteps(snapshot, { namespace: 'monitoring', name: 'prometheus' }, w('backend'), 8080, 'TCP');
    expect(scrape.allowed).toBe(true);
    expect(scrape.explanation.ingress.steps.map((step) => [step.name, step.rule, step.action])).toEqual([
      ['cde-ingress-guardrail', 'spec.ingress[2]', 'PASS'],
      ['allow-prometheus-scrape', 'spec.ingress[0]', 'ALLOW'],
    ]);
    // Without production's NetworkPolicies, the baseline still closes the CDE to other namespaces, and the admin
    // tier still denies namespaces it does not pass (kube-system), whatever the namespaced tier says.
    const withoutNetworkPolicies = documents.map((doc) => (doc.path.endsWith('30-production-policies.yaml') ? { ...doc, text: '' } : doc));
    const bare = loadSnapshot(withoutNetworkPolicies).snapshot;
    expect(evaluate(bare, { namespace: 'monitoring', name: 'prometheus' }, w('redis'), 6379, 'TCP').allowed).toBe(false);
    expect(evaluate(bare, { namespace: 'kube-system', name: 'coredns' }, w('database'), 5432, 'TCP').allowed).toBe(false);
    expect(evaluate(bare, w('frontend'), w('redis'), 6379, 'TCP').allowed).toBe(true);
  });
});
