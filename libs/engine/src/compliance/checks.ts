// The computations that decide controls (types.ts CheckId), each over the computed reachability: a status,
// a one-line summary, counts and evidence rows (the connections with the rules behind them, findings…).
import type { ConnectionSet } from '../algebra/connection-set.js';
import type { Peer } from './engine-api.js';
import type { Analysis } from './engine-api.js';
import type { AppliedException, IntentsCheckResult } from '../intents/check.js';
import { parseExpiry } from '../intents/config-document.js';
import { allowingRules, portsText, rulesText, type Flow } from '../intents/flows.js';
import type { SegmentationIntents } from '../intents/types.js';
import { flowPorts, type ZoneMap } from '../intents/zones.js';
import { showsIcmp } from '../output/conn-string.js';
import { ENFORCING_CNI, NON_ENFORCING_CNI } from '../lint/rules.js';
import { isEgressIsolated, isIngressIsolated } from '../lint/query.js';
import type { LintResult } from '../lint/types.js';
import type { ParsedObject } from '../manifest/types.js';
import type { Workload } from './engine-api.js';
import type { ProbePlan } from '../probe-plan/plan.js';
import type { CheckId, CheckScope, ControlStatus, EvidenceRow } from './types.js';

export interface CheckContext {
  readonly analysis: Analysis;
  readonly objects: readonly ParsedObject[];
  readonly intents: SegmentationIntents;
  /** True when the intents come from a file (flows declared); false for the --cde convention. */
  readonly declared: boolean;
  readonly zones: ZoneMap;
  /** The allowed flows the checks can look at (`checkedFlow`), in `allowedFlows` order. */
  readonly flows: readonly Flow[];
  readonly lint: LintResult;
  readonly intentsCheck: IntentsCheckResult;
  readonly probePlan: ProbePlan;
  readonly at: string;
}

export type Evidence = Omit<EvidenceRow, 'control'>;

export interface CheckOutcome {
  readonly status: ControlStatus;
  readonly summary: string;
  readonly counts: Record<string, number>;
  readonly evidence: Evidence[];
  readonly exceptions: AppliedException[];
}

/**
 * The flows any check of any framework reads: those touching a declared zone (the intents check; the `cde` scope is
 * a declared zone, else every declared workload zone) and those with an IP end (the cluster-wide internet boundary).
 * Asked before a pair is explained: at 50k pods most pairs are neither.
 */
export function checkedFlow(zones: ZoneMap): (src: Peer, dst: Peer) => boolean {
  const declared = new Set(zones.intents.zones.map((z) => z.name));
  return (src, dst) => src.type === 'ip' || dst.type === 'ip' || declared.has(zones.zoneOf(src)) || declared.has(zones.zoneOf(dst));
}

/** Workloads a scope covers: every workload, or the `cde` zone (else every declared workload zone). */
export function scopeWorkloads(context: CheckContext, scope: CheckScope): Workload[] {
  const snapshot = context.analysis.snapshot;
  if (scope === 'cluster') return [...snapshot.workloads];
  const names = context.zones.workloadZoneNames;
  const zones = names.includes('cde') ? ['cde'] : names;
  return zones.flatMap((z) => context.zones.workloadsIn(z)).sort((a, b) => a.id - b.id);
}

interface Coverage {
  readonly rest: ConnectionSet;
  readonly exceptions: readonly string[];
}

/** What of a flow the declared intents do not cover (allowed flows, then live exceptions). */
function coverage(context: CheckContext, flow: Flow): Coverage {
  const at = Date.parse(context.at);
  let rest = flow.conn;
  const exceptions: string[] = [];
  for (const a of context.intents.allowedFlows) {
    if (context.zones.endMatches(a.from, flow.src) && context.zones.endMatches(a.to, flow.dst)) rest = rest.subtract(flowPorts(a.ports));
  }
  for (const e of context.intents.exceptions) {
    if ((parseExpiry(e.expires) ?? 0) < at) continue;
    if (!context.zones.endMatches(e.from, flow.src) || !context.zones.endMatches(e.to, flow.dst)) continue;
    const after = rest.subtract(flowPorts(e.ports));
    if (!after.equals(rest)) exceptions.push(e.path);
    rest = after;
  }
  return { rest, exceptions };
}

function zonesText(context: CheckContext, flow: Flow): string {
  return `${context.zones.zoneOf(flow.src)} -> ${context.zones.zoneOf(flow.dst)}`;
}

function connectionRow(context: CheckContext, flow: Flow, status: Evidence['status'], ports: ConnectionSet, note = ''): Evidence {
  return {
    kind: 'connection',
    status,
    subject: flow.src.name,
    peer: flow.dst.name,
    zones: zonesText(context, flow),
    ports: portsText(ports, showsIcmp(context.analysis.snapshot)),
    detail: `${note}${rulesText(allowingRules(flow, ports))}`,
  };
}

function appliedExceptions(context: CheckContext, used: ReadonlyMap<string, number>): AppliedException[] {
  return context.intents.exceptions
    .filter((e) => used.has(e.path))
    .map((e) => ({
      path: e.path,
      owner: e.owner,
      justification: e.justification,
      expires: e.expires,
      from: e.from.workloads ? `${e.from.zone}(${e.from.workloads.join(',')})` : e.from.zone,
      to: e.to.workloads ? `${e.to.zone}(${e.to.workloads.join(',')})` : e.to.zone,
      connections: used.get(e.path) ?? 0,
    }));
}

function inScope(ids: ReadonlySet<number>, p: Peer): boolean {
  return p.type !== 'ip' && ids.has(p.workload.id);
}

/**
 * Connections selected by `pick`, judged against the intents when declared; otherwise a connection fails when
 * the scoped side is not isolated in that direction (anything would be allowed), and is listed for review.
 */
function judgeConnections(context: CheckContext, scope: Workload[], pick: (f: Flow, ids: ReadonlySet<number>) => boolean, what: string): CheckOutcome {
  if (scope.length === 0) return notApplicable('no workload in scope (no CDE found: label its namespaces pci=cde or pass an intents file)');
  const ids = new Set(scope.map((w) => w.id));
  const rows = context.flows.filter((f) => pick(f, ids));
  const evidence: Evidence[] = [];
  const used = new Map<string, number>();
  let violations = 0;
  for (const flow of rows) {
    if (context.declared) {
      const c = coverage(context, flow);
      for (const e of c.exceptions) used.set(e, (used.get(e) ?? 0) + 1);
      if (!c.rest.isEmpty) {
        violations++;
        evidence.push(connectionRow(context, flow, 'fail', c.rest, 'not in the intents; '));
      } else evidence.push(connectionRow(context, flow, 'pass', flow.conn, c.exceptions.length ? `intended (exception ${c.exceptions.join(', ')}); ` : 'intended; '));
    } else {
      const found = allowingRules(flow, flow.conn);
      const scopedSrc = inScope(ids, flow.src);
      const scopedDst = inScope(ids, flow.dst);
      const open = (scopedSrc && found.egressDefault) || (scopedDst && found.ingressDefault);
      if (open) {
        violations++;
        evidence.push(connectionRow(context, flow, 'fail', flow.conn, 'the in-scope side is not isolated; '));
      } else evidence.push(connectionRow(context, flow, 'info', flow.conn, 'review: '));
    }
  }
  const counts = { connections: rows.length, violations, workloads: scope.length };
  const status: ControlStatus = violations > 0 ? 'fail' : 'pass';
  const basis = context.declared ? 'not covered by the intents' : 'allowed through a side that is not isolated';
  const summary =
    violations > 0
      ? `${violations} of ${rows.length} ${what} connection(s) ${basis}`
      : `${rows.length} ${what} connection(s), all ${context.declared ? 'intended' : 'allowed by explicit rules of isolated workloads'}`;
  return { status, summary, counts, evidence, exceptions: appliedExceptions(context, used) };
}

function notApplicable(summary: string): CheckOutcome {
  return { status: 'not-applicable', summary, counts: {}, evidence: [], exceptions: [] };
}

function isolationRows(scope: Workload[], isolated: (w: Workload) => boolean, direction: string): Evidence[] {
  return scope
    .filter((w) => !isolated(w))
    .map((w) => ({
      kind: 'workload' as const,
      status: 'fail' as const,
      subject: w.displayName,
      detail: `not isolated for ${direction}: no NetworkPolicy selects it for ${direction}, so every ${direction === 'ingress' ? 'source' : 'destination'} is allowed`,
    }));
}

/** Inbound / outbound checks without intents also fail on scoped workloads that are not isolated at all. */
function withIsolation(outcome: CheckOutcome, rows: Evidence[]): CheckOutcome {
  if (rows.length === 0 || outcome.status === 'not-applicable') return outcome;
  return {
    ...outcome,
    status: 'fail',
    summary: `${rows.length} in-scope workload(s) not isolated; ${outcome.summary}`,
    counts: { ...outcome.counts, notIsolated: rows.length },
    evidence: [...rows, ...outcome.evidence],
  };
}

const isIp = (p: Peer) => p.type === 'ip';

export function runCheck(id: CheckId, scope: CheckScope, context: CheckContext): CheckOutcome {
  const analysis = context.analysis;
  const workloads = scopeWorkloads(context, scope);
  switch (id) {
    case 'zone-inbound': {
      const outcome = judgeConnections(context, workloads, (f, ids) => inScope(ids, f.dst) && !inScope(ids, f.src), 'inbound');
      return withIsolation(outcome, isolationRows(workloads, (w) => isIngressIsolated(analysis, w), 'ingress'));
    }
    case 'zone-outbound': {
      const outcome = judgeConnections(context, workloads, (f, ids) => inScope(ids, f.src) && !inScope(ids, f.dst), 'outbound');
      return withIsolation(outcome, isolationRows(workloads, (w) => isEgressIsolated(analysis, w), 'egress'));
    }
    case 'internet-inbound':
      return judgeConnections(context, workloads, (f, ids) => isIp(f.src) && inScope(ids, f.dst), 'external inbound');
    case 'internet-boundary':
      return judgeConnections(context, workloads, (f, ids) => (isIp(f.src) && inScope(ids, f.dst)) || (inScope(ids, f.src) && isIp(f.dst)), 'external');
    case 'zone-segregation':
      return zoneSegregation(context, workloads);
    case 'default-deny':
      return defaultDeny(context, workloads);
    case 'namespaces-have-policies':
      return namespacesHavePolicies(context, workloads);
    case 'cni-enforces':
      return cniEnforces(context);
    case 'lint-errors':
      return lintErrors(context);
    case 'probe-plan':
      return probePlanCheck(context);
  }
}

function zoneSegregation(context: CheckContext, workloads: Workload[]): CheckOutcome {
  if (!context.declared) {
    const inbound = runCheck('zone-inbound', 'cde', context);
    const outbound = runCheck('zone-outbound', 'cde', context);
    if (inbound.status === 'not-applicable') return inbound;
    const fail = inbound.status === 'fail' || outbound.status === 'fail';
    return {
      status: fail ? 'fail' : 'pass',
      summary: `into the zone: ${inbound.summary}; out of it: ${outbound.summary}`,
      counts: { inbound: inbound.counts.connections ?? 0, outbound: outbound.counts.connections ?? 0, violations: (inbound.counts.violations ?? 0) + (outbound.counts.violations ?? 0) },
      evidence: [...inbound.evidence, ...outbound.evidence],
      exceptions: [],
    };
  }
  if (workloads.length === 0 && context.intents.zones.every((z) => !z.ipBlocks && context.zones.workloadsIn(z.name).length === 0)) {
    return notApplicable('the declared zones hold no workload');
  }
  const result = context.intentsCheck;
  const evidence: Evidence[] = result.violations.map((v) => ({
    kind: 'connection',
    status: 'fail',
    subject: v.src,
    peer: v.dst,
    zones: `${v.srcZone} -> ${v.dstZone}`,
    ports: v.ports,
    detail: `not in the intents; ${v.allowedBy}`,
  }));
  for (const e of result.expiredExceptions) {
    evidence.push({ kind: 'finding', status: 'fail', subject: e.path, detail: `exception ${e.from} -> ${e.to} (owner ${e.owner}) expired ${e.expires}: ${e.justification}` });
  }
  return {
    status: result.passed ? 'pass' : 'fail',
    summary: result.passed
      ? `${result.checked} connection(s) cross a zone boundary, all intended`
      : `${result.violations.length} of ${result.checked} cross-zone connection(s) not in the intents; ${result.expiredExceptions.length} expired exception(s)`,
    counts: { connections: result.checked, conforming: result.conforming, violations: result.violations.length, expiredExceptions: result.expiredExceptions.length },
    evidence,
    exceptions: [...result.exceptionsApplied],
  };
}

function namespacesOf(workloads: Workload[]): string[] {
  return [...new Set(workloads.map((w) => w.namespace))].sort();
}

function defaultDeny(context: CheckContext, workloads: Workload[]): CheckOutcome {
  const namespaces = namespacesOf(workloads);
  if (namespaces.length === 0) return notApplicable('no workload in scope');
  const evidence: Evidence[] = [];
  let missing = 0;
  for (const ns of namespaces) {
    for (const direction of ['ingress', 'egress'] as const) {
      const policy = context.analysis.snapshot.policies.find(
        (p) => p.namespace === ns && p.podSelector.isEverything && p[direction].affects && p[direction].rules.length === 0,
      );
      if (!policy) missing++;
      evidence.push({
        kind: 'namespace',
        status: policy ? 'pass' : 'fail',
        subject: ns,
        detail: policy ? `default-deny ${direction}: ${policy.fullName}` : `no default-deny ${direction} policy (podSelector {}, no ${direction} rule)`,
      });
    }
  }
  return {
    status: missing > 0 ? 'fail' : 'pass',
    summary: missing > 0 ? `${missing} of ${namespaces.length * 2} namespace directions lack default-deny` : `all ${namespaces.length} namespace(s) deny by default in both directions`,
    counts: { namespaces: namespaces.length, missing },
    evidence,
    exceptions: [],
  };
}

function namespacesHavePolicies(context: CheckContext, workloads: Workload[]): CheckOutcome {
  const namespaces = namespacesOf(workloads);
  if (namespaces.length === 0) return notApplicable('no workload in scope');
  const evidence: Evidence[] = namespaces.map((ns) => {
    const policies = context.analysis.snapshot.policies.filter((p) => p.namespace === ns).map((p) => p.name);
    return {
      kind: 'namespace' as const,
      status: policies.length > 0 ? ('pass' as const) : ('fail' as const),
      subject: ns,
      detail: policies.length > 0 ? `${policies.length} NetworkPolicy: ${policies.join(', ')}` : 'no NetworkPolicy',
    };
  });
  const missing = evidence.filter((e) => e.status === 'fail').length;
  return {
    status: missing > 0 ? 'fail' : 'pass',
    summary: missing > 0 ? `${missing} of ${namespaces.length} namespace(s) with workloads have no NetworkPolicy` : `all ${namespaces.length} namespace(s) have NetworkPolicies`,
    counts: { namespaces: namespaces.length, missing },
    evidence,
    exceptions: [],
  };
}

function cniEnforces(context: CheckContext): CheckOutcome {
  const daemonsets = context.objects.filter((o) => o.object.kind === 'DaemonSet' && o.object.metadata.namespace === 'kube-system').map((o) => o.object);
  const names = (o: (typeof daemonsets)[number]) => [o.metadata.name, ...Object.values(o.metadata.labels ?? {})].map((s) => s.toLowerCase());
  const enforcing = daemonsets.filter((d) => names(d).some((n) => ENFORCING_CNI.test(n)));
  const nonEnforcing = daemonsets.filter((d) => names(d).some((n) => NON_ENFORCING_CNI.test(n)));
  const evidence: Evidence[] = [
    ...enforcing.map((d) => ({ kind: 'workload' as const, status: 'pass' as const, subject: `kube-system/${d.metadata.name}[DaemonSet]`, detail: 'a NetworkPolicy-enforcing network plugin' })),
    ...nonEnforcing.map((d) => ({
      kind: 'workload' as const,
      status: enforcing.length > 0 ? ('info' as const) : ('fail' as const),
      subject: `kube-system/${d.metadata.name}[DaemonSet]`,
      detail: 'a network plugin that does not enforce NetworkPolicy',
    })),
  ];
  if (enforcing.length > 0) return { status: 'pass', summary: `policy-enforcing CNI found: ${enforcing.map((d) => d.metadata.name).join(', ')}`, counts: { daemonsets: daemonsets.length }, evidence, exceptions: [] };
  if (nonEnforcing.length > 0) return { status: 'fail', summary: `only non-enforcing CNI found (${nonEnforcing.map((d) => d.metadata.name).join(', ')}): NetworkPolicies are ignored`, counts: { daemonsets: daemonsets.length }, evidence, exceptions: [] };
  return { status: 'manual', summary: 'the snapshot holds no CNI DaemonSet in kube-system: confirm the network plugin enforces NetworkPolicy', counts: { daemonsets: daemonsets.length }, evidence, exceptions: [] };
}

function lintErrors(context: CheckContext): CheckOutcome {
  const evidence: Evidence[] = context.lint.findings
    .filter((f) => f.severity !== 'info')
    .map((f) => ({
      kind: 'finding' as const,
      status: f.severity === 'error' ? ('fail' as const) : ('info' as const),
      subject: `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}${f.path ? ` ${f.path}` : ''}`,
      detail: `[${f.rule}] ${f.message}. Fix: ${f.fix}`,
    }));
  const errors = context.lint.findings.filter((f) => f.severity === 'error').length;
  const warnings = context.lint.findings.filter((f) => f.severity === 'warning').length;
  return {
    status: errors > 0 ? 'fail' : 'pass',
    summary: errors > 0 ? `${errors} lint error(s), ${warnings} warning(s)` : `no lint error (${warnings} warning(s))`,
    counts: { errors, warnings, suppressed: context.lint.suppressed.length },
    evidence,
    exceptions: [],
  };
}

function probePlanCheck(context: CheckContext): CheckOutcome {
  const plan = context.probePlan;
  if (plan.probes.length === 0) return notApplicable('nothing in scope to probe');
  const evidence: Evidence[] = plan.probes.map((p) => ({
    kind: 'probe',
    status: 'info',
    subject: p.from.name,
    peer: p.kind === 'dns' ? 'cluster DNS' : p.to.name,
    ports: `${p.protocol} ${p.port}`,
    detail: `${p.id} ${p.kind}, expected ${p.expected}: ${p.reason}`,
  }));
  const c = plan.coverage;
  return {
    status: 'manual',
    summary: `run the probe plan (${plan.probes.length} probes: ${c.rules.covered}/${c.rules.total} allowing rules, ${c.boundaries.covered}/${c.boundaries.total} isolation boundaries covered) and attach its output`,
    counts: { probes: plan.probes.length, rulesCovered: c.rules.covered, rules: c.rules.total, boundariesCovered: c.boundaries.covered, boundaries: c.boundaries.total },
    evidence,
    exceptions: [],
  };
}
