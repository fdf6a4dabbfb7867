// Calico host endpoints in the factorised analysis. Traffic from outside the cluster to a pod enters through a host
// (trace.ts traceHostForward); pod traffic the hosts forward and traffic to and from a host's own addresses cross
// the host endpoints of the pods' nodes (host-endpoints.ts traceHostEndpoints). Both are decided once per (source,
// destination) of classes and IP atoms, on a real pod of each class: classes are told apart by node (and
// host network) when the snapshot has host endpoints, atoms cut at the forward rules' address sets and at every
// host endpoint's and node's address, and classes told apart by what those rules read.
import { ConnectionSet } from '../algebra/connection-set.js';
import { IpSet, parseIp } from '../algebra/ip-set.js';
import type { Snapshot } from '../model/types.js';
import { traceHostEndpoints } from './host-endpoints.js';
import { ipEndpoint, podEndpoint, traceHostForward, workloadEndpoint, type Endpoint } from './trace.js';
import type { IpAtom } from './types.js';

export interface HostEndpointLookups {
  readonly atomToClass: (atom: number, dstClass: number) => ConnectionSet;
  readonly classToClass: (srcClass: number, dstClass: number) => ConnectionSet;
  readonly classToAtom: (srcClass: number, atom: number) => ConnectionSet;
}

/** What the host endpoints let through between classes and atoms, or undefined when the snapshot has no host
 *  endpoint (nothing to intersect). */
export function hostForwardLookup(
  snapshot: Snapshot,
  classCount: number,
  podClasses: readonly Int32Array[],
  srcAtoms: readonly IpAtom[],
  dstAtoms: readonly IpAtom[] = [],
): HostEndpointLookups | undefined {
  if ((snapshot.hostEndpoints ?? []).length === 0) return undefined;
  const representatives: (Endpoint | undefined)[] = new Array(classCount);
  snapshot.workloads.forEach((w, wi) => {
    const ids = podClasses[wi];
    for (let i = 0; i < ids.length; i++) {
      if (representatives[ids[i]]) continue;
      representatives[ids[i]] = w.pods.length > 0 ? podEndpoint(w.pods[i]) : workloadEndpoint(w);
    }
  });
  const atom = (a: IpAtom) => ipEndpoint(a.family, a.first, a.last, a.text);
  const memo = (compute: (a: number, b: number) => ConnectionSet, width: number) => {
    const cache = new Map<number, ConnectionSet>();
    return (a: number, b: number) => {
      const key = a * width + b;
      let allowed = cache.get(key);
      if (allowed === undefined) cache.set(key, (allowed = compute(a, b)));
      return allowed;
    };
  };
  return {
    atomToClass: memo((a, dstClass) => {
      const dst = representatives[dstClass];
      const forward = dst?.type === 'pod' ? traceHostForward(snapshot, atom(srcAtoms[a]) as Extract<Endpoint, { type: 'ip' }>, dst) : undefined;
      return forward?.allowed ?? ConnectionSet.ALL;
    }, classCount),
    classToClass: memo((s, d) => {
      const src = representatives[s];
      const dst = representatives[d];
      return src && dst ? (traceHostEndpoints(snapshot, src, dst)?.allowed ?? ConnectionSet.ALL) : ConnectionSet.ALL;
    }, classCount),
    classToAtom: memo((s, a) => {
      const src = representatives[s];
      return src ? (traceHostEndpoints(snapshot, src, atom(dstAtoms[a]))?.allowed ?? ConnectionSet.ALL) : ConnectionSet.ALL;
    }, Math.max(dstAtoms.length, 1)),
  };
}

/** The addresses where a pod's traffic to an IP may be host-bound rather than forwarded (destination atoms are cut
 *  there): every host endpoint's expected IP and the addresses of every node with a host endpoint. Other nodes'
 *  addresses decide like any outside address, and traffic from outside to a pod does not read them. */
export function hostAddressSets(snapshot: Snapshot): IpSet[] {
  const heps = snapshot.hostEndpoints ?? [];
  if (heps.length === 0) return [];
  const texts = new Set<string>();
  for (const h of heps) for (const ip of h.expectedIPs) texts.add(ip);
  const guarded = new Set(heps.flatMap((h) => (h.node === undefined ? [] : [h.node])));
  for (const node of snapshot.nodes.values()) if (guarded.has(node.name)) for (const ip of node.ips) texts.add(ip);
  const out: IpSet[] = [];
  for (const text of [...texts].sort()) {
    const ip = parseIp(text);
    if (ip) out.push(IpSet.of(ip.family, [{ first: ip.value, last: ip.value }]));
  }
  return out;
}
