// `netpol check <path> --against <baseline>`: the CI gate for pull requests. Exit 0 when nothing forbidden
// changed, 1 when something did, 2 on unusable input. `-o md` prints a PR-comment-ready summary.
import { FAIL_ON_VALUES, checkDiff, formatCheckMd, formatCheckTxt, type FailOn } from '@netpol-atlas/engine';
import { Command, Option } from 'commander';
import { InputError } from '../read-inputs.js';
import { EXIT_OK, EXIT_UNUSABLE, processIo, type ReportIo, usageExit } from '../report-io.js';
import { SideError, computeDiff } from './diff.js';
import { parseServerUrl, ServerUrlError } from '../server-url.js';

export const EXIT_FORBIDDEN = 1;

export interface CheckOptions {
  readonly against: string;
  readonly failOn: FailOn;
  readonly output: 'txt' | 'md';
  readonly server?: string;
}

export function checkCommand(io: ReportIo = processIo(), setExitCode: (code: number) => void = (c) => void (process.exitCode = c)): Command {
  return new Command('check')
    .description(
      'CI gate: compare the connectivity of <path> with a baseline. Exit 0 when nothing forbidden changed, ' +
        '1 when it did, 2 on unusable input. Ports gained in a changed pair count as added, ports lost as removed.',
    )
    .argument('<path>', 'the proposed manifests: a file or directory (read recursively)')
    .requiredOption('--against <baseline>', 'the baseline: a manifest file or directory, or a server ref (CLUSTER@latest, ...)')
    .addOption(new Option('--fail-on <what>', 'which changes fail the check').choices(FAIL_ON_VALUES).default('added'))
    .addOption(new Option('-o, --output <format>', 'output format (md: a PR comment)').choices(['txt', 'md']).default('txt'))
    .option('--server <url>', 'API server to read server refs from (default: $NETPOL_SERVER, else http://localhost:3000)', parseServerUrl)
    .exitOverride(usageExit)
    .action(async (path: string, options: CheckOptions) => {
      setExitCode(await runCheck(path, options, io));
    });
}

export async function runCheck(path: string, options: CheckOptions, io: ReportIo): Promise<number> {
  try {
    const result = await computeDiff(options.against, path, true, io, options.server);
    if (!result || !result.changes) return EXIT_UNUSABLE;
    const check = checkDiff(result.diff, options.failOn);
    const input = { diff: result.diff, changes: result.changes, check };
    await io.writeStdout(options.output === 'md' ? formatCheckMd(input) : formatCheckTxt(input));
    return check.passed ? EXIT_OK : EXIT_FORBIDDEN;
  } catch (error) {
    if (error instanceof InputError || error instanceof SideError || error instanceof ServerUrlError) {
      io.writeStderr(`error: ${error.message}\n`);
      return EXIT_UNUSABLE;
    }
    throw error;
  }
}
