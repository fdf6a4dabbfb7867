// Builds a framework's report from a snapshot: every control decided by its checks, evidence rows numbered in
// a stable order, and what changed since a previous report. Times come from the caller, never the clock.
import { analyze } from './engine-api.js';
import type { Analysis } from './engine-api.js';
import { checkIntents } from '../intents/check.js';
import { iterateAllowedFlows } from '../intents/flows.js';
import type { SegmentationIntents } from '../intents/types.js';
import { ZoneMap } from '../intents/zones.js';
import { lint } from '../lint/lint.js';
import type { LintResult, Suppression } from '../lint/types.js';
import type { ParsedObject } from '../manifest/types.js';
import type { Snapshot } from './engine-api.js';
import { probePlan } from '../probe-plan/plan.js';
import { checkedFlow, runCheck, type CheckContext, type CheckOutcome } from './checks.js';
import { frameworkById } from './frameworks/index.js';
import type { ComplianceReport, ControlResult, ControlStatus, EvidenceRow, ReportChanges, ReportSnapshotInfo } from './types.js';

export interface ReportInput {
  readonly snapshot: Snapshot;
  readonly analysis?: Analysis;
  readonly objects?: readonly ParsedObject[];
  /** Framework id: pci-dss-4.0, soc2, cis, iso27001, nist-800-53. */
  readonly framework: string;
  readonly intents: SegmentationIntents;
  /** True when `intents` was declared in a file (allowed flows and exceptions apply). */
  readonly declared: boolean;
  /** True when the user gave the CDE selector `intents` were drawn from (`--cde`), not the default convention. */
  readonly cdeSelectorGiven?: boolean;
  readonly intentsVersion?: string;
  readonly generatedAt: string;
  readonly engineVersion: string;
  readonly snapshotInfo?: ReportSnapshotInfo;
  readonly suppressions?: readonly Suppression[];
  readonly previous?: { readonly id?: string; readonly report: ComplianceReport };
}

export class UnknownFrameworkError extends Error {}

/** Shared per snapshot + intents: reports of several frameworks reuse it (one analysis, one lint, one plan). */
export interface ReportBasis {
  readonly context: CheckContext;
}

export function reportBasis(input: Omit<ReportInput, 'framework' | 'engineVersion' | 'previous' | 'snapshotInfo' | 'intentsVersion'>): ReportBasis {
  const analysis = input.analysis ?? analyze(input.snapshot);
  const objects = input.objects ?? [];
  const zones = new ZoneMap(analysis.snapshot, input.intents);
  const lintResult: LintResult = lint({ snapshot: analysis.snapshot, analysis, objects }, { suppressions: input.suppressions, at: input.generatedAt });
  const scopeZone = input.intents.zones.some((z) => z.name === 'cde') ? 'cde' : undefined;
  // Only the flows some check reads are explained and kept (all of them cost ~1 GB and most of the time at 50k pods);
  // the probe plan finds its own, one per pair of identity classes.
  const flows = [...iterateAllowedFlows(analysis, checkedFlow(zones))];
  return {
    context: {
      analysis,
      objects,
      intents: input.intents,
      declared: input.declared,
      zones,
      flows,
      lint: lintResult,
      intentsCheck: checkIntents(analysis, input.intents, input.generatedAt, flows),
      probePlan: probePlan(analysis, { zone: scopeZone, intents: input.intents }),
      at: input.generatedAt,
    },
  };
}

const STATUS_ORDER: readonly ControlStatus[] = ['not-applicable', 'pass', 'manual', 'fail'];

function combine(outcomes: readonly CheckOutcome[]): CheckOutcome {
  if (outcomes.length === 1) return outcomes[0];
  const decided = outcomes.filter((o) => o.status !== 'not-applicable');
  const status = outcomes.reduce<ControlStatus>((worst, o) => (STATUS_ORDER.indexOf(o.status) > STATUS_ORDER.indexOf(worst) ? o.status : worst), 'not-applicable');
  const counts: Record<string, number> = {};
  for (const o of outcomes) for (const [k, v] of Object.entries(o.counts)) counts[k] = (counts[k] ?? 0) + v;
  return {
    status,
    summary: (decided.length > 0 ? decided : outcomes).map((o) => o.summary).join('; '),
    counts,
    evidence: outcomes.flatMap((o) => o.evidence),
    exceptions: outcomes.flatMap((o) => o.exceptions),
  };
}

export function buildReport(input: ReportInput, basis: ReportBasis = reportBasis(input)): ComplianceReport {
  const framework = frameworkById(input.framework);
  if (!framework) throw new UnknownFrameworkError(`unknown framework ${input.framework}`);
  const context = basis.context;
  const controls: ControlResult[] = framework.controls.map((control) => {
    const outcome = combine(control.checks.map((check) => runCheck(check, control.scope, context)));
    const evidence: EvidenceRow[] = outcome.evidence.map((row) => ({ control: control.id, ...row }));
    return { ...control, status: outcome.status, summary: outcome.summary, counts: sortKeys(outcome.counts), evidence, exceptions: outcome.exceptions };
  });
  const count = (s: ControlStatus) => controls.filter((c) => c.status === s).length;
  const summary = {
    controls: controls.length,
    pass: count('pass'),
    fail: count('fail'),
    'not-applicable': count('not-applicable'),
    manual: count('manual'),
    verdict: count('fail') > 0 ? ('fail' as const) : count('manual') > 0 ? ('incomplete' as const) : ('pass' as const),
  };
  const report: ComplianceReport = {
    schema: 'netpol-atlas/compliance-report/v1',
    framework: { id: framework.id, version: framework.version, title: framework.title },
    generatedAt: input.generatedAt,
    engineVersion: input.engineVersion,
    snapshot: input.snapshotInfo ?? {},
    intents: {
      name: input.intents.name,
      source: input.declared ? 'file' : 'cde-selector',
      ...(!input.declared && input.cdeSelectorGiven ? { selectorGiven: true as const } : {}),
      ...(input.intentsVersion !== undefined ? { version: input.intentsVersion } : {}),
      zones: input.intents.zones.map((z) => ({
        name: z.name,
        members: z.ipBlocks ? [...z.ipBlocks] : context.zones.workloadsIn(z.name).map((w) => w.displayName),
      })),
    },
    summary,
    controls,
  };
  return input.previous ? { ...report, changes: reportChanges(input.previous.report, report, input.previous.id) } : report;
}

function sortKeys(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function rowKey(r: EvidenceRow): string {
  return [r.control, r.kind, r.subject, r.peer ?? '', r.ports ?? '', r.detail].join('\u0000');
}

/** Controls that flipped, violations (fail rows) that are new, and those that went away. */
export function reportChanges(previous: ComplianceReport, current: ComplianceReport, previousId?: string): ReportChanges {
  const before = new Map(previous.controls.map((c) => [c.id, c.status]));
  const flipped = current.controls
    .filter((c) => before.has(c.id) && before.get(c.id) !== c.status)
    .map((c) => ({ control: c.id, from: before.get(c.id) as ControlStatus, to: c.status }));
  const fails = (r: ComplianceReport) => r.controls.flatMap((c) => c.evidence.filter((e) => e.status === 'fail'));
  const oldKeys = new Set(fails(previous).map(rowKey));
  const newKeys = new Set(fails(current).map(rowKey));
  return {
    ...(previousId ? { previousReportId: previousId } : {}),
    previousGeneratedAt: previous.generatedAt,
    flipped,
    newViolations: fails(current).filter((r) => !oldKeys.has(rowKey(r))),
    resolvedViolations: fails(previous).filter((r) => !newKeys.has(rowKey(r))),
  };
}
