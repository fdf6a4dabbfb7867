// The collector's output: ONE `kind: List` (apiVersion v1) in a deterministic order, which `netpol push`, the
// REST ingest and `kubectl apply --dry-run` all read. What the collection could not read is stated in the List's
// metadata annotations, so a snapshot file says by itself whether it is complete.
import type { JsonObject } from './list.js';
import type { CollectionReport } from './collector.js';

export const ANNOTATION_PREFIX = 'netpol-atlas.io/';

export interface SnapshotContext {
  readonly contextName: string;
  /** `all-namespaces`, or `namespaces: a,b`. */
  readonly scope: string;
}

export function buildSnapshotList(items: readonly JsonObject[], report: CollectionReport, context: SnapshotContext): JsonObject {
  const annotations: Record<string, string> = {
    [`${ANNOTATION_PREFIX}collected-by`]: 'netpol collect',
    [`${ANNOTATION_PREFIX}context`]: context.contextName,
    [`${ANNOTATION_PREFIX}scope`]: context.scope,
    [`${ANNOTATION_PREFIX}complete`]: String(report.missing.length === 0),
  };
  if (report.missing.length > 0) {
    // JSON in an annotation, like kubectl's last-applied-configuration: machine-readable, one string value.
    annotations[`${ANNOTATION_PREFIX}missing`] = JSON.stringify(report.missing);
  }
  if (report.notInstalled.length > 0) annotations[`${ANNOTATION_PREFIX}not-installed`] = report.notInstalled.join(',');
  // A signal beside the objects, not in them: the projection drops List metadata, so stored content never holds it.
  if (report.cni) {
    annotations[`${ANNOTATION_PREFIX}cni`] = report.cni.cni;
    annotations[`${ANNOTATION_PREFIX}cni-evidence`] = report.cni.evidence;
  }
  return { apiVersion: 'v1', kind: 'List', metadata: { annotations }, items: sortObjects(items) };
}

/** Sorted by (apiVersion, kind, namespace or "", name), ties by JSON text; code-unit order, not locale order. */
export function sortObjects(items: readonly JsonObject[]): JsonObject[] {
  // Ties cannot happen in one cluster read; their JSON text is only computed if they do.
  return items
    .map((object) => ({ object, key: sortKey(object) }))
    .sort((a, b) => compareKeys(a.key, b.key) || compareText(JSON.stringify(a.object), JSON.stringify(b.object)))
    .map((entry) => entry.object);
}

export function serializeSnapshot(list: JsonObject): string {
  return `${JSON.stringify(list, null, 2)}\n`;
}

function sortKey(object: JsonObject): string[] {
  const metadata = (object.metadata ?? {}) as JsonObject;
  return [str(object.apiVersion), str(object.kind), str(metadata.namespace), str(metadata.name)];
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const order = compareText(a[i], b[i]);
    if (order !== 0) return order;
  }
  return 0;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
