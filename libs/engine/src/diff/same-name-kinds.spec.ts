// Policies of one namespace and name in different kinds or API groups (a Calico and a Kubernetes NetworkPolicy
// `shop/api-ingress`) are different policies for the diff: changing one marks only it, and a cause's revert replaces
// only the Kubernetes policy it edits, keeping the Calico one.
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../manifest/parse-manifests.js';
import type { ParsedObject } from '../manifest/types.js';
import { buildSnapshot } from '../model/snapshot.js';
import { connString } from '../output/conn-string.js';
import { diffWithCauses } from './api.js';
import { peerName } from './peers.js';
import { changedPolicies, policyKey } from './signatures.js';

const BASE = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c}]}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec: {containers: [{name: c}]}
status: {podIP: 10.0.0.2}
`;
const k8s = (ports: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-ingress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: web}}}]
    ports: [${ports}]
`;
const calico = (port: number) => `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: api-ingress, namespace: shop}
spec:
  selector: app == 'api'
  order: 100
  types: [Ingress]
  ingress:
  - {action: Allow, protocol: TCP, source: {selector: app == 'web'}, destination: {ports: [${port}]}}
`;

function parsed(text: string, file: string): ParsedObject[] {
  const result = parseManifests([{ path: file, text }]);
  expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
  return [...result.objects];
}

describe('policies of one name in different API groups', () => {
  it('changing the Calico policy marks it alone, not the Kubernetes one of the same name', () => {
    const a = buildSnapshot(parsed([BASE, k8s('{port: 8080}'), calico(9000)].join('---\n'), 'old.yaml')).snapshot;
    const b = buildSnapshot(parsed([BASE, k8s('{port: 8080}'), calico(9001)].join('---\n'), 'new.yaml')).snapshot;
    const byGroup = (s: typeof a, group: string) => s.policies.find((p) => p.apiVersion.startsWith(group))!;
    expect(policyKey(byGroup(a, 'projectcalico.org'))).not.toBe(policyKey(byGroup(a, 'networking.k8s.io')));
    expect([...changedPolicies(a, b)]).toEqual([policyKey(byGroup(b, 'projectcalico.org'))]);
  });

  it('the cause of a Kubernetes policy edit is checked with the Calico policy of the same name still in place', () => {
    const old = parsed([BASE, k8s('{port: 8080}'), calico(9000)].join('---\n'), 'old.yaml');
    const now = parsed([BASE, k8s('{port: 8080, endPort: 8090}'), calico(9000)].join('---\n'), 'new.yaml');
    const explained = diffWithCauses({ objects: old }, { objects: now });
    const changes = explained.diff.pairs.map((p) => ({
      line: `${p.type} ${peerName(p.src)} => ${peerName(p.dst)}: ${connString(p.old)} -> ${connString(p.new)}`,
      causes: (p.causes ?? []).map((c) => c.change),
    }));
    expect(changes).toEqual([
      { line: 'changed shop/web[Pod] => shop/api[Pod]: TCP 8080,9000 -> TCP 8080-8090,9000', causes: ['NetworkPolicy/shop/api-ingress#spec.ingress[0].ports'] },
    ]);
  });
});
