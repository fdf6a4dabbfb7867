// Traffic from outside the cluster to a pod enters through a host: Calico host endpoints' forward policies
// (applyOnForward, preDNAT) police it on top of the pod's own ingress (trace.ts traceHostForward). In the factorised
// analysis it is decided once per (source IP atom, destination class), on a real pod of the class: atoms are cut
// at the forward rules' address sets, and classes told apart by what those rules read.
import { ConnectionSet } from '../algebra/connection-set.js';
import type { Snapshot } from '../model/types.js';
import { ipEndpoint, podEndpoint, traceHostForward, workloadEndpoint, type Endpoint } from './trace.js';
import type { IpAtom } from './types.js';

/** What the host endpoints let through from a source atom to a destination class, or undefined when the snapshot
 *  has no host endpoint (nothing to intersect). */
export function hostForwardLookup(
  snapshot: Snapshot,
  classCount: number,
  podClasses: readonly Int32Array[],
  srcAtoms: readonly IpAtom[],
): ((atom: number, dstClass: number) => ConnectionSet) | undefined {
  if ((snapshot.hostEndpoints ?? []).length === 0) return undefined;
  const representatives: (Endpoint | undefined)[] = new Array(classCount);
  snapshot.workloads.forEach((w, wi) => {
    const ids = podClasses[wi];
    for (let i = 0; i < ids.length; i++) {
      if (representatives[ids[i]]) continue;
      representatives[ids[i]] = w.pods.length > 0 ? podEndpoint(w.pods[i]) : workloadEndpoint(w);
    }
  });
  const cache = new Map<number, ConnectionSet>();
  return (atom, dstClass) => {
    const key = atom * classCount + dstClass;
    let allowed = cache.get(key);
    if (allowed === undefined) {
      const a = srcAtoms[atom];
      const dst = representatives[dstClass];
      const forward = dst?.type === 'pod' ? traceHostForward(snapshot, ipEndpoint(a.family, a.first, a.last, a.text) as Extract<Endpoint, { type: 'ip' }>, dst) : undefined;
      allowed = forward?.allowed ?? ConnectionSet.ALL;
      cache.set(key, allowed);
    }
    return allowed;
  };
}
