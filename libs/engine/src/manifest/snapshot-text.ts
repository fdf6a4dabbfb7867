// The stored and hashed snapshot content: the JCS text of one array of every projected object.
import { canonicalJson } from './canonical-json.js';
import { projectObject } from './projection.js';
import type { KubeObject } from './types.js';

/** Sorted by (apiVersion, kind, namespace or "", name), ties by their JCS text; plain code-unit order. */
export function canonicalSnapshotText(objects: readonly KubeObject[]): string {
  const entries = objects.map((object) => {
    const projected = projectObject(object);
    const key = [projected.apiVersion, projected.kind, projected.metadata.namespace ?? '', projected.metadata.name];
    return { key, text: canonicalJson(projected) };
  });
  entries.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) {
      const order = compareCodeUnits(a.key[i]!, b.key[i]!);
      if (order !== 0) return order;
    }
    return compareCodeUnits(a.text, b.text);
  });
  return `[${entries.map((entry) => entry.text).join(',')}]`;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
