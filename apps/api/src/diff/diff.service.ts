// Diffs of stored snapshots, computed with the engine in the model thread that holds the two models and analyses
// (AnalysisService.compute, model-computations.ts; never on the event loop), so a diff never re-parses a snapshot
// the API has already analysed. A diff is a pure function of the two
// contents under their clusters' CNI profiles: the results are kept in a small bounded memory cache (paging through `pairs` does not recompute them).
// Nothing is written to Postgres here (what-if included).
import { Injectable } from '@nestjs/common';
import {
  parseManifests,
  type ConnectivityDiff,
  type ExplainedDiff,
  type ObjectChange,
  type ObjectRefInput,
  type StagedWhatIfResult,
  type WhatIfResult,
} from '@netpol-atlas/engine';
import { canonicalJson } from '@netpol-atlas/engine';
import { AnalysisService } from '../analysis/analysis.service.js';
import { BoundedCache } from '../analysis/bounded-cache.js';
import type { AnalysisInput } from '../analysis/snapshot-lookup.js';
import type { CniProfileAnswer } from '../analysis/cni-profile-answer.js';

/** The `file` named in issues of what-if manifests. */
export const WHAT_IF_FILE = 'manifests';

const MAX_CACHED_DIFFS = 16;
const MAX_CACHED_DIFF_BYTES = 256 * 1024 * 1024;
/** Rough memory of one pair with its port sets and causes. */
const BYTES_PER_PAIR = 600;

/** The proposed manifests hold errors: nothing was computed. */
export class WhatIfRejectedError extends Error {
  constructor(readonly result: Pick<WhatIfResult, 'issues'>) {
    super('the proposed manifests are invalid');
    this.name = 'WhatIfRejectedError';
  }
}

/** A side is its content under its cluster's CNI profile: a profile change is another diff. */
const sideKey = (side: AnalysisInput) => `${side.sha}|${canonicalJson(side.options)}`;

@Injectable()
export class DiffService {
  private readonly cache = new BoundedCache<Promise<ConnectivityDiff | ExplainedDiff | StagedWhatIfResult>>(MAX_CACHED_DIFFS, MAX_CACHED_DIFF_BYTES);

  constructor(private readonly analyses: AnalysisService) {}

  /** The connectivity diff alone, pairs without `causes` (what `netpol diff` prints without --explain; its json too). */
  plainDiff(from: AnalysisInput, to: AnalysisInput): Promise<ConnectivityDiff> {
    return this.cached(`plain|${sideKey(from)}|${sideKey(to)}`, async () => {
      return this.analyses.compute<ConnectivityDiff>([from, to], { name: 'plainDiff' });
    }, (result) => result.pairs.length) as Promise<ConnectivityDiff>;
  }

  /** The diff with, on every pair, the object changes that caused it (`netpol diff --explain`). */
  explainedDiff(from: AnalysisInput, to: AnalysisInput): Promise<ExplainedDiff> {
    return this.cached(`explained|${sideKey(from)}|${sideKey(to)}`, async () => {
      // Reverted changes are re-analysed as the `to` side is: under its profile.
      return this.analyses.compute<ExplainedDiff>([from, to], { name: 'explainedDiff', engine: to.options });
    }, (result) => result.diff.pairs.length) as Promise<ExplainedDiff>;
  }

  /** Every analysis-relevant object change, field by field (reads the stored objects only; no analysis). */
  objectChanges(from: AnalysisInput, to: AnalysisInput): Promise<ObjectChange[]> {
    return this.analyses.compute<ObjectChange[]>([from, to], { name: 'objectChanges' });
  }

  /** Policy changes rule by rule (reads the stored objects only; no analysis). */
  policyDiff(from: AnalysisInput, to: AnalysisInput): Promise<ObjectChange[]> {
    return this.analyses.compute<ObjectChange[]>([from, to], { name: 'policyDiff' });
  }

  /**
   * Applies proposed manifests and deletions to a stored snapshot in memory and explains the difference.
   * WhatIfRejectedError when the manifests hold errors (unparseable, invalid, or a model error located in them).
   */
  async whatIf(base: AnalysisInput, manifests: string, deletions: readonly ObjectRefInput[]): Promise<WhatIfResult> {
    const documents = manifests.trim() === '' ? [] : [{ path: WHAT_IF_FILE, text: manifests }];
    // Parse errors are caught before any analysis (the engine would otherwise diff without the broken objects).
    const parsed = parseManifests(documents);
    if (parsed.issues.some((issue) => issue.severity === 'error')) throw new WhatIfRejectedError({ issues: parsed.issues });
    const result = await this.analyses.compute<WhatIfResult>([base], { name: 'whatIf', manifests: documents, deletions, engine: base.options });
    if (result.issues.some((issue) => issue.severity === 'error')) throw new WhatIfRejectedError(result);
    return result;
  }

  /** What would change if the snapshot's staged policies were enforced, with causes, under the snapshot's CNI options
   *  (a pure function of the content and options). */
  stagedWhatIf(side: AnalysisInput): Promise<StagedWhatIfResult> {
    return this.cached(`staged|${sideKey(side)}`, async () => {
      return this.analyses.compute<StagedWhatIfResult>([side], { name: 'stagedWhatIf', engine: side.options });
    }, (result) => result.diff.pairs.length) as Promise<StagedWhatIfResult>;
  }

  /** The CNI profile a side is analysed under (the cluster's, else the one its content implies), with its note. */
  cniProfile(side: AnalysisInput): Promise<CniProfileAnswer> {
    return this.analyses.cniProfileAnswer(side.sha, side.options);
  }

  private cached<T>(key: string, compute: () => Promise<T>, pairsOf: (value: T) => number): Promise<T> {
    const hit = this.cache.get(key) as Promise<T> | undefined;
    if (hit) return hit;
    const task = compute();
    this.cache.set(key, task as Promise<ConnectivityDiff | ExplainedDiff | StagedWhatIfResult>);
    task.then(
      (value) => this.cache.resize(key, pairsOf(value) * BYTES_PER_PAIR),
      () => {
        // A failure (e.g. an unanalysable snapshot) is not kept: the next request tries again.
        if (this.cache.get(key) === (task as unknown)) this.cache.delete(key);
      },
    );
    return task;
  }
}
