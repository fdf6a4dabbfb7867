// `netpol list <path>…`: every allowed connection, in np-guard's formats. The report kind (plain connlist,
// --exposure, --explain) is a formatter looked up in LIST_REPORTS, so further reports plug in there.
import {
  analyze,
  CONNLIST_FORMATS,
  connectivitySummary,
  formatConnectivitySummaryJson,
  formatConnectivitySummaryText,
  connlistChunks,
  showsIcmp,
  explainChunks,
  forPodLevel,
  ConnectivityListing,
  type Analysis,
  type ConnlistFormat,
  type ConnlistStats,
  type ExplainReportStats,
  type Snapshot,
} from '@netpol-atlas/engine';
import { Command, Option } from 'commander';
import { loadInputSnapshot } from '../parse-threads.js';
import { InputError } from '../read-inputs.js';
import { EXIT_OK, EXIT_UNUSABLE, processIo, reportIssues, reportNothingUsable, reportProfileNote, Timings, endWithNewline, usageExit, writeChunks, type ReportIo } from '../report-io.js';
import { cniEngineOptions, cniOption, type CniOptions } from '../cni-option.js';
import { exposureChunks } from './list-exposure.js';

export interface ListOptions extends CniOptions {
  readonly output: ConnlistFormat;
  readonly pods?: boolean;
  readonly exposure?: boolean;
  readonly explain?: boolean;
  readonly summary?: boolean;
  readonly timings?: boolean;
}

export type ListReportKind = 'connlist' | 'exposure' | 'explain' | 'summary';

export interface ListReportContext {
  readonly snapshot: Snapshot;
  readonly analysis: Analysis;
  readonly options: ListOptions;
  /** A warning line on stderr. */
  warn(message: string): void;
}

/** A report: the stdout text as chunks (written as they come). Throw ReportError for unusable requests. */
export type ListReport = (context: ListReportContext) => Iterable<string>;

export class ReportError extends Error {}

export const LIST_REPORTS: Record<ListReportKind, ListReport | undefined> = {
  connlist: connlistReport,
  exposure: exposureReport,
  explain: explainReport,
  summary: summaryReport,
};

export function listCommand(io: ReportIo = processIo(), setExitCode: (code: number) => void = defaultExit): Command {
  return new Command('list')
    .description(
      'List every allowed connection between workloads and IP ranges (np-guard formats). ' +
        'Exit 0 when the report is printed (warnings on stderr), 2 on unusable input.',
    )
    .argument('<path...>', 'manifest files or directories (read recursively: .yaml, .yml, .json); - for stdin')
    .addOption(new Option('-o, --output <format>', 'output format').choices(CONNLIST_FORMATS).default('txt'))
    .option('--pods', 'one peer per pod instead of per workload')
    .option('--exposure', 'exposure analysis (np-guard --exposure)')
    .option('--explain', 'explain every pair (np-guard --explain)')
    .option(
      '--summary',
      'counts only (-o txt or json): peers, allowed pairs by protocol, isolated and exposed workloads, caveats; ' +
        'no rows are formatted (includes the --exposure counts)',
    )
    .option('--timings', 'print phase timings and peak RSS on stderr')
    .addOption(cniOption())
    .exitOverride(usageExit)
    .action(async (paths: string[], options: ListOptions) => {
      setExitCode(await runList(paths, options, io));
    });
}

export async function runList(paths: readonly string[], options: ListOptions, io: ReportIo): Promise<number> {
  const kind: ListReportKind = options.summary ? 'summary' : options.exposure ? 'exposure' : options.explain ? 'explain' : 'connlist';
  if (options.explain && (options.exposure || options.summary)) {
    io.writeStderr(`error: --${options.summary ? 'summary' : 'exposure'} and --explain cannot be combined\n`);
    return EXIT_UNUSABLE;
  }
  const report = LIST_REPORTS[kind];
  if (!report) {
    io.writeStderr(`error: --${kind} is not implemented yet\n`);
    return EXIT_UNUSABLE;
  }
  const timings = new Timings();
  try {
    const loaded = await timings.measure('parse', async () => loadInputSnapshot(paths, { ...cniEngineOptions(options), project: true }));
    if (reportIssues(options.pods ? forPodLevel(loaded.issues) : loaded.issues, io) || reportNothingUsable(loaded.objectCount, io)) return EXIT_UNUSABLE;
    reportProfileNote(loaded.snapshot, io);
    const analysis = await timings.measure('analyze', () => analyze(loaded.snapshot));
    const warn = (message: string) => io.writeStderr(`warning: ${message}\n`);
    const chunks = report({ snapshot: loaded.snapshot, analysis, options, warn });
    await timings.measure('output', () => writeChunks(options.output === 'md' ? endWithNewline(chunks) : chunks, io));
  } catch (error) {
    if (error instanceof InputError || error instanceof ReportError) {
      io.writeStderr(`error: ${error.message}\n`);
      return EXIT_UNUSABLE;
    }
    throw error;
  }
  if (options.timings) io.writeStderr(timings.line());
  return EXIT_OK;
}

function* connlistReport(context: ListReportContext): Generator<string> {
  const stats: ConnlistStats = { ipv6RowsOmitted: 0, rows: 0 };
  const rows = new ConnectivityListing(context.analysis, { granularity: context.options.pods ? 'pod' : 'workload' });
  yield* connlistChunks(rows, context.options.output, stats, showsIcmp(context.snapshot));
  if (stats.ipv6RowsOmitted > 0) {
    context.warn(
      `${stats.ipv6RowsOmitted} connection(s) with IPv6 ranges are left out of ${context.options.output} output, as np-guard does; ` +
        'use -o csv, md or dot to see them',
    );
  }
}

/** np-guard's `--explain` text: every pair of peers with the rules that decide each class of ports. */
function* explainReport(context: ListReportContext): Generator<string> {
  if (context.options.output !== 'txt') throw new ReportError('--explain supports -o txt only (as np-guard)');
  const stats: ExplainReportStats = { explained: 0, systemDefault: 0, ipv6AtomsOmitted: 0 };
  yield* explainChunks(context.analysis, { granularity: context.options.pods ? 'pod' : 'workload' }, stats);
  if (stats.ipv6AtomsOmitted > 0) {
    context.warn(`${stats.ipv6AtomsOmitted} IPv6 range(s) are left out of the explain output, as np-guard does`);
  }
}

/** np-guard's `--exposure` report: the connlist, then what each workload could reach beyond it (list-exposure.ts). */
function* exposureReport(context: ListReportContext): Generator<string> {
  if (context.options.output === 'dot' || context.options.pods) {
    throw new ReportError('--exposure supports -o txt, json, csv or md, per workload (not --pods)');
  }
  yield* exposureChunks(context);
}

/** `--summary`: the listing's counts (engine `connectivitySummary`), never its rows. */
function* summaryReport(context: ListReportContext): Generator<string> {
  const { output } = context.options;
  if (output !== 'txt' && output !== 'json') throw new ReportError('--summary supports -o txt or json');
  const summary = connectivitySummary(context.analysis, { granularity: context.options.pods ? 'pod' : 'workload' });
  yield output === 'json' ? formatConnectivitySummaryJson(summary) : formatConnectivitySummaryText(summary);
}

// Defined with the other shared report helpers; still exported here for the commands that import it from list.js.
export { usageExit };

function defaultExit(code: number): void {
  process.exitCode = code;
}

