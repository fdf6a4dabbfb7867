// "What would change if the staged policies were enforced": the snapshot with its Calico staged policies promoted
// (dialects/calico/staged.ts: Set creates or replaces the live policy of the same name, Delete removes it), diffed
// with causes against the live snapshot. Staged objects are left out of both sides: they enforce nothing live, and
// once promoted they are the policies they stage, so the object changes are exactly the staged ones.
import { analyze } from '../analysis/analyze.js';
import { snapshotCaveats, type Caveat } from '../caveats/caveats.js';
import { isStagedPolicy, stagedPromoter } from '../dialects/registry.js';
import type { StagedPromotion } from '../dialects/types.js';
import { parseManifests } from '../manifest/parse-manifests.js';
import type { Issue, ParsedObject } from '../manifest/types.js';
import { buildSnapshot } from '../model/snapshot.js';
import { diffWithCauses, type ExplainOptions, type ExplainedDiff } from './api.js';
import { type ObjectRef, objectRef, refId } from './relevant.js';

export interface StagedChange {
  /** `Set`: the staged spec replaces (or creates) the target; `Delete`: the target is removed. */
  readonly action: 'Set' | 'Delete';
  /** The staged policy. */
  readonly staged: ObjectRef;
  /** The live policy it stages. */
  readonly target: ObjectRef;
  /** Whether the live snapshot has the target (Set: replaced rather than created; Delete: false = nothing to delete). */
  readonly targetExists: boolean;
}

export interface StagedWhatIfResult extends ExplainedDiff {
  /** Every staged policy of the snapshot, sorted by staged ref. */
  readonly staged: readonly StagedChange[];
  /** Promoted policies the live kind's rules refuse, and staged policies with an unsupported stagedAction. */
  readonly issues: readonly Issue[];
  /** What the diff cannot be certain of on either side (e.g. policies the whole-snapshot analysis does not apply
   *  yet), deduplicated and sorted. */
  readonly caveats: readonly Caveat[];
}

export function stagedWhatIf(objects: readonly ParsedObject[], options: ExplainOptions = {}): StagedWhatIfResult {
  const live = objects.filter((o) => !isStagedPolicy(o.object));
  const liveIds = new Set(live.map((o) => refId(objectRef(o.object))));
  const issues: Issue[] = [];
  const promotions: StagedPromotion[] = [];
  for (const o of objects) {
    const promote = stagedPromoter(o.object.apiVersion, o.object.kind);
    if (!promote) continue;
    const promoted = promote(o);
    if ('code' in promoted) issues.push(promoted);
    else promotions.push(promoted);
  }
  promotions.sort((a, b) => compare(refId(objectRef(a.staged.object)), refId(objectRef(b.staged.object))));
  // A promoted policy is parsed like any manifest, so the live kind's validation and defaults apply to it.
  const sets = promotions.filter((p) => p.action === 'Set');
  const documents = sets.map((p) => ({ path: `${p.staged.source.file} (${p.staged.object.kind} ${idOf(p)} promoted)`, text: JSON.stringify(p.target) }));
  const promoted = parseManifests(documents);
  issues.push(...promoted.issues.filter((i) => i.severity === 'error'));
  // A Set refused by validation changes nothing (its issue says why); a Delete removes its target.
  const removed = new Set([...promotions.filter((p) => p.action === 'Delete').map((p) => p.target), ...promoted.objects.map((o) => o.object)].map((o) => refId(objectRef(o))));
  const next = [...live.filter((o) => !removed.has(refId(objectRef(o.object)))), ...promoted.objects];
  const built = buildSnapshot(next, options.engine);
  const files = new Set(documents.map((d) => d.path));
  issues.push(...built.issues.filter((i) => i.severity === 'error' && i.file !== undefined && files.has(i.file)));
  const liveSnapshot = buildSnapshot(live, options.engine).snapshot;
  const explained = diffWithCauses({ objects: live, analysis: analyze(liveSnapshot) }, { objects: next, analysis: analyze(built.snapshot) }, options);
  const caveats = new Map<string, Caveat>();
  for (const caveat of [...snapshotCaveats(liveSnapshot), ...snapshotCaveats(built.snapshot)]) caveats.set(JSON.stringify(caveat), caveat);
  const staged = promotions.map((p) => {
    const target = objectRef(p.target);
    return { action: p.action, staged: objectRef(p.staged.object), target, targetExists: liveIds.has(refId(target)) };
  });
  return { ...explained, staged, issues, caveats: [...caveats.keys()].sort(compare).map((key) => caveats.get(key)!) };
}

function idOf(p: StagedPromotion): string {
  const { namespace, name } = p.staged.object.metadata;
  return namespace ? `${namespace}/${name}` : name;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
