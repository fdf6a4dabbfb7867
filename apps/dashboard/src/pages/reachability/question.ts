// A reachability question and its URL form: `?from=production/frontend[Deployment]&to=10.0.0.5&port=8080&protocol=TCP`,
// so a verdict can be linked and the back button steps through earlier questions.
import { formatPeer, parsePeer, type PeerChoice } from '../../analysis/peer.js';
import type { Protocol } from '../../api/types.js';
import type { QueryParams } from '../../routes.js';

export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export interface ReachabilityQuestion {
  from?: PeerChoice;
  to?: PeerChoice;
  /** A port number or a named container port of `to`, as typed. */
  port: string;
  protocol: Protocol;
}

export function parseQuestion(search: string): ReachabilityQuestion {
  const params = new URLSearchParams(search);
  const protocol = (params.get('protocol') ?? 'TCP').toUpperCase();
  return {
    from: parsePeer(params.get('from')),
    to: parsePeer(params.get('to')),
    port: params.get('port')?.trim() ?? '',
    protocol: PROTOCOLS.find((known) => known === protocol) ?? 'TCP',
  };
}

export function questionToQuery(question: ReachabilityQuestion): QueryParams {
  return {
    from: question.from && formatPeer(question.from),
    to: question.to && formatPeer(question.to),
    port: question.port,
    protocol: question.protocol,
  };
}

/** A question the API can answer: both ends and a port. */
export type CompleteQuestion = Required<ReachabilityQuestion>;

export function isComplete(question: ReachabilityQuestion): question is CompleteQuestion {
  return question.from !== undefined && question.to !== undefined && question.port !== '';
}
