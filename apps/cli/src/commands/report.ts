// `netpol report <path> --framework …`: a compliance report decided from computed reachability, in json, md,
// html, csv (the evidence rows) or pdf. Same input (and --at) → same bytes.
import { createHash } from 'node:crypto';
import {
  buildReport,
  canonicalSnapshotText,
  ENGINE_VERSION,
  FRAMEWORK_IDS,
  formatReport,
  parseSuppressions,
  projectObject,
  type ComplianceReport,
  type ReportTextFormat,
} from '@netpol-atlas/engine';
import { reportPdf } from '@netpol-atlas/report-pdf';
import { Command, Option } from 'commander';
import { cniEngineOptions, cniOption, type CniOptions } from '../cni-option.js';
import { InputError } from '../read-inputs.js';
import { EXIT_OK, EXIT_UNUSABLE, processIo, reportIssues, type ReportIo } from '../report-io.js';
import { writeProcessStdout } from '../stdout.js';
import { loadCluster, loadZones, readText, timeOption } from './compliance-inputs.js';
import { usageExit } from './list.js';

export const REPORT_FORMATS = ['json', 'md', 'html', 'csv', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];


export interface ReportCommandOptions extends CniOptions {
  readonly framework: string;
  readonly output: ReportFormat;
  readonly intents?: string;
  readonly cde?: string;
  readonly at?: string;
  readonly cluster?: string;
  readonly suppressions?: string;
  readonly snapshotId?: string;
  readonly capturedAt?: string;
  readonly intentsVersion?: string;
}

export interface ReportIoBinary extends ReportIo {
  writeStdoutBytes?(bytes: Uint8Array): Promise<void>;
}

export function reportCommand(io: ReportIoBinary = binaryIo(), setExitCode: (code: number) => void = (c) => void (process.exitCode = c)): Command {
  return new Command('report')
    .description('Compliance report (PCI-DSS, SOC 2, CIS, ISO 27001, NIST 800-53) from computed reachability. Exit 0, or 2 on unusable input.')
    .argument('<path...>', 'manifest files or directories (read recursively); - for stdin')
    .addOption(new Option('--framework <id>', 'the framework').choices(FRAMEWORK_IDS).makeOptionMandatory())
    .addOption(new Option('-o, --output <format>', 'output format (csv: the evidence rows)').choices(REPORT_FORMATS).default('md'))
    .option('--intents <file>', 'SegmentationIntents file: zones, allowed flows, exceptions')
    .option('--cde <selector>', 'the CDE without an intents file: namespace labels key=value (default pci=cde), or pod:key=value')
    .option('--at <time>', 'the report time (RFC 3339; default now): exception expiries are judged at it')
    .option('--cluster <name>', 'cluster name printed in the report')
    .option('--suppressions <file>', 'LintSuppressions file applied to the lint evidence')
    // A server snapshot downloaded (GET /api/v1/snapshots/{id}/content) and reported here names itself as the
    // server's report does, so both reports are the same bytes.
    .option('--snapshot-id <id>', 'snapshot id printed in the report (the server snapshot the input was downloaded from)')
    .option('--captured-at <time>', 'when the manifests were captured, printed in the report (RFC 3339; without it the report says the capture time is not given)')
    .option('--intents-version <version>', "intents version printed in the report (the server's stored version number; default: the --intents file's sha256)")
    .addOption(cniOption())
    .exitOverride(usageExit)
    .action(async (paths: string[], options: ReportCommandOptions) => {
      setExitCode(await runReport(paths, options, io));
    });
}

export async function buildCliReport(paths: readonly string[], options: ReportCommandOptions, io: ReportIo): Promise<ComplianceReport | undefined> {
  if (options.intentsVersion !== undefined && !options.intents) {
    io.writeStderr('error: --intents-version names the version of an --intents file: give --intents too\n');
    return undefined;
  }
  const zones = await loadZones(options.intents, options.cde, io);
  if (!zones) return undefined;
  let suppressions;
  if (options.suppressions) {
    const read = parseSuppressions({ path: options.suppressions, text: await readText(options.suppressions) });
    if (reportIssues(read.issues, io)) return undefined;
    suppressions = read.suppressions;
  }
  const cluster = await loadCluster(paths, io, cniEngineOptions(options));
  if (!cluster) return undefined;
  const at = timeOption(options.at, '--at');
  const content = canonicalSnapshotText(cluster.objects.map((o) => projectObject(o.object)));
  return buildReport({
    snapshot: cluster.analysis.snapshot,
    analysis: cluster.analysis,
    objects: cluster.objects,
    framework: options.framework,
    intents: zones.intents,
    declared: zones.fromFile,
    ...(zones.cdeSelectorGiven ? { cdeSelectorGiven: true } : {}),
    ...(zones.text ? { intentsVersion: options.intentsVersion ?? `sha256:${createHash('sha256').update(zones.text).digest('hex')}` } : {}),
    generatedAt: at,
    // The engine's version, as the server's reports name it (one number: libs/engine/src/version.ts).
    engineVersion: String(ENGINE_VERSION),
    snapshotInfo: {
      ...(options.snapshotId ? { id: options.snapshotId } : {}),
      ...(options.cluster ? { cluster: options.cluster } : {}),
      contentSha256: createHash('sha256').update(content).digest('hex'),
      // Never --at: an audit document does not claim a capture time it was not told.
      ...(options.capturedAt ? { capturedAt: timeOption(options.capturedAt, '--captured-at') } : {}),
      // Recorded when chosen, as the server records a cluster's chosen CNI: without --cni the content implies the
      // profile and the report stays the same bytes as the server's for a cluster without one.
      ...(options.cni ? { cniProfile: options.cni } : {}),
    },
    suppressions,
  });
}

export async function runReport(paths: readonly string[], options: ReportCommandOptions, io: ReportIoBinary): Promise<number> {
  try {
    const report = await buildCliReport(paths, options, io);
    if (!report) return EXIT_UNUSABLE;
    if (options.output === 'pdf') {
      const bytes = await reportPdf(report);
      if (!io.writeStdoutBytes) throw new InputError('-o pdf needs a binary stdout');
      await io.writeStdoutBytes(bytes);
    } else await io.writeStdout(formatReport(report, options.output as ReportTextFormat));
    return EXIT_OK;
  } catch (error) {
    if (error instanceof InputError) {
      io.writeStderr(`error: ${error.message}\n`);
      return EXIT_UNUSABLE;
    }
    throw error;
  }
}

function binaryIo(): ReportIoBinary {
  return {
    ...processIo(),
    writeStdoutBytes: writeProcessStdout,
  };
}
