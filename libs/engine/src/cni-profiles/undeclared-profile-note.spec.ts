// A verdict on a Calico snapshot whose CNI was never declared is decided under np-guard's reading: the verdict says
// so (cniProfileNote) instead of a bare "np-guard", which reads as "Kubernetes NetworkPolicy only".
import { describe, expect, it } from 'vitest';
import { evaluate } from '../analysis/evaluate.js';
import { evaluateWithSteps } from '../explain/steps.js';
import { parseManifests } from '../manifest/parse-manifests.js';
import { buildSnapshot } from '../model/snapshot.js';
import { patchSnapshotPolicies } from '../model/patch-policies.js';
import { policyIdentity } from '../analysis/incremental.js';
import { undeclaredProfileNote } from './profiles.js';

const PODS = [
  ['a', 'client', '10.0.0.1'],
  ['b', 'server', '10.0.0.2'],
]
  .map(([ns, name, ip]) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: {app: ${name}}}\nspec: {containers: [{name: c}]}\nstatus: {podIP: ${ip}}\n`)
  .join('---\n');
const CALICO = `apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: server-in, namespace: b}\nspec:\n  selector: app == 'server'\n  types: [Ingress]\n  ingress:\n  - action: Allow\n    protocol: TCP\n    source: {selector: app == 'client', namespaceSelector: all()}\n`;
const KUBE = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: a}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n`;

function snapshotOf(docs: string[], options: { cni?: 'calico' | 'np-guard' } = {}) {
  const parsed = parseManifests([{ path: 'in.yaml', text: [PODS, ...docs].join('---\n') }]);
  expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
  return { objects: parsed.objects, snapshot: buildSnapshot(parsed.objects, options).snapshot };
}
const ask = (snapshot: ReturnType<typeof snapshotOf>['snapshot']) => evaluate(snapshot, { namespace: 'a', pod: 'client' }, { namespace: 'b', pod: 'server' }, 80, 'TCP');

describe('the profile of a snapshot whose CNI was not declared', () => {
  it('names the Calico policies np-guard evaluated, on every verdict (stepped too)', () => {
    const { snapshot } = snapshotOf([CALICO, KUBE]);
    const verdict = ask(snapshot);
    expect(verdict.cniProfile).toBe('np-guard');
    expect(verdict.cniProfileNote).toBe(
      "no CNI was declared: np-guard's reading (the default) evaluated every modelled policy dialect present (calico, networking-v1), calico included, " +
        "with ipBlocks and nets matching external IPs only; not calico's own semantics (declare the cluster's CNI, e.g. calico, for them)",
    );
    expect(evaluateWithSteps(snapshot, { namespace: 'a', pod: 'client' }, { namespace: 'b', pod: 'server' }, 80, 'TCP').cniProfileNote).toBe(verdict.cniProfileNote);
  });

  it('is absent when the CNI was declared (even as np-guard), or only np-guard’s own dialects are present', () => {
    expect(ask(snapshotOf([CALICO], { cni: 'calico' }).snapshot)).not.toHaveProperty('cniProfileNote');
    expect(ask(snapshotOf([CALICO], { cni: 'np-guard' }).snapshot)).not.toHaveProperty('cniProfileNote');
    expect(ask(snapshotOf([KUBE]).snapshot)).not.toHaveProperty('cniProfileNote');
    expect(undeclaredProfileNote(false, 'cilium', ['cilium', 'networking-v1'])).toBeUndefined();
  });

  it('stays on a what-if snapshot (a patch only adds or removes np-guard’s own dialects), as a rebuild would have it', () => {
    const { snapshot } = snapshotOf([CALICO, KUBE]);
    const kube = snapshot.policies.find((p) => p.dialect === 'networking-v1')!;
    const patched = patchSnapshotPolicies(snapshot, { remove: [policyIdentity(kube)], add: [], firstReadIndex: 99 });
    expect(patched!.snapshot.cniProfileNote).toBe(snapshotOf([CALICO]).snapshot.cniProfileNote);
    expect(patched!.snapshot.cniProfileNote).toContain('(calico)');
  });
});
