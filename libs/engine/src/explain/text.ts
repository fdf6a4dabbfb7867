// np-guard's explain texts (FORMAT.md §11): rule lines, port lists, class and pair blocks.
import { ICMP_FAMILIES, icmpText, PROTOCOLS, type ConnectionSet } from '../algebra/connection-set.js';
import type { Direction } from '../model/types.js';
import { POLICY_KINDS, type DirectionVerdict, type ExplainClass, type ExplainedPair, type RuleReason } from './types.js';

export const SYSTEM_DEFAULT_TEXT = 'the system default (Allow all)';
const PAIR_SEPARATOR = '-'.repeat(160);

export function directionName(direction: Direction): 'Ingress' | 'Egress' {
  return direction === 'ingress' ? 'Ingress' : 'Egress';
}

/**
 * How a rule is named: np-guard's `Ingress rule #3` (1-based; the byte-exact `list --explain` format) or the field
 * path `spec.ingress[2]` that every other explanation (eval, the API, the dashboard) uses.
 */
export type RuleNaming = 'np-guard' | 'path';

/**
 * One rule line. `subject` is the peer the policy selects (the source for egress, the destination for
 * ingress); `peer` is the other end.
 */
export function ruleText(reason: RuleReason, subject: string, peer: string, naming: RuleNaming = 'np-guard'): string {
  if (reason.kind === SYSTEM_DEFAULT_KIND) return SYSTEM_DEFAULT_TEXT;
  const dir = directionName(reason.direction);
  if (reason.ruleName !== undefined) {
    // A rule of a tier with actions (AdminNetworkPolicy and its kin): np-guard names it by its `name`; the path
    // naming adds the policy's priority and the rule's field path.
    const policy = `${reason.kind} '${reason.policy}'${naming === 'path' && reason.priority !== undefined ? ` (priority ${reason.priority})` : ''}`;
    const rule = naming === 'path' ? `${reason.path ?? ''}${reason.ruleName ? ` (${reason.ruleName})` : ''}` : `${dir} rule ${reason.ruleName}`;
    return `${policy} ${reason.verdict} connections by ${rule}`;
  }
  const policy = `${reason.kind} '${reason.policy}'`;
  const rule =
    naming === 'path' ? (reason.path ?? `spec.${reason.direction}[${reason.rule ?? 0}]`) : `${dir} rule #${(reason.rule ?? 0) + 1}`;
  switch (reason.verdict) {
    case 'allows':
      return `${policy} allows connections by ${rule}`;
    case 'not-selected':
      return `${policy} selects ${subject}, but ${peer} is not allowed by any ${dir} rule`;
    case 'no-rules':
      return `${policy} selects ${subject}, but ${peer} is not allowed by any ${dir} rule (no rules defined)`;
    case 'ports-mismatch':
      return `${policy} selects ${subject}, and ${rule} selects ${peer}, but the protocols and ports do not match`;
    case 'named-ports-unmatched':
      return (
        `${policy} selects ${subject}, and ${rule} selects ${peer}, ` +
        'but named ports of the rule have no match in the configuration of the destination peer'
      );
    case 'denies':
    case 'passes':
      return `${policy} ${reason.verdict} connections by ${rule}`;
  }
}

/** `TCP, UDP:[53], SCTP`: protocols in the order TCP, UDP, SCTP; a protocol on all ports is written bare.
 *  `icmp` (the snapshot `showsIcmp`: Calico or Cilium policies decide ICMP apart from ports): ICMP families
 *  follow, bare when whole (`TCP:[80], ICMP`) or with their messages (`ICMP:[type 8]`); np-guard's text has none. */
export function portsText(ports: ConnectionSet, icmp = false): string {
  const parts: string[] = [];
  for (const protocol of PROTOCOLS) {
    const set = ports.ports(protocol);
    if (set.isEmpty) continue;
    parts.push(set.isAll ? protocol : `${protocol}:[${set.key}]`);
  }
  if (icmp) {
    for (const family of ICMP_FAMILIES) {
      const set = ports.ports(family);
      if (set.isEmpty) continue;
      parts.push(set.isAll ? family : `${family}:[${icmpText(family, set).slice(family.length + 1)}]`);
    }
  }
  return parts.join(', ');
}

/** The kind of the reason "what no tier decided is allowed" (after a pass). */
export const SYSTEM_DEFAULT_KIND = 'system-default';

/** The rule lines of one direction, grouped by policy kind in precedence order (np-guard's: AdminNetworkPolicy,
 *  NetworkPolicy, BaselineAdminNetworkPolicy; generally: by tier, then kind), the system default last. */
export function ruleLines(reasons: readonly RuleReason[], subject: string, peer: string, naming: RuleNaming = 'np-guard'): string[] {
  const lines: string[] = [];
  const groups = new Map<string, { order: number; kind: string; reasons: RuleReason[] }>();
  for (const r of reasons) {
    const order = r.kind === SYSTEM_DEFAULT_KIND ? Number.MAX_SAFE_INTEGER : (r.tierOrder ?? KIND_ORDER[r.kind] ?? 0);
    const key = `${order}\u0000${r.kind}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { order, kind: r.kind, reasons: [] }));
    group.reasons.push(r);
  }
  const ordered = [...groups.values()].sort((a, b) => a.order - b.order || compareStrings(a.kind, b.kind));
  for (const { kind, reasons: own } of ordered) {
    const texts = own.map((r) => ruleText(r, subject, peer, naming)).sort(compareStrings);
    if (texts.length === 1) lines.push(`\t\t\t${texts[0]}`);
    else if (texts.length > 1) lines.push(`\t\t\t${kind} list:`, ...texts.map((t) => `\t\t\t\t- ${t}`), '');
  }
  return lines;
}

/** Reasons without a tier order (built by hand): np-guard's kind order. */
const KIND_ORDER: Readonly<Record<string, number>> = Object.fromEntries(POLICY_KINDS.map((k, i) => [k, (i + 1) * 100]));

function directionLines(direction: Direction, verdict: DirectionVerdict, subject: string, peer: string, naming: RuleNaming): string[] {
  const head = `\t\t${directionName(direction)} (${verdict.allowed ? 'Allowed' : 'Denied'})`;
  if (verdict.systemDefault) return [`${head} due to ${SYSTEM_DEFAULT_TEXT}`];
  return [head, ...ruleLines(verdict.reasons, subject, peer, naming)];
}

/** How a class names its rules and its ports (default: np-guard's `TCP:[80]` and `Ingress rule #1`). */
export interface ClassTextOptions {
  readonly naming?: RuleNaming;
  /** Replaces np-guard's port list in the first line, e.g. `TCP 9187 (metrics)`. */
  readonly portsLabel?: string;
  /** The port list names ICMP (`portsText`): the snapshot `showsIcmp`. */
  readonly icmp?: boolean;
}

/** A class: its first line, the direction lines, and the closing blank line. */
export function classLines(cls: ExplainClass, src: string, dst: string, options: ClassTextOptions = {}): string[] {
  const naming = options.naming ?? 'np-guard';
  const title = `\t${cls.allowed ? 'Allowed' : 'Denied'} ${options.portsLabel ?? portsText(cls.ports, options.icmp)} due to `;
  if (cls.egress.systemDefault && cls.ingress.systemDefault) return [`${title}${SYSTEM_DEFAULT_TEXT}`, ''];
  return [
    `${title}the following policies and rules:`,
    ...directionLines('egress', cls.egress, src, dst, naming),
    ...directionLines('ingress', cls.ingress, dst, src, naming),
    '',
  ];
}

/** The block of one pair (every line, each to be ended by a newline). `icmp`: the snapshot `showsIcmp`. */
export function pairBlockLines(pair: ExplainedPair, icmp = false): string[] {
  const lines = [PAIR_SEPARATOR, `Connections between ${pair.src} => ${pair.dst}:`, ''];
  for (const allowed of [true, false]) {
    const classes = pair.classes
      .filter((c) => c.allowed === allowed)
      .map((c) => classLines(c, pair.src, pair.dst, { icmp }))
      .sort((a, b) => compareStrings(a[0], b[0]));
    if (classes.length === 0) continue;
    lines.push(allowed ? 'Allowed connections:' : 'Denied connections:');
    for (const c of classes) lines.push(...c);
  }
  return lines;
}

/** A section header: a blank line, then the title framed by rows of `#`. */
export function sectionHeaderLines(title: string): string[] {
  const framed = `# ${title} #`;
  const row = '#'.repeat(framed.length);
  return ['', row, framed, row];
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
