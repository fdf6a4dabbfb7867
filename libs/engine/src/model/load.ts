// Parse + build in one call: `{ path, text }` documents to an analysable Snapshot with every issue. Callers that only
// analyse pass `project: true` (ParseOptions): the snapshot is built from the projections, the same analysis.
import { parseManifests } from '../manifest/parse-manifests.js';
import type { Issue, ParseOptions, SourceDocument } from '../manifest/types.js';
import { buildSnapshot } from './snapshot.js';
import type { EngineOptions, Snapshot } from './types.js';

export function loadSnapshot(
  documents: readonly SourceDocument[],
  options: EngineOptions & ParseOptions = {},
): { snapshot: Snapshot; issues: Issue[]; /** Objects the input holds that the analysis can use (0: nothing to analyse). */ objectCount: number } {
  const parsed = parseManifests(documents, options);
  const built = buildSnapshot(parsed.objects, options);
  return { snapshot: built.snapshot, issues: [...parsed.issues, ...built.issues], objectCount: parsed.objects.length };
}
