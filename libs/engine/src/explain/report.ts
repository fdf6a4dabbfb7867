// `list --explain` in np-guard's text layout (FORMAT.md §11.1): pairs with an explanation first, then the
// pairs that only the system default decided, each section sorted by source then destination.
import type { Snapshot } from '../model/types.js';
import { ensureAnalysis } from '../analysis/connectivity.js';
import type { Analysis } from '../analysis/types.js';
import { iterateExplainedPairs, type ExplainPairsOptions } from './pairs.js';
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

/** The report as text chunks (one per pair block), streamed in order; default-only pairs come last. */
export function* explainChunks(
  input: Snapshot | Analysis,
  options: ExplainPairsOptions = {},
  stats?: ExplainReportStats,
): Generator<string> {
  const analysis = ensureAnalysis(input);
  const icmp = showsIcmp(analysis.snapshot);
  const defaultPairs: string[] = [];
  let explained = 0;
  for (const pair of iterateExplainedPairs(analysis, options)) {
    if (pair.defaultOnly) {
      defaultPairs.push(`${pair.src} => ${pair.dst}\n`);
      continue;
    }
    const lines = explained === 0 ? [...sectionHeaderLines(SPECIFIC_SECTION_TITLE), ...pairBlockLines(pair, icmp)] : pairBlockLines(pair, icmp);
    explained++;
    yield `${lines.join('\n')}\n`;
  }
  if (defaultPairs.length > 0) {
    yield `${sectionHeaderLines(DEFAULT_SECTION_TITLE).join('\n')}\n`;
    yield* defaultPairs;
  }
  if (stats) {
    const families = options.ipFamilies ?? [4];
    stats.explained = explained;
    stats.systemDefault = defaultPairs.length;
    stats.ipv6AtomsOmitted = families.includes(6)
      ? 0
      : [...analysis.srcAtoms, ...analysis.dstAtoms].filter((a) => a.family === 6).length;
  }
}

/** The whole report as one string. */
export function formatExplain(input: Snapshot | Analysis, options: ExplainPairsOptions = {}): string {
  return [...explainChunks(input, options)].join('');
}
