// `netpol check <path> --against <baseline>`: the CI gate for pull requests. Exit 0 when nothing forbidden
// changed, 1 when something did, 2 on unusable input. `-o md` prints a PR-comment-ready summary.
import { readFile } from 'node:fs/promises';
import {
  FAIL_ON_VALUES,
  analyze,
  checkDiff,
  checkIntents,
  formatCheckMd,
  formatCheckTxt,
  formatIntentsCheck,
  parseIntents,
  type FailOn,
} from '@netpol-atlas/engine';
import { Command, Option } from 'commander';
import { loadInputSnapshot } from '../parse-threads.js';
import { InputError } from '../read-inputs.js';
import { EXIT_OK, EXIT_UNUSABLE, processIo, reportIssues, reportNothingUsable, reportProfileNote, type ReportIo, usageExit } from '../report-io.js';
import { cniEngineOptions, cniOption, type CniOptions } from '../cni-option.js';
import { computeDiff, inputErrorExit } from './diff.js';
import { parseServerUrl } from '../server-url.js';

export const EXIT_FORBIDDEN = 1;

export interface CheckOptions extends CniOptions {
  readonly against?: string;
  readonly intents?: string;
  readonly at?: string;
  readonly failOn: FailOn;
  readonly output: 'txt' | 'md' | 'json';
  readonly server?: string;
}

export function checkCommand(io: ReportIo = processIo(), setExitCode: (code: number) => void = (c) => void (process.exitCode = c)): Command {
  return new Command('check')
    .description(
      'CI gate: compare the connectivity of <path> with a baseline (--against), or check it against segmentation ' +
        'intents (--intents), or both. Exit 0 when nothing forbidden changed and every allowed zone crossing conforms ' +
        'with no expired exception, 1 on a forbidden change, an intents violation or an expired exception, 2 on ' +
        'unusable input. Ports gained in a changed pair count as added, ports lost as removed.',
    )
    .argument('<path>', 'the proposed manifests: a file or directory (read recursively)')
    .option('--against <baseline>', 'the baseline: a manifest file or directory, or a server ref (CLUSTER@latest, ...)')
    .option('--intents <file>', 'a SegmentationIntents file: fail on every allowed connection the intents do not allow')
    .option('--at <time>', 'judge intents exception expiries at this RFC 3339 time (default: now)')
    .addOption(new Option('--fail-on <what>', 'which changes fail the check').choices(FAIL_ON_VALUES).default('added'))
    .addOption(new Option('-o, --output <format>', 'output format (md: a PR comment; json: with --intents only)').choices(['txt', 'md', 'json']).default('txt'))
    .addOption(cniOption())
    .option('--server <url>', 'API server to read server refs from (default: $NETPOL_SERVER, else http://localhost:3000)', parseServerUrl)
    .exitOverride(usageExit)
    .action(async (path: string, options: CheckOptions) => {
      setExitCode(await runCheck(path, options, io));
    });
}

export async function runCheck(path: string, options: CheckOptions, io: ReportIo): Promise<number> {
  if (!options.against && !options.intents) {
    io.writeStderr('error: give --against <baseline>, --intents <file>, or both\n');
    return EXIT_UNUSABLE;
  }
  // Refused before anything runs: the intents report must not be printed and then disowned by exit 2.
  if (options.output === 'json' && options.against) {
    io.writeStderr('error: -o json is for --intents only (not with --against)\n');
    return EXIT_UNUSABLE;
  }
  let code = EXIT_OK;
  if (options.intents) {
    code = await runIntentsCheck(path, options.intents, options, io);
    if (code === EXIT_UNUSABLE || !options.against) return code;
  }
  return Math.max(code, await runAgainst(path, { ...options, against: options.against as string }, io));
}

/** `check --intents`: the connectivity of <path> against SegmentationIntents (exit 1 on a violation or an expired exception). */
export async function runIntentsCheck(path: string, intentsFile: string, options: CheckOptions, io: ReportIo): Promise<number> {
  try {
    const text = await readFile(intentsFile, 'utf8').catch(() => {
      throw new InputError(`cannot read ${intentsFile}`);
    });
    const parsed = parseIntents({ path: intentsFile, text });
    if (reportIssues(parsed.issues, io) || !parsed.intents) return EXIT_UNUSABLE;
    const loaded = await loadInputSnapshot([path], { ...cniEngineOptions(options), project: true });
    if (reportIssues(loaded.issues, io) || reportNothingUsable(loaded.objectCount, io)) return EXIT_UNUSABLE;
    reportProfileNote(loaded.snapshot, io);
    const at = options.at ?? new Date().toISOString();
    if (Number.isNaN(Date.parse(at))) throw new InputError(`--at ${at} is not an RFC 3339 time`);
    const result = checkIntents(analyze(loaded.snapshot), parsed.intents, at);
    await io.writeStdout(formatIntentsCheck(result, options.output));
    return result.passed ? EXIT_OK : EXIT_FORBIDDEN;
  } catch (error) {
    if (error instanceof InputError) {
      io.writeStderr(`error: ${error.message}\n`);
      return EXIT_UNUSABLE;
    }
    throw error;
  }
}

async function runAgainst(path: string, options: CheckOptions & { against: string }, io: ReportIo): Promise<number> {
  try {
    const result = await computeDiff(options.against, path, true, io, options.server, options);
    if (!result || !result.changes) return EXIT_UNUSABLE;
    const check = checkDiff(result.diff, options.failOn);
    const input = { diff: result.diff, changes: result.changes, check };
    await io.writeStdout(options.output === 'md' ? formatCheckMd(input) : formatCheckTxt(input));
    return check.passed ? EXIT_OK : EXIT_FORBIDDEN;
  } catch (error) {
    return inputErrorExit(error, io);
  }
}
