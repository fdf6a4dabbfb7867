// What the API computes from held engine models in a model thread (model-thread.ts), by name: diffs, what-ifs,
// lint, compliance reports and their evidence, the snapshot views' selections, isolation and policy fields, rule
// connections, selector exposure. Building a model (~0.5 s of CPU at 10k pods) and these computations (seconds for
// a diff with causes or a lint of a big snapshot) would otherwise run on the event loop, where every other request
// waits. The model cannot cross the thread boundary cheaply, so the computation goes to it and only its plain
// result comes back (`toPlain`: connection sets as their port bounds, rebuilt by `fromPlain`).
import { createHash } from 'node:crypto';
import {
  buildReport,
  canonicalJson,
  checkIntents,
  ConnectionSet,
  diff,
  diffWithCauses,
  formatLint,
  isolationSummary,
  lint,
  objectDiff,
  policyDiff,
  policyRuleConnections,
  PortSet,
  stagedWhatIf,
  whatIf,
  type Analysis,
  type AnyProtocol,
  type ComplianceReport,
  type EngineOptions,
  type LintFormat,
  type ObjectRefInput,
  type ReportInput,
  type SegmentationIntents,
} from '@netpol-atlas/engine';
import { analysisEvidenceFiles } from '../compliance/evidence-files.js';
import { lintFindings, lintSummary, type LintFindingsQuery } from '../compliance/lint-view.js';
import { storedReportViewOf, type StoredReportView } from '../compliance/report-view.js';
import { selectorExposure } from '../exposure/selector-exposure.js';
import { policyRulesView } from '../snapshots/model/policy-rules.js';
import { selectionsOf } from '../snapshots/model/selections.js';
import type { SnapshotModel } from './snapshot-model.js';
import type { ReportSource } from '../snapshots/content-source.js';
import type { ReportStoreTarget } from '../compliance/stored-report.js';
import { cniProfileAnswerOf } from './cni-profile-answer.js';

/** One held side of a computation: its model, and its analysis when the computation needs it. */
export interface HeldSide {
  readonly model: SnapshotModel;
  readonly analysis?: Analysis;
}

/** The computations, with their arguments (plain data: they cross the thread boundary). */
export type ModelComputation =
  | { readonly name: 'plainDiff' }
  | { readonly name: 'explainedDiff'; readonly engine: EngineOptions }
  | { readonly name: 'objectChanges' }
  | { readonly name: 'policyDiff' }
  | { readonly name: 'whatIf'; readonly manifests: readonly { path: string; text: string }[]; readonly deletions: readonly ObjectRefInput[]; readonly engine: EngineOptions }
  | { readonly name: 'stagedWhatIf'; readonly engine: EngineOptions }
  /** The lint's counts and filter choices (lint-view.ts): what GraphQL `lint` answers first, without the findings. */
  | { readonly name: 'lintSummary'; readonly at: string }
  /** Findings of the lint, a page at a time (lint-view.ts). */
  | { readonly name: 'lintFindings'; readonly at: string; readonly query: LintFindingsQuery }
  /** The lint as `netpol lint -o FORMAT` prints it, UTF-8 encoded here: a download's body, formatted off the event loop. */
  | { readonly name: 'lintText'; readonly at: string; readonly format: LintFormat }
  | { readonly name: 'checkIntents'; readonly intents: SegmentationIntents; readonly at: string }
  | { readonly name: 'report'; readonly input: ReportComputationInput }
  | { readonly name: 'evidenceFiles'; readonly generatedAt: string; readonly intents: SegmentationIntents }
  | { readonly name: 'selections' }
  | { readonly name: 'isolation' }
  | { readonly name: 'policy'; readonly namespace: string; readonly kind: string; readonly policyName: string; readonly apiVersion?: string }
  | { readonly name: 'ruleConnections'; readonly namespace: string; readonly policyName: string; readonly kind?: string; readonly apiVersion?: string }
  | { readonly name: 'selectorExposure' };

/** A report's input as it crosses to the model thread: the previous report ("what changed") as its stored canonical
 *  JSON, parsed in the thread, or where the thread reads it (model-thread.ts; a report may be tens of MB: reading and
 *  parsing it is the event loop's time, and a string crosses the boundary cheaper than the parsed report). */
export type ReportComputationInput = Omit<ReportInput, 'snapshot' | 'analysis' | 'objects' | 'previous'> & {
  readonly previous?: { readonly id: string; readonly reportJcs: string } | { readonly id: string; readonly reportFrom: ReportSource };
  /** Where the model thread stores the report (stored-report.ts): then it answers StoredReportFields, not the text. */
  readonly store?: ReportStoreTarget;
};

/** A report as it is stored: its canonical JSON (the signed bytes) and their SHA-256, with the row's other fields.
 *  Made in the model thread: canonicalising and hashing a report of thousands of evidence rows took ~30 ms of the
 *  event loop, and its text crosses the thread boundary cheaper than the report. */
export interface StoredReportText {
  readonly reportJcs: string;
  readonly reportSha256: string;
  readonly framework: ComplianceReport['framework'];
  readonly engineVersion: string;
  readonly verdict: ComplianceReport['summary']['verdict'];
  /** Its view and row pages (report-view.ts), stored beside it. */
  readonly view: StoredReportView;
}

function storedReportOf(report: ComplianceReport): StoredReportText {
  const reportJcs = canonicalJson(report);
  return {
    reportJcs,
    view: storedReportViewOf(report),
    reportSha256: createHash('sha256').update(reportJcs, 'utf8').digest('hex'),
    framework: report.framework,
    engineVersion: report.engineVersion,
    verdict: report.summary.verdict,
  };
}

function previousText(previous: NonNullable<ReportComputationInput['previous']>): string {
  if ('reportJcs' in previous) return previous.reportJcs;
  throw new Error(`the previous report ${previous.id} was not read (model-thread.ts reads it before the computation)`);
}

/** Whether a computation reads the sides' factorised analyses (loaded onto the models first) or their models only. */
export function needsAnalysis(computation: ModelComputation): boolean {
  switch (computation.name) {
    case 'objectChanges':
    case 'policyDiff':
    case 'stagedWhatIf':
    case 'selections':
    case 'policy':
      return false;
    default:
      return true;
  }
}

/** Whether a computation's result holds connection sets (`fromPlain` rebuilds them; other results are used as they come). */
export function holdsConnectionSets(computation: ModelComputation): boolean {
  return ['plainDiff', 'explainedDiff', 'whatIf', 'stagedWhatIf'].includes(computation.name);
}

const analysisOf = (side: HeldSide): Analysis => {
  if (!side.analysis) throw new Error('the analysis of a side was not loaded');
  return side.analysis;
};
const diffSide = (side: HeldSide) => ({ objects: side.model.objects, analysis: analysisOf(side) });

/** Lint results per held model and judging time: the Findings page's lint and its downloads (one per format) lint
 *  once (seconds at 10k pods). They live as long as the model stays held (a new model is a new key). */
const lints = new WeakMap<SnapshotModel, Map<string, ReturnType<typeof lint>>>();

function lintOf(side: HeldSide, at: string): ReturnType<typeof lint> {
  let byTime = lints.get(side.model);
  if (!byTime) lints.set(side.model, (byTime = new Map()));
  let result = byTime.get(at);
  if (!result) byTime.set(at, (result = lint({ snapshot: side.model.snapshot, analysis: analysisOf(side), objects: side.model.objects }, { at })));
  return result;
}

/** Runs `computation` on the held sides (one, or two for a diff: old, new); the result is not yet plain. */
export function runComputation(computation: ModelComputation, sides: readonly HeldSide[]): unknown {
  const [first, second] = sides as [HeldSide, HeldSide];
  switch (computation.name) {
    case 'plainDiff':
      return diff(analysisOf(first), analysisOf(second));
    case 'explainedDiff':
      // Reverted changes are re-analysed as the `to` side is: under its profile.
      return diffWithCauses(diffSide(first), diffSide(second), { engine: computation.engine });
    case 'objectChanges':
      return objectDiff(first.model.objects, second.model.objects);
    case 'policyDiff':
      return policyDiff(first.model.objects, second.model.objects);
    case 'whatIf':
      return whatIf(diffSide(first), { manifests: [...computation.manifests], delete: computation.deletions }, { engine: computation.engine });
    case 'stagedWhatIf':
      return stagedWhatIf(first.model.objects, { engine: computation.engine });
    case 'lintSummary':
      return { ...lintSummary(lintOf(first, computation.at)), ...cniProfileAnswerOf(first.model.snapshot) };
    case 'lintFindings':
      return lintFindings(lintOf(first, computation.at), computation.query);
    case 'lintText':
      return { text: Buffer.from(formatLint(lintOf(first, computation.at), computation.format)), ...cniProfileAnswerOf(first.model.snapshot) };
    case 'checkIntents': {
      const analysis = analysisOf(first);
      return { ...checkIntents(analysis, computation.intents, computation.at), ...cniProfileAnswerOf(analysis.snapshot) };
    }
    case 'report': {
      const { previous, ...input } = computation.input;
      return storedReportOf(buildReport({
        ...input,
        ...(previous ? { previous: { id: previous.id, report: JSON.parse(previousText(previous)) as ComplianceReport } } : {}),
        snapshot: first.model.snapshot,
        analysis: analysisOf(first),
        objects: first.model.objects,
      }));
    }
    case 'evidenceFiles':
      return analysisEvidenceFiles({ analysis: analysisOf(first), objects: first.model.objects, intents: computation.intents, generatedAt: computation.generatedAt });
    case 'selections':
      return selectionsOf(first.model.snapshot);
    case 'isolation':
      return isolationSummary(analysisOf(first));
    case 'policy': {
      // apiVersion tells Calico's NetworkPolicy from Kubernetes' one of the same namespace and name.
      const policy = first.model.snapshot.policies.find(
        (p) =>
          p.namespace === computation.namespace &&
          p.kind === computation.kind &&
          p.name === computation.policyName &&
          (computation.apiVersion === undefined || p.apiVersion === computation.apiVersion),
      );
      return policy ? { object: policy.object, tier: policy.tier.name, priority: policy.priority, ...policyRulesView(policy) } : null;
    }
    case 'ruleConnections':
      return policyRuleConnections(analysisOf(first), {
        namespace: computation.namespace,
        name: computation.policyName,
        kind: computation.kind,
        apiVersion: computation.apiVersion,
      });
    case 'selectorExposure':
      return selectorExposure(analysisOf(first));
  }
}

/** The tag of a connection set in a plain result: its port bounds per protocol. */
const CONNECTION_SET_TAG = '$connectionSet';
const PROTOCOL_ORDER: readonly AnyProtocol[] = ['TCP', 'UDP', 'SCTP', 'ICMP', 'ICMPv6'];

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * A result as structured-clonable plain data. A class instance other than a connection set is a fault (its methods
 * would not survive the thread boundary), so it throws here instead of arriving as a broken object. Function-valued
 * fields (a lint rule's `check`, carried in `LintResult.rules`) are behaviour, not result: they stay behind.
 */
export function toPlain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof ConnectionSet) return { [CONNECTION_SET_TAG]: PROTOCOL_ORDER.map((protocol) => value.ports(protocol).ranges().flatMap((r) => [r.from, r.to])) };
  if (Array.isArray(value)) return value.map(toPlain);
  if (ArrayBuffer.isView(value) || value instanceof Date) return value;
  if (value instanceof Map) return new Map([...value].map(([key, item]) => [key, toPlain(item)]));
  if (value instanceof Set) return new Set([...value].map(toPlain));
  if (!isPlainObject(value)) throw new Error(`a ${value.constructor?.name ?? 'class'} instance cannot cross the model thread boundary`);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (typeof item !== 'function') out[key] = toPlain(item);
  return out;
}

/** The inverse of `toPlain` for results that hold connection sets (equal sets come back as one instance). */
export function fromPlain(value: unknown, interned = new Map<string, ConnectionSet>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = fromPlain(value[i], interned);
    return value;
  }
  if (ArrayBuffer.isView(value) || value instanceof Set || value instanceof Date) return value;
  if (value instanceof Map) {
    for (const [key, item] of value) value.set(key, fromPlain(item, interned));
    return value;
  }
  const record = value as Record<string, unknown>;
  const bounds = record[CONNECTION_SET_TAG] as number[][] | undefined;
  if (bounds) {
    const text = JSON.stringify(bounds);
    let set = interned.get(text);
    if (!set) {
      const parts: Partial<Record<AnyProtocol, PortSet>> = {};
      PROTOCOL_ORDER.forEach((protocol, i) => {
        const flat = bounds[i] ?? [];
        const ranges = [];
        for (let j = 0; j < flat.length; j += 2) ranges.push({ from: flat[j]!, to: flat[j + 1]! });
        parts[protocol] = PortSet.of(ranges);
      });
      set = ConnectionSet.of(parts);
      interned.set(text, set);
    }
    return set;
  }
  for (const key of Object.keys(record)) record[key] = fromPlain(record[key], interned);
  return value;
}

