// A GraphQL peer `ref` without its namespace (`backend`): answered in the model thread, where the snapshot is, with
// the workloads of that name as candidates, in the CLI's words ("did you mean production/backend[Deployment]?").
import { didYouMean, peerSuggestions, type PeerSpec, type Snapshot } from '@netpol-atlas/engine';

/** A peer as a question carries it: the engine's, or a bare name still to be looked up (and refused). */
export type QuestionPeer = PeerSpec | BarePeer;

export interface BarePeer {
  readonly bareName: string;
  /** The GraphQL argument that gave it (`from`, `to`). */
  readonly argument: string;
}

/** What crosses the thread boundary (a class instance does not). */
export interface ThreadBarePeer extends BarePeer {
  readonly candidates: readonly string[];
}

export class BarePeerError extends Error {
  constructor(
    readonly argument: string,
    readonly bareName: string,
    readonly candidates: readonly string[],
  ) {
    super(`${argument}: ref ${bareName} needs its namespace (ns/name)${candidates.length > 0 ? didYouMean(candidates) : '; no workload of that name in the snapshot'}`);
    this.name = 'BarePeerError';
  }
}

/** The engine's peer, or a BarePeerError naming the workloads of that name in the snapshot. */
export function resolveQuestionPeer(snapshot: Snapshot, peer: QuestionPeer): PeerSpec {
  if (!('bareName' in peer)) return peer;
  throw new BarePeerError(peer.argument, peer.bareName, peerSuggestions(snapshot, { name: peer.bareName }));
}
