// A snapshot against SegmentationIntents: every allowed connection that crosses a zone boundary (or stays in a
// zone whose intraZone is deny) and that no allowed flow or live exception covers is a violation, named with
// the ports and the policy rules that allow it. Expired exceptions no longer cover anything and are findings.
import type { ConnectionSet } from '../algebra/connection-set.js';
import type { Analysis } from '../compliance/engine-api.js';
import { connRanges, showsIcmp, type ConnRangeOut } from '../output/conn-string.js';
import { parseExpiry } from './config-document.js';
import { allowedFlows, allowingRules, portsText, rulesText, type AllowingRule, type Flow } from './flows.js';
import { EXTERNAL_ZONE, UNZONED, type ExceptionSpec, type FlowSpec, type SegmentationIntents } from './types.js';
import { flowPorts, ZoneMap } from './zones.js';

export interface IntentViolation {
  readonly src: string;
  readonly dst: string;
  readonly srcZone: string;
  readonly dstZone: string;
  /** np-guard conn text of the ports nothing in the intents allows. */
  readonly ports: string;
  readonly ranges: readonly ConnRangeOut[];
  readonly rules: readonly AllowingRule[];
  /** A side no policy isolates (so nothing there had to allow it). */
  readonly egressDefault: boolean;
  readonly ingressDefault: boolean;
  /** `egress: … ; ingress: …` in words. */
  readonly allowedBy: string;
}

export interface AppliedException {
  readonly path: string;
  readonly owner: string;
  readonly justification: string;
  readonly expires: string;
  readonly from: string;
  readonly to: string;
  /** Connections (pairs) whose ports it covered. */
  readonly connections: number;
}

export interface ExpiredException {
  readonly path: string;
  readonly owner: string;
  readonly justification: string;
  readonly expires: string;
  readonly from: string;
  readonly to: string;
}

export interface IntentsCheckResult {
  readonly intents: string;
  /** When exception expiry was judged (ISO). */
  readonly at: string;
  readonly zones: readonly { readonly name: string; readonly workloads: readonly string[] }[];
  /** Allowed connections in scope (touching a declared zone and crossing a boundary). */
  readonly checked: number;
  readonly conforming: number;
  readonly violations: readonly IntentViolation[];
  readonly exceptionsApplied: readonly AppliedException[];
  readonly expiredExceptions: readonly ExpiredException[];
  readonly passed: boolean;
}

export interface InScopeFlow {
  readonly flow: Flow;
  readonly srcZone: string;
  readonly dstZone: string;
}

/** Allowed flows that touch a declared zone and cross a boundary (or any, within an intraZone: deny zone). */
export function flowsInScope(analysis: Analysis, zones: ZoneMap, flows: readonly Flow[] = allowedFlows(analysis)): InScopeFlow[] {
  const declared = new Set(zones.intents.zones.map((z) => z.name));
  const out: InScopeFlow[] = [];
  for (const flow of flows) {
    const srcZone = zones.zoneOf(flow.src);
    const dstZone = zones.zoneOf(flow.dst);
    if (!declared.has(srcZone) && !declared.has(dstZone)) continue;
    if (srcZone === dstZone && zones.intents.intraZone === 'allow') continue;
    out.push({ flow, srcZone, dstZone });
  }
  return out;
}

function endText(end: FlowSpec['from']): string {
  return end.workloads ? `${end.zone}(${end.workloads.join(',')})` : end.zone;
}

/** `flows`: the snapshot's allowed flows when the caller already has them (they cost one explained pass over every pair). */
export function checkIntents(analysis: Analysis, intents: SegmentationIntents, at: string, flows?: readonly Flow[]): IntentsCheckResult {
  const zones = new ZoneMap(analysis.snapshot, intents);
  const icmp = showsIcmp(analysis.snapshot);
  const atMs = Date.parse(at);
  const live = intents.exceptions.filter((e) => (parseExpiry(e.expires) ?? 0) >= atMs);
  const expired = intents.exceptions.filter((e) => (parseExpiry(e.expires) ?? 0) < atMs);
  const allowed = intents.allowedFlows.map((spec) => ({ spec, ports: flowPorts(spec.ports) }));
  const exceptions = live.map((spec) => ({ spec, ports: flowPorts(spec.ports), connections: 0 }));
  const violations: IntentViolation[] = [];
  let checked = 0;
  let conforming = 0;
  for (const { flow, srcZone, dstZone } of flowsInScope(analysis, zones, flows)) {
    checked++;
    let rest: ConnectionSet = flow.conn;
    for (const a of allowed) {
      if (zones.endMatches(a.spec.from, flow.src) && zones.endMatches(a.spec.to, flow.dst)) rest = rest.subtract(a.ports);
    }
    for (const e of exceptions) {
      if (!zones.endMatches(e.spec.from, flow.src) || !zones.endMatches(e.spec.to, flow.dst)) continue;
      const after = rest.subtract(e.ports);
      if (!after.equals(rest)) e.connections++;
      rest = after;
    }
    if (rest.isEmpty) {
      conforming++;
      continue;
    }
    const found = allowingRules(flow, rest);
    violations.push({
      src: flow.src.name,
      dst: flow.dst.name,
      srcZone,
      dstZone,
      ports: portsText(rest, icmp),
      ranges: connRanges(rest),
      rules: found.rules,
      egressDefault: found.egressDefault,
      ingressDefault: found.ingressDefault,
      allowedBy: rulesText(found),
    });
  }
  const describe = (e: ExceptionSpec) => ({
    path: e.path,
    owner: e.owner,
    justification: e.justification,
    expires: e.expires,
    from: endText(e.from),
    to: endText(e.to),
  });
  return {
    intents: intents.name,
    at,
    zones: [
      ...intents.zones.map((z) => ({ name: z.name, workloads: z.ipBlocks ? [...z.ipBlocks] : zones.workloadsIn(z.name).map((w) => w.displayName) })),
    ],
    checked,
    conforming,
    violations,
    exceptionsApplied: exceptions.map((e) => ({ ...describe(e.spec), connections: e.connections })),
    expiredExceptions: expired.map(describe),
    passed: violations.length === 0 && expired.length === 0,
  };
}

export { EXTERNAL_ZONE, UNZONED };
