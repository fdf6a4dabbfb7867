// The engine's model of a stored content. The content was parsed and validated at ingest and is stored as the JCS
// text of ONE JSON array of projected objects, so it is read back with JSON.parse and handed to `buildSnapshot`
// (the second half of `loadSnapshot`): re-running the manifest parser on 10k pods would double the cold start.
import { buildSnapshot, SNAPSHOT_CONTENT_FILE, snapshotContentObjects, type EngineOptions, type Issue, type KubeObject, type ParsedObject, type Snapshot } from '@netpol-atlas/engine';

export const CONTENT_FILE = SNAPSHOT_CONTENT_FILE;

export interface SnapshotModel {
  readonly snapshot: Snapshot;
  /** The objects as stored (exposure needs the policies' selectors as written). */
  readonly objects: readonly ParsedObject[];
  /** Errors the engine reports on the model (e.g. pods of one owner with labels a selector tells apart). */
  readonly errors: readonly Issue[];
}

export function modelFromContent(content: Buffer, options: EngineOptions): SnapshotModel {
  const items = JSON.parse(content.toString('utf8')) as unknown;
  if (!Array.isArray(items)) throw new Error('stored content is not a JSON array of objects');
  const objects: ParsedObject[] = snapshotContentObjects(items as KubeObject[]);
  const built = buildSnapshot(objects, options);
  return { snapshot: built.snapshot, objects, errors: built.issues.filter((issue) => issue.severity === 'error') };
}
