// The CNI a collected snapshot file names in its List annotation (`netpol-atlas.io/cni`, snapshot.ts), so that
// `netpol push FILE` sends it as `?cni=` like `collect --push` does. The server applies it only while no user has
// chosen the cluster's CNI; a file that names none (or hand-written manifests) sends nothing.
import { isCniProfileName, type CniProfileName, type SourceDocument } from '@netpol-atlas/engine';
import { ANNOTATION_PREFIX } from './snapshot.js';

const CNI_ANNOTATION = `${ANNOTATION_PREFIX}cni`;

export type CollectedCni =
  | { readonly cni: CniProfileName; readonly path: string }
  | { readonly problem: string }
  | undefined;

/** The List metadata of one JSON document. The collector writes `metadata` before `items`, so its head alone is
 *  parsed (a 50k-pod file is not parsed twice); anything else falls back to the whole text. */
function listAnnotations(text: string): Record<string, unknown> | undefined {
  const itemsAt = text.indexOf('"items"');
  const head = itemsAt > 0 ? `${text.slice(0, itemsAt).replace(/,\s*$/, '')}}` : undefined;
  for (const candidate of head === undefined ? [text] : [head, text]) {
    try {
      const list = JSON.parse(candidate) as { kind?: unknown; metadata?: { annotations?: unknown } };
      if (list?.kind !== 'List') return undefined;
      const annotations = list.metadata?.annotations;
      return annotations !== null && typeof annotations === 'object' ? (annotations as Record<string, unknown>) : undefined;
    } catch {
      // Not JSON up to `items` (another key order, or YAML): try the whole text, then give up.
    }
  }
  return undefined;
}

/** The one CNI the inputs' collected Lists name; a problem (never sent) when a value is no profile or two disagree. */
export function collectedCni(documents: readonly SourceDocument[]): CollectedCni {
  let found: { cni: CniProfileName; path: string } | undefined;
  for (const document of documents) {
    // Cheap filter first: only a collected file carries the annotation's name at all.
    if (!document.text.includes(`"${CNI_ANNOTATION}"`) || !document.text.trimStart().startsWith('{')) continue;
    const value = listAnnotations(document.text)?.[CNI_ANNOTATION];
    if (value === undefined) continue;
    if (!isCniProfileName(value)) return { problem: `${document.path}: ${CNI_ANNOTATION} ${JSON.stringify(value).slice(0, 64)} is no CNI profile name` };
    if (found && found.cni !== value) return { problem: `${found.path} names CNI ${found.cni} but ${document.path} names ${value}` };
    found ??= { cni: value, path: document.path };
  }
  return found;
}
