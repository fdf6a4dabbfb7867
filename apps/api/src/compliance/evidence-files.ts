// The files of an evidence pack that read the engine model and analysis (policies, scoped connectivity, lint, probe
// plan), computed in the snapshot's model thread (model-computations.ts); evidence-pack.ts adds the report in every
// format, the content and the intents, then sums, signs and zips them in a render thread (render-pool.ts).
import {
  formatConnlist,
  iterateConnectivity,
  formatLint,
  formatProbePlan,
  lint,
  probePlan,
  showsIcmp,
  ZoneMap,
  type Analysis,
  type ConnectivityRow,
  type ParsedObject,
  type SegmentationIntents,
} from '@netpol-atlas/engine';
import { maxListedRows } from '../analysis/listing-bound.js';

export interface AnalysisEvidenceInput {
  readonly analysis: Analysis;
  readonly objects: readonly ParsedObject[];
  readonly intents: SegmentationIntents;
  /** The report's generation time: lint judges exception expiries at it. */
  readonly generatedAt: string;
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

/** Rows of connectivity.csv at most: its text is one string (~60–100 characters a row; V8 strings end at 2^29). */
export const MAX_EVIDENCE_CONNECTIVITY_ROWS = 1_000_000;

/**
 * policies.json, connectivity.csv, lint.json, lint.sarif, probe-plan.sh and probe-plan.json, by name. The scoped
 * connectivity is gathered row by row, at most `maxRows` (the server's listing bound, NETPOL_MAX_LISTED_ROWS, and
 * MAX_EVIDENCE_CONNECTIVITY_ROWS): past it connectivity-omitted.txt says so instead (a default-allow cluster of 10k
 * workloads lists 100M pairs, which the model thread held as row objects before filtering them).
 */
export function analysisEvidenceFiles(input: AnalysisEvidenceInput, maxRows = Math.min(maxListedRows(), MAX_EVIDENCE_CONNECTIVITY_ROWS)): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const policies = input.objects.map((o) => o.object).filter((o) => /NetworkPolicy$/.test(o.kind));
  files.set('policies.json', utf8(`${JSON.stringify(policies, null, 2)}\n`));
  const zones = new ZoneMap(input.analysis.snapshot, input.intents);
  const scoped = new Set(zones.workloadZoneNames.flatMap((z) => zones.workloadsIn(z)).map((w) => w.id));
  const rows: ConnectivityRow[] = [];
  let omitted = false;
  for (const row of iterateConnectivity(input.analysis)) {
    if (!((row.src.type !== 'ip' && scoped.has(row.src.workload.id)) || (row.dst.type !== 'ip' && scoped.has(row.dst.workload.id)))) continue;
    if (rows.length === maxRows) {
      omitted = true;
      break;
    }
    rows.push(row);
  }
  if (omitted) {
    files.set(
      'connectivity-omitted.txt',
      utf8(
        `connectivity.csv is left out: the connectivity of the report's scope lists more than ${maxRows} workload pairs, ` +
          'more than an evidence file holds. The report\'s verdicts do not depend on it: they are computed ' +
          'from the factorised analysis of snapshot/content.json.\n',
      ),
    );
  } else files.set('connectivity.csv', utf8(formatConnlist(rows, 'csv', undefined, showsIcmp(input.analysis.snapshot))));
  const lintResult = lint({ snapshot: input.analysis.snapshot, analysis: input.analysis, objects: input.objects }, { at: input.generatedAt });
  files.set('lint.json', utf8(formatLint(lintResult, 'json')));
  files.set('lint.sarif', utf8(formatLint(lintResult, 'sarif')));
  const plan = probePlan(input.analysis, { zone: zones.workloadZoneNames.includes('cde') ? 'cde' : undefined, intents: input.intents });
  files.set('probe-plan.sh', utf8(formatProbePlan(plan, 'sh')));
  files.set('probe-plan.json', utf8(formatProbePlan(plan, 'json')));
  return files;
}
