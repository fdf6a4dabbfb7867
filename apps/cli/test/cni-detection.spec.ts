// The collector's CNI detection rules (src/collect/cni-detection.ts): agent DaemonSets by name and namespace, an
// enforcing CNI before flannel, policy API groups only as a fallback.
import { describe, expect, it } from 'vitest';
import { detectCni } from '../src/collect/cni-detection.js';

const ds = (namespace: string, name: string) => ({ namespace, name });

describe('detectCni', () => {
  it.each([
    [[ds('kube-system', 'cilium')], 'cilium', 'DaemonSet kube-system/cilium'],
    [[ds('calico-system', 'calico-node')], 'calico', 'DaemonSet calico-system/calico-node'],
    [[ds('kube-system', 'antrea-agent')], 'antrea', 'DaemonSet kube-system/antrea-agent'],
    [[ds('ovn-kubernetes', 'ovnkube-node')], 'ovn-kubernetes', 'DaemonSet ovn-kubernetes/ovnkube-node'],
    [[ds('kube-flannel', 'kube-flannel-ds')], 'flannel', 'DaemonSet kube-flannel/kube-flannel-ds'],
    // Canal and Calico-on-flannel: Calico enforces policy, flannel only carries packets.
    [[ds('kube-flannel', 'kube-flannel-ds'), ds('kube-system', 'calico-node')], 'calico', 'DaemonSet kube-system/calico-node'],
    [[ds('kube-system', 'canal')], 'calico', 'DaemonSet kube-system/canal'],
  ])('%j → %s', (daemonSets, cni, evidence) => {
    expect(detectCni(daemonSets, new Set())).toEqual({ cni, evidence });
  });

  it('ignores look-alikes outside the CNI namespaces and partial names', () => {
    expect(detectCni([ds('shop', 'cilium'), ds('kube-system', 'cilium-operator'), ds('kube-system', 'calico-node-exporter')], new Set())).toBeUndefined();
  });

  it('falls back to the served policy API groups, DaemonSets first', () => {
    expect(detectCni([], new Set(['crd.projectcalico.org']))).toEqual({ cni: 'calico', evidence: 'API group crd.projectcalico.org served (no agent DaemonSet readable)' });
    expect(detectCni([ds('kube-system', 'antrea-agent')], new Set(['cilium.io']))?.cni).toBe('antrea');
    expect(detectCni([], new Set(['policy.networking.k8s.io']))).toBeUndefined();
  });
});
