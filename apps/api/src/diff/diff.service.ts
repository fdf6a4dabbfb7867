// Diffs of stored snapshots, computed with the engine on the models and analyses AnalysisService caches (per content
// SHA-256), so a diff never re-parses a snapshot the API has already analysed. A diff is a pure function of the two
// contents: the results are kept in a small bounded memory cache (paging through `pairs` does not recompute them).
// Nothing is written to Postgres here (what-if included).
import { Injectable } from '@nestjs/common';
import {
  diff,
  diffWithCauses,
  objectDiff,
  parseManifests,
  policyDiff,
  stagedWhatIf,
  whatIf,
  type ConnectivityDiff,
  type DiffSideInput,
  type ExplainedDiff,
  type ObjectChange,
  type ObjectRefInput,
  type StagedWhatIfResult,
  type WhatIfResult,
} from '@netpol-atlas/engine';
import { AnalysisService } from '../analysis/analysis.service.js';
import { BoundedCache } from '../analysis/bounded-cache.js';

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

@Injectable()
export class DiffService {
  private readonly cache = new BoundedCache<Promise<ConnectivityDiff | ExplainedDiff | StagedWhatIfResult>>(MAX_CACHED_DIFFS, MAX_CACHED_DIFF_BYTES);

  constructor(private readonly analyses: AnalysisService) {}

  /** The connectivity diff alone, pairs without `causes` (what `netpol diff` prints without --explain; its json too). */
  plainDiff(fromSha: string, toSha: string): Promise<ConnectivityDiff> {
    return this.cached(`plain|${fromSha}|${toSha}`, async () => {
      const [a, b] = await Promise.all([this.analyses.analysis(fromSha), this.analyses.analysis(toSha)]);
      return diff(a, b);
    }, (result) => result.pairs.length) as Promise<ConnectivityDiff>;
  }

  /** The diff with, on every pair, the object changes that caused it (`netpol diff --explain`). */
  explainedDiff(fromSha: string, toSha: string): Promise<ExplainedDiff> {
    return this.cached(`explained|${fromSha}|${toSha}`, async () => {
      const [a, b] = await Promise.all([this.side(fromSha), this.side(toSha)]);
      return diffWithCauses(a, b);
    }, (result) => result.diff.pairs.length) as Promise<ExplainedDiff>;
  }

  /** Every analysis-relevant object change, field by field (reads the stored objects only; no analysis). */
  async objectChanges(fromSha: string, toSha: string): Promise<ObjectChange[]> {
    const [a, b] = await Promise.all([this.analyses.model(fromSha), this.analyses.model(toSha)]);
    return objectDiff(a.objects, b.objects);
  }

  /** Policy changes rule by rule (reads the stored objects only; no analysis). */
  async policyDiff(fromSha: string, toSha: string): Promise<ObjectChange[]> {
    const [a, b] = await Promise.all([this.analyses.model(fromSha), this.analyses.model(toSha)]);
    return policyDiff(a.objects, b.objects);
  }

  /**
   * Applies proposed manifests and deletions to a stored snapshot in memory and explains the difference.
   * WhatIfRejectedError when the manifests hold errors (unparseable, invalid, or a model error located in them).
   */
  async whatIf(baseSha: string, manifests: string, deletions: readonly ObjectRefInput[]): Promise<WhatIfResult> {
    const documents = manifests.trim() === '' ? [] : [{ path: WHAT_IF_FILE, text: manifests }];
    // Parse errors are caught before any analysis (the engine would otherwise diff without the broken objects).
    const parsed = parseManifests(documents);
    if (parsed.issues.some((issue) => issue.severity === 'error')) throw new WhatIfRejectedError({ issues: parsed.issues });
    const result = whatIf(await this.side(baseSha), { manifests: documents, delete: deletions });
    if (result.issues.some((issue) => issue.severity === 'error')) throw new WhatIfRejectedError(result);
    return result;
  }

  /** What would change if the snapshot's staged policies were enforced, with causes (a pure function of the content). */
  stagedWhatIf(sha: string): Promise<StagedWhatIfResult> {
    return this.cached(`staged|${sha}`, async () => {
      const model = await this.analyses.model(sha);
      return stagedWhatIf(model.objects);
    }, (result) => result.diff.pairs.length) as Promise<StagedWhatIfResult>;
  }

  private async side(sha: string): Promise<DiffSideInput> {
    const model = await this.analyses.model(sha);
    return { objects: model.objects, analysis: await this.analyses.analysis(sha) };
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
