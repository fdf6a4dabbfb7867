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
import type { PolicyTrace, RuleTrace, SideTrace } from '../analysis/trace.js';
import type { Direction } from '../model/types.js';
import { qualifiedKind } from '../dialects/registry.js';
import { SYSTEM_DEFAULT_KIND } from './text.js';
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
  if (!side) return SYSTEM_DEFAULT_PARTITION;
  if (side.policies.some((p) => p.policy.tier.endOfTier !== 'deny-selected' || hasActions(p))) return tieredPartition(side);
  if (!side.isolated) return SYSTEM_DEFAULT_PARTITION;
  return mergeCells(isolatingTierCells(side.policies, side.direction, ConnectionSet.ALL));
}

/** The cells of an isolating tier of allow-only rules (NetworkPolicy) over `ports`. */
function isolatingTierCells(policies: readonly PolicyTrace[], direction: Direction, ports: ConnectionSet): Cell[] {
  let cells: Cell[] = [{ ports, allows: [], denials: [] }];
  for (const policy of policies) cells = refine(cells, policyParts(policy, direction));
  return cells;
}

interface Step {
  readonly ports: ConnectionSet;
  /** The rules that passed these ports on so far (AdminNetworkPolicy Pass), in order. */
  readonly reasons: readonly RuleReason[];
}

/**
 * Tiers with actions around NetworkPolicy (np-guard's ANP/BANP explanations): each port is explained by the first
 * rule that matched it in each tier it went through — a pass is a step and the next tier goes on — then by the
 * NetworkPolicy reasons when NetworkPolicy isolates the subject, and by the system default when nothing decided
 * it after a pass. Ports no rule of any tier touched are the system default's alone.
 */
function tieredPartition(side: SideTrace): readonly DirectionSegment[] {
  const decided: { ports: ConnectionSet; allowed: boolean; reasons: readonly RuleReason[] }[] = [];
  let open: Step[] = [{ ports: ConnectionSet.ALL, reasons: [] }];
  const policies = side.policies;
  for (let start = 0; start < policies.length; ) {
    const tier = policies[start].policy.tier;
    let end = start;
    // One layer per order: Calico's default tier and the namespaced one (NetworkPolicy, Cilium) decide together.
    while (end < policies.length && policies[end].policy.tier.order === tier.order) end++;
    const inTier = policies.slice(start, end);
    start = end;
    if (tier.endOfTier === 'deny-selected') {
      if (!inTier.some((p) => p.policy[side.direction].affects)) continue;
      // Deny / Pass rules (Calico, Cilium): first match, as the decision took it (each rule's `decided` ports); what
      // no rule decided is the end-of-tier deny, explained like NetworkPolicy isolation.
      const actions = inTier.some(hasActions);
      const passed: Step[] = [];
      for (const step of open) {
        let rest = step.ports;
        if (actions) {
          for (const trace of inTier) {
            for (const r of trace.rules) {
              if (r.rule.action === 'log') continue;
              const hit = r.decided.intersect(rest);
              if (hit.isEmpty) continue;
              rest = rest.subtract(hit);
              const reason = tierReason(trace, r.rule, side.direction);
              if (r.rule.action === 'pass') passed.push({ ports: hit, reasons: [...step.reasons, reason] });
              else decided.push({ ports: hit, allowed: r.rule.action === 'allow', reasons: [...step.reasons, reason] });
            }
          }
        }
        if (rest.isEmpty) continue;
        for (const cell of isolatingTierCells(inTier, side.direction, rest)) {
          const allowed = !actions && cell.allows.length > 0;
          const reasons = allowed || cell.denials.length === 0 ? cell.allows : cell.denials;
          decided.push({ ports: cell.ports, allowed, reasons: [...step.reasons, ...reasons] });
        }
      }
      open = passed;
      continue;
    }
    const next: Step[] = [];
    for (const step of open) {
      let remaining = step.ports;
      for (const trace of inTier) {
        const rules = trace.rules.filter((r) => r.peerMatched).sort((a, b) => a.rule.precedence - b.rule.precedence || a.rule.index - b.rule.index);
        for (const r of rules) {
          if (r.rule.action === 'log') continue;
          const hit = r.ports.intersect(remaining);
          if (hit.isEmpty) continue;
          remaining = remaining.subtract(hit);
          const reason = tierReason(trace, r.rule, side.direction);
          if (r.rule.action === 'pass') next.push({ ports: hit, reasons: [...step.reasons, reason] });
          else decided.push({ ports: hit, allowed: r.rule.action === 'allow', reasons: [...step.reasons, reason] });
        }
      }
      if (!remaining.isEmpty) next.push({ ports: remaining, reasons: step.reasons });
    }
    open = next;
  }
  for (const step of open) {
    const reasons = step.reasons.length > 0 ? [...step.reasons, SYSTEM_DEFAULT_REASON(side.direction)] : [];
    decided.push({ ports: step.ports, allowed: true, reasons });
  }
  const byKey = new Map<string, DirectionSegment>();
  for (const d of decided) {
    const systemDefault = d.reasons.length === 0;
    const key = systemDefault ? 'default' : `${d.allowed ? 'allowed' : 'denied'}\u0000${d.reasons.map(reasonKey).join('\u0000')}`;
    const seen = byKey.get(key);
    if (seen) byKey.set(key, { ...seen, ports: seen.ports.union(d.ports) });
    else byKey.set(key, { ports: d.ports, allowed: d.allowed, systemDefault, reasons: d.reasons, key });
  }
  const segments = [...byKey.values()];
  return segments.length === 1 && segments[0].systemDefault ? SYSTEM_DEFAULT_PARTITION : segments;
}

/** The reason of a tier rule that decided (or passed) some ports first. */
function tierReason(trace: PolicyTrace, rule: RuleTrace['rule'], direction: Direction): RuleReason {
  return {
    kind: qualifiedKind(trace.policy.apiVersion, trace.policy.kind),
    policy: trace.policy.fullName,
    policyId: trace.policy.id,
    direction,
    verdict: rule.action === 'allow' ? 'allows' : rule.action === 'deny' ? 'denies' : 'passes',
    rule: rule.index,
    path: rule.path,
    ruleName: rule.name ?? '',
    tierOrder: trace.policy.tier.order,
    // Only where the policy has one (a BaselineAdminNetworkPolicy has none).
    ...(hasPriority(trace) ? { priority: trace.policy.priority } : {}),
  };
}

/** Whether a policy has Deny or Pass rules in this side's direction (its tier is then first match, not a union). */
function hasActions(trace: PolicyTrace): boolean {
  return trace.rules.some((r) => r.rule.action === 'deny' || r.rule.action === 'pass');
}

function hasPriority(trace: PolicyTrace): boolean {
  const spec = trace.policy.object.spec as Readonly<Record<string, unknown>> | undefined;
  return spec !== undefined && typeof spec.priority === 'number';
}

function SYSTEM_DEFAULT_REASON(direction: Direction): RuleReason {
  return { kind: SYSTEM_DEFAULT_KIND, policy: '', direction, verdict: 'allows' };
}

/** How one policy decides every port (each port gets exactly one reason from it). */
export function policyParts(trace: PolicyTrace, direction: Direction): PolicyPart[] {
  // The policy's own kind: a Calico GlobalNetworkPolicy or a Cilium policy of an isolating tier is named as what it is
  // (with its API group where the bare kind would read as another group's: a Calico NetworkPolicy).
  const base = { kind: qualifiedKind(trace.policy.apiVersion, trace.policy.kind), policy: trace.policy.fullName, policyId: trace.policy.id, direction, tierOrder: trace.policy.tier.order } as const;
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
  return `${r.kind}|${r.policy}|${r.policyId ?? ''}|${r.direction}|${r.verdict}|${r.rule ?? ''}`;
}
