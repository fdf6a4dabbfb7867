// Engine diff results → the API's GraphQL shapes: pairs (with causes), object changes, issues; and the pair filter.
import {
  canonicalJson,
  connRanges,
  connString,
  formatIpRange,
  peerName,
  workloadsDiffInfo,
  type CauseRef,
  type DiffPeer,
  type Issue,
  type ObjectChange as EngineObjectChange,
  type ObjectRef as EngineObjectRef,
  type PairChange,
} from '@netpol-atlas/engine';
import type { NetworkPeer } from '../analysis/analysis.models.js';
import { ipRangePeer, workloadPeer } from '@netpol-atlas/engine';
import type { DiffFilter } from './diff.args.js';
import type { ManifestIssue } from '../ingest/ingest.models.js';
import type { DiffCause, DiffPair, DiffPairType, ObjectChange, ObjectChangeType, ObjectFieldChange, ObjectRef } from './diff.models.js';

export function diffPeer(peer: DiffPeer): NetworkPeer {
  return peer.kind === 'workload'
    ? workloadPeer(peer.namespace, peer.workloadKind, peer.name)
    : ipRangePeer(formatIpRange(peer.range.family, peer.range.first, peer.range.last));
}


const causes = (refs: readonly CauseRef[] | undefined): DiffCause[] => (refs ?? []).map((ref) => ({ change: ref.change, summary: ref.summary }));

/** `icmp`: the diff's `showsIcmp` (its texts name ICMP whenever allowed). */
export function diffPair(pair: PairChange, icmp = false): DiffPair {
  return {
    type: pair.type as DiffPairType,
    from: diffPeer(pair.src),
    to: diffPeer(pair.dst),
    source: peerName(pair.src),
    destination: peerName(pair.dst),
    old: connRanges(pair.old),
    oldText: connString(pair.old, icmp),
    new: connRanges(pair.new),
    newText: connString(pair.new, icmp),
    gained: connRanges(pair.gained),
    lost: connRanges(pair.lost),
    workloadsDiffInfo: workloadsDiffInfo(pair) || null,
    causes: causes(pair.causes),
    jointCauses: causes(pair.jointCauses),
  };
}

/** A pair with its position in the diff's own (np-guard) order: the position is the cursor key. */
export interface IndexedPair {
  readonly key: string;
  readonly pair: PairChange;
}

/** Pairs matching every given filter field, in the diff's order, keyed by zero-padded position (sorts as text). */
export function filterPairs(pairs: readonly PairChange[], filter: DiffFilter): IndexedPair[] {
  const types = filter.types && filter.types.length > 0 ? new Set<string>(filter.types) : undefined;
  const workload = filter.workload ?? null;
  const [wNamespace, wName] = workload?.includes('/') ? workload.split('/', 2) : [null, workload];
  const isWorkload = (peer: DiffPeer) => peer.kind === 'workload' && peer.name === wName && (wNamespace === null || peer.namespace === wNamespace);
  const namespaceOf = (peer: DiffPeer) => (peer.kind === 'workload' ? peer.namespace : null);
  const out: IndexedPair[] = [];
  pairs.forEach((pair, index) => {
    if (types && !types.has(pair.type)) return;
    if (filter.fromNamespace != null && namespaceOf(pair.src) !== filter.fromNamespace) return;
    if (filter.toNamespace != null && namespaceOf(pair.dst) !== filter.toNamespace) return;
    if (wName != null && !isWorkload(pair.src) && !isWorkload(pair.dst)) return;
    out.push({ key: String(index).padStart(10, '0'), pair });
  });
  return out;
}

const jsonOrNull = (value: unknown) => (value === undefined ? null : canonicalJson(value));

export function objectRefModel(ref: EngineObjectRef): ObjectRef {
  return { kind: ref.kind, apiGroup: ref.apiGroup, namespace: ref.namespace, name: ref.name };
}

export function objectChange(change: EngineObjectChange): ObjectChange {
  return {
    id: change.id,
    object: objectRefModel(change.ref),
    change: change.change as ObjectChangeType,
    summary: change.summary,
    fields: change.fields.map(
      (field): ObjectFieldChange => ({
        id: field.id,
        path: field.path,
        change: field.change as ObjectChangeType,
        before: jsonOrNull(field.before),
        after: jsonOrNull(field.after),
        summary: field.summary,
      }),
    ),
  };
}

export function manifestIssue(issue: Issue): ManifestIssue {
  return {
    code: issue.code,
    severity: issue.severity,
    message: issue.message,
    file: issue.file,
    document: issue.document,
    path: issue.path,
    line: issue.line,
  };
}
