// The stored and hashed snapshot content: the JCS text of one array of every projected object. The engine owns
// the projection, the order and the text; the API stores exactly these bytes and hashes them.
import { canonicalJson } from './canonical-json.js';
import { projectCanonical } from './projection.js';
import type { KubeObject } from './types.js';

export interface CanonicalSnapshot {
  /** The projected objects in the stored order. */
  readonly objects: readonly KubeObject[];
  /** `[…]`: the JCS text of every object, in that order. */
  readonly text: string;
}

/** The content as the JCS text of each object in the stored order: `[`, the texts joined by `,`, `]` is the content
 *  text. A caller writing bytes (the server) encodes the parts and never holds the joined text too. */
export interface CanonicalSnapshotParts {
  readonly objects: readonly KubeObject[];
  readonly texts: readonly string[];
}

/** Objects already projected, sorted by (apiVersion, kind, namespace or "", name), ties by their JCS text (plain
 *  code-unit order); each serialised once. */
export function canonicalProjected(projected: readonly KubeObject[]): CanonicalSnapshot {
  const parts = canonicalProjectedParts(projected);
  return { objects: parts.objects, text: `[${parts.texts.join(',')}]` };
}

/** `canonicalProjected`, before the texts are joined; `texts` are the objects' JCS texts when already written
 *  (projectCanonical), same index. */
export function canonicalProjectedParts(projected: readonly KubeObject[], texts?: readonly string[]): CanonicalSnapshotParts {
  const entries = projected.map((object, i) => ({
    object,
    key: [object.apiVersion, object.kind, object.metadata.namespace ?? '', object.metadata.name],
    text: texts ? texts[i]! : canonicalJson(object),
  }));
  entries.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) {
      const order = compareCodeUnits(a.key[i]!, b.key[i]!);
      if (order !== 0) return order;
    }
    return compareCodeUnits(a.text, b.text);
  });
  return { objects: entries.map((e) => e.object), texts: entries.map((e) => e.text) };
}

/** The content text of raw objects: projected, then as `canonicalProjected`. */
export function canonicalSnapshotText(objects: readonly KubeObject[]): string {
  const projections = objects.map(projectCanonical);
  const parts = canonicalProjectedParts(
    projections.map((p) => p.projected),
    projections.map((p) => p.text),
  );
  return `[${parts.texts.join(',')}]`;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
