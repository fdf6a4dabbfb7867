// One direction of a pair (egress of the source, ingress of the destination) as a partition of all ports
// into segments with one verdict each, built from the analysis core's provenance (SideTrace).
//
// np-guard's rules, which the expected explain outputs follow:
// - within one policy, a port allowed by several rules is explained by the first of them; a port that no
//   matching rule lists is explained by the first matching rule ("ports do not match", or "named ports ...
//   have no match" when that rule resolves to no port at all on the destination);
// - across the policies selecting the subject, a port is allowed when one policy allows it, and then every
//   allowing policy is cited; a denied port cites every policy's reason.
import { ConnectionSet } from '../algebra/connection-set.js';
import type { PolicyTrace, SideTrace } from '../analysis/trace.js';
import type { Direction } from '../model/types.js';
import type { DirectionSegment, RuleReason } from './types.js';

/** A direction no policy restricts: everything allowed by the system default. */
export const SYSTEM_DEFAULT_PARTITION: readonly DirectionSegment[] = Object.freeze([
  { ports: ConnectionSet.ALL, allowed: true, systemDefault: true, reasons: [], key: 'default' },
]);

interface PolicyPart {
  readonly ports: ConnectionSet;
  readonly allowed: boolean;
  readonly reason: RuleReason;
}

interface Cell {
  readonly ports: ConnectionSet;
  readonly allows: readonly RuleReason[];
  readonly denials: readonly RuleReason[];
}

/** The partition of all ports for one side; `null` (an IP end) and non-isolated sides are system default. */
export function sidePartition(side: SideTrace | null): readonly DirectionSegment[] {
  if (!side || !side.isolated) return SYSTEM_DEFAULT_PARTITION;
  let cells: Cell[] = [{ ports: ConnectionSet.ALL, allows: [], denials: [] }];
  for (const policy of side.policies) cells = refine(cells, policyParts(policy, side.direction));
  return mergeCells(cells);
}

/** How one policy decides every port (each port gets exactly one reason from it). */
export function policyParts(trace: PolicyTrace, direction: Direction): PolicyPart[] {
  const base = { kind: 'NetworkPolicy', policy: trace.policy.fullName, direction } as const;
  if (trace.rules.length === 0) {
    return [{ ports: ConnectionSet.ALL, allowed: false, reason: { ...base, verdict: 'no-rules' } }];
  }
  const matched = trace.rules.filter((r) => r.peerMatched);
  if (matched.length === 0) {
    return [{ ports: ConnectionSet.ALL, allowed: false, reason: { ...base, verdict: 'not-selected' } }];
  }
  const parts: PolicyPart[] = [];
  let covered = ConnectionSet.NONE;
  for (const r of matched) {
    const fresh = r.ports.subtract(covered);
    if (!fresh.isEmpty) {
      parts.push({ ports: fresh, allowed: true, reason: { ...base, verdict: 'allows', rule: r.rule.index, path: r.rule.path } });
    }
    covered = covered.union(r.ports);
  }
  const rest = ConnectionSet.ALL.subtract(covered);
  if (!rest.isEmpty) {
    const first = matched[0];
    const verdict = first.ports.isEmpty ? 'named-ports-unmatched' : 'ports-mismatch';
    parts.push({ ports: rest, allowed: false, reason: { ...base, verdict, rule: first.rule.index, path: first.rule.path } });
  }
  return parts;
}

function refine(cells: readonly Cell[], parts: readonly PolicyPart[]): Cell[] {
  const out: Cell[] = [];
  for (const cell of cells) {
    let rest = cell.ports;
    for (const part of parts) {
      if (rest.isEmpty) break;
      const common = rest.intersect(part.ports);
      if (common.isEmpty) continue;
      out.push({
        ports: common,
        allows: part.allowed ? [...cell.allows, part.reason] : cell.allows,
        denials: part.allowed ? cell.denials : [...cell.denials, part.reason],
      });
      rest = rest.subtract(part.ports);
    }
  }
  return out;
}

/** Cells with the same final verdict become one segment (denials do not matter for an allowed port). */
function mergeCells(cells: readonly Cell[]): DirectionSegment[] {
  const byKey = new Map<string, DirectionSegment>();
  for (const cell of cells) {
    const allowed = cell.allows.length > 0;
    const reasons = allowed ? cell.allows : cell.denials;
    const key = `${allowed ? 'allowed' : 'denied'}\u0000${reasons.map(reasonKey).join('\u0000')}`;
    const seen = byKey.get(key);
    if (seen) byKey.set(key, { ...seen, ports: seen.ports.union(cell.ports) });
    else byKey.set(key, { ports: cell.ports, allowed, systemDefault: false, reasons, key });
  }
  return [...byKey.values()];
}

export function reasonKey(r: RuleReason): string {
  return `${r.kind}|${r.policy}|${r.direction}|${r.verdict}|${r.rule ?? ''}`;
}
