// `list --explain` in np-guard's text layout (FORMAT.md §11.1): pairs with an explanation first, then the
// pairs that only the system default decided, each section sorted by source then destination.
import type { Snapshot } from '../model/types.js';
import { ensureAnalysis } from '../analysis/connectivity.js';
import type { Analysis } from '../analysis/types.js';
import { explainedPeers, isExplainedPair, PairExplainer, type ExplainPairsOptions } from './pairs.js';
import { showsIcmp } from '../output/conn-string.js';
import { pairBlockLines, sectionHeaderLines, SYSTEM_DEFAULT_TEXT } from './text.js';

export const SPECIFIC_SECTION_TITLE = 'Specific connections and their reasons';
export const DEFAULT_SECTION_TITLE = `All Connections due to ${SYSTEM_DEFAULT_TEXT}`;

export interface ExplainReportStats {
  /** Pairs with an explanation block / default-only pairs. */
  explained: number;
  systemDefault: number;
  /** IPv6 atoms left out (np-guard's text output has no IPv6 peers). */
  ipv6AtomsOmitted: number;
}

/**
 * The report as text chunks, streamed in order; default-only pairs come last. Nothing is held for the end (at 50k
 * pods the report is tens of GB): the first pass writes the explained pairs and only marks the sources and
 * destinations of default-only pairs, the second goes over the marked ones again for the default-only pairs.
 */
export function* explainChunks(
  input: Snapshot | Analysis,
  options: ExplainPairsOptions = {},
  stats?: ExplainReportStats,
): Generator<string> {
  const analysis = ensureAnalysis(input);
  const icmp = showsIcmp(analysis.snapshot);
  const { sources, destinations } = explainedPeers(analysis, options);
  const explainer = new PairExplainer(analysis);
  const defaultSources = new Uint8Array(sources.length);
  const defaultDestinations = new Uint8Array(destinations.length);
  let explained = 0;
  let systemDefault = 0;
  for (let i = 0; i < sources.length; i++) {
    const src = sources[i];
    for (let j = 0; j < destinations.length; j++) {
      const dst = destinations[j];
      if (!isExplainedPair(src, dst)) continue;
      const pair = explainer.explain(src, dst);
      if (pair.defaultOnly) {
        defaultSources[i] = 1;
        defaultDestinations[j] = 1;
        systemDefault++;
        continue;
      }
      const lines = explained === 0 ? [...sectionHeaderLines(SPECIFIC_SECTION_TITLE), ...pairBlockLines(pair, icmp)] : pairBlockLines(pair, icmp);
      explained++;
      yield `${lines.join('\n')}\n`;
    }
  }
  if (systemDefault > 0) {
    yield `${sectionHeaderLines(DEFAULT_SECTION_TITLE).join('\n')}\n`;
    let chunk = '';
    for (let i = 0; i < sources.length; i++) {
      if (defaultSources[i] === 0) continue;
      const src = sources[i];
      for (let j = 0; j < destinations.length; j++) {
        const dst = destinations[j];
        if (defaultDestinations[j] === 0 || !isExplainedPair(src, dst) || !explainer.isDefaultOnly(src, dst)) continue;
        chunk += `${src.name} => ${dst.name}\n`;
        if (chunk.length >= CHUNK) {
          yield chunk;
          chunk = '';
        }
      }
    }
    if (chunk.length > 0) yield chunk;
  }
  if (stats) {
    const families = options.ipFamilies ?? [4];
    stats.explained = explained;
    stats.systemDefault = systemDefault;
    stats.ipv6AtomsOmitted = families.includes(6)
      ? 0
      : [...analysis.srcAtoms, ...analysis.dstAtoms].filter((a) => a.family === 6).length;
  }
}

const CHUNK = 1 << 16;

/** The whole report as one string. */
export function formatExplain(input: Snapshot | Analysis, options: ExplainPairsOptions = {}): string {
  return [...explainChunks(input, options)].join('');
}
