// `netpol probe-plan <path>`: a runnable segmentation test (bash, kubectl exec … nc) or its JSON.
import { formatProbePlan, probePlan, PROBE_PLAN_FORMATS, type ProbePlanFormat } from '@netpol-atlas/engine';
import { Command, Option } from 'commander';
import { InputError } from '../read-inputs.js';
import { EXIT_OK, EXIT_UNUSABLE, processIo, type ReportIo } from '../report-io.js';
import { loadCluster, loadZones } from './compliance-inputs.js';
import { usageExit } from './list.js';

export interface ProbePlanCommandOptions {
  readonly output: ProbePlanFormat;
  readonly zone?: string;
  readonly intents?: string;
  readonly cde?: string;
}

export function probePlanCommand(io: ReportIo = processIo(), setExitCode: (code: number) => void = (c) => void (process.exitCode = c)): Command {
  return new Command('probe-plan')
    .description('Probes that test every allowing rule and isolation boundary (PCI-DSS 11.4.5): a bash script or JSON. Exit 0, or 2 on unusable input.')
    .argument('<path...>', 'manifest files or directories (read recursively); - for stdin')
    .addOption(new Option('-o, --output <format>', 'output format').choices(PROBE_PLAN_FORMATS).default('sh'))
    .option('--zone <name>', 'only workloads of this zone (e.g. cde)')
    .option('--intents <file>', 'SegmentationIntents file declaring the zones')
    .option('--cde <selector>', 'the CDE without an intents file: namespace labels (pci=cde), or pod:key=value')
    .exitOverride(usageExit)
    .action(async (paths: string[], options: ProbePlanCommandOptions) => {
      setExitCode(await runProbePlan(paths, options, io));
    });
}

export async function runProbePlan(paths: readonly string[], options: ProbePlanCommandOptions, io: ReportIo): Promise<number> {
  try {
    const zones = await loadZones(options.intents, options.cde, io);
    if (!zones) return EXIT_UNUSABLE;
    if (options.zone && !zones.intents.zones.some((z) => z.name === options.zone)) {
      throw new InputError(`no zone ${options.zone} (zones: ${zones.intents.zones.map((z) => z.name).join(', ')})`);
    }
    const cluster = await loadCluster(paths, io);
    if (!cluster) return EXIT_UNUSABLE;
    const plan = probePlan(cluster.analysis, { zone: options.zone, intents: zones.intents });
    await io.writeStdout(formatProbePlan(plan, options.output));
    return EXIT_OK;
  } catch (error) {
    if (error instanceof InputError) {
      io.writeStderr(`error: ${error.message}\n`);
      return EXIT_UNUSABLE;
    }
    throw error;
  }
}
