// What the API server sets whatever the manifest says, applied to a validated object so analysis sees the
// object as the cluster would hold it.
import type { PlainObject } from './plain-data.js';
import type { Checker } from './validate/checker.js';

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** A Namespace's `kubernetes.io/metadata.name` label is always its name: another value is overridden, with a warning. */
export function applyApiServerDefaults(c: Checker, kind: string, object: PlainObject): void {
  if (kind !== 'Namespace') return;
  const metadata = object['metadata'] as PlainObject;
  const labels = metadata['labels'] as PlainObject | undefined | null;
  const name = metadata['name'] as string;
  if (!labels || labels[NAMESPACE_NAME_LABEL] === undefined || labels[NAMESPACE_NAME_LABEL] === name) return;
  c.report(
    'OVERRIDDEN_VALUE',
    'warning',
    ['metadata', 'labels', NAMESPACE_NAME_LABEL],
    `the API server sets ${NAMESPACE_NAME_LABEL} to the namespace's name: "${String(labels[NAMESPACE_NAME_LABEL])}" is replaced by "${name}"`,
  );
  labels[NAMESPACE_NAME_LABEL] = name;
}
