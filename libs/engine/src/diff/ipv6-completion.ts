// An analysis cuts no IPv6 atoms when no ipBlock is IPv6 (np-guard shows no IPv6 at all). When only one side
// of a diff has IPv6 atoms, the other side's IPv6 connectivity is still defined: the whole IPv6 space is one
// piece, whose connections the pair trace gives. Without this, every workload would seem to gain or lose IPv6.
import { familyMax } from '../algebra/ip-set.js';
import { ipEndpoint, tracePair, workloadEndpoint } from '../analysis/trace.js';
import type { Analysis } from '../analysis/types.js';
import type { Workload } from '../model/types.js';
import type { ConnectionSet } from '../algebra/connection-set.js';

export function hasIpv6Atoms(analysis: Analysis): boolean {
  return analysis.srcAtoms.some((a) => a.family === 6) || analysis.dstAtoms.some((a) => a.family === 6);
}

const V6_MAX = familyMax(6);

/** Connections between the whole IPv6 space and a workload: into it (`from-ip`) or out of it (`to-ip`). */
export function wholeIpv6Conn(analysis: Analysis, workload: Workload, direction: 'from-ip' | 'to-ip'): ConnectionSet {
  const ip = ipEndpoint(6, 0n, V6_MAX, '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
  const pod = workloadEndpoint(workload);
  return direction === 'from-ip' ? tracePair(analysis.snapshot, ip, pod).allowed : tracePair(analysis.snapshot, pod, ip).allowed;
}
