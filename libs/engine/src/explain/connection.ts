// The explanation of one connection (`netpol eval --explain`): the class of the asked port, in the same
// words as `list --explain`.
import { ConnectionSet, type Protocol } from '../algebra/connection-set.js';
import { PortSet } from '../algebra/port-set.js';
import { resolvePeer, resolvePort, type PeerSpec } from '../analysis/evaluate.js';
import { sameWorkloadPeer, tracePair, type Endpoint, type PairTrace } from '../analysis/trace.js';
import type { Snapshot } from '../model/types.js';
import { pairClasses } from './pairs.js';
import { sidePartition } from './side.js';
import { classLines } from './text.js';
import type { ExplainClass } from './types.js';

export interface ConnectionExplanation {
  readonly src: string;
  readonly dst: string;
  readonly protocol: Protocol;
  readonly port: number;
  /** The container port name when the port was asked by name. */
  readonly portName?: string;
  /** The same pod at both ends: always allowed, no policy consulted. */
  readonly samePod: boolean;
  /** The asked port with its verdict and reasons per direction. */
  readonly explanation: ExplainClass;
}

/** Explains one port of a traced pair. */
export function explainTracedPort(trace: PairTrace, protocol: Protocol, port: number): ConnectionExplanation {
  const asked = ConnectionSet.single(protocol, PortSet.range(port));
  const classes = pairClasses(sidePartition(trace.egress), sidePartition(trace.ingress));
  const found = classes.find((c) => !c.ports.intersect(asked).isEmpty);
  if (!found) throw new Error('unreachable: the classes of a pair cover every port');
  const explanation = trace.samePod ? { ...found, allowed: true, ports: asked } : { ...found, ports: asked };
  return { src: trace.src.name, dst: trace.dst.name, protocol, port, samePod: trace.samePod, explanation };
}

/**
 * Resolves the peers and the port as `evaluate` does (a workload "to itself" means two distinct replicas, a
 * named port is looked up on the destination) and explains the port; throws `evaluate`'s errors.
 */
export function explainConnection(
  snapshot: Snapshot,
  from: PeerSpec,
  to: PeerSpec,
  port: number | string,
  protocol?: Protocol,
): ConnectionExplanation {
  const src = resolvePeer(snapshot, from);
  let dst = resolvePeer(snapshot, to);
  if (dst.isWorkload && dst.workload && src.workload === dst.workload) {
    dst = { ...dst, endpoint: sameWorkloadPeer(dst.workload, src.endpoint) };
  }
  const target = resolvePort(dst.endpoint, port, protocol);
  const explained = explainTracedPort(tracePair(snapshot, external(src.endpoint), external(dst.endpoint)), target.protocol, target.port);
  return typeof port === 'string' && !/^\d+$/.test(port) ? { ...explained, portName: port } : explained;
}

/** IP ends are named as in `list`: `first-last[External]`. */
export function external(endpoint: Endpoint): Endpoint {
  return endpoint.type === 'ip' && !endpoint.name.endsWith('[External]') ? { ...endpoint, name: `${endpoint.name}[External]` } : endpoint;
}

/**
 * Readable lines: `Allowed TCP 9187 (metrics) due to ...`, then the Egress and Ingress lines with their rules,
 * np-guard's sentences with rules named by field path (`spec.ingress[2]`), as in the rest of `eval`.
 */
export function connectionExplanationLines(e: ConnectionExplanation): string[] {
  const port = `${e.protocol} ${e.port}${e.portName ? ` (${e.portName})` : ''}`;
  if (e.samePod) return [`Allowed ${port}: a pod may always reach itself`];
  const lines = classLines(e.explanation, e.src, e.dst, { naming: 'path', portsLabel: port }).map((line) => line.replace(/^\t/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
