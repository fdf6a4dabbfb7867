// `netpol lint <path>`: findings of every lint rule (computed from reachability), in txt, json or SARIF 2.1.0.
// Exit 1 when a finding reaches --fail-on, 0 otherwise, 2 on unusable input.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  analyze,
  buildSnapshot,
  formatLint,
  lint,
  LINT_FORMATS,
  parseManifests,
  parseSuppressions,
  reachesThreshold,
  type LintFinding,
  type LintFormat,
  type LintResult,
  type LintSeverity,
} from '@netpol-atlas/engine';
import { Command, Option } from 'commander';
import { InputError, readInputs } from '../read-inputs.js';
import { EXIT_OK, EXIT_UNUSABLE, processIo, reportIssues, reportNothingUsable, reportProfileNote, type ReportIo } from '../report-io.js';
import { cniEngineOptions, cniOption, type CniOptions } from '../cni-option.js';
import { usageExit } from './list.js';

export const EXIT_FINDINGS = 1;

export interface LintCommandOptions extends CniOptions {
  readonly output: LintFormat;
  readonly failOn: LintSeverity | 'never';
  readonly suppressions?: string;
  readonly at?: string;
}

export function lintCommand(io: ReportIo = processIo(), setExitCode: (code: number) => void = (c) => void (process.exitCode = c)): Command {
  return new Command('lint')
    .description('Lint NetworkPolicies against the computed reachability. Exit 1 when a finding reaches --fail-on, 0 otherwise, 2 on unusable input.')
    .argument('<path...>', 'manifest files or directories (read recursively); - for stdin')
    .addOption(new Option('-o, --output <format>', 'output format').choices(LINT_FORMATS).default('txt'))
    .addOption(cniOption())
    .addOption(new Option('--fail-on <severity>', 'lowest severity that fails').choices(['info', 'warning', 'error', 'never']).default('error'))
    .option('--suppressions <file>', 'a LintSuppressions YAML file (rule, object, reason, expires)')
    .option('--at <time>', 'judge suppression expiries at this RFC 3339 time (default: now)')
    .exitOverride(usageExit)
    .action(async (paths: string[], options: LintCommandOptions) => {
      setExitCode(await runLint(paths, options, io));
    });
}

export async function runLint(paths: readonly string[], options: LintCommandOptions, io: ReportIo): Promise<number> {
  try {
    const parsed = parseManifests(await readInputs(paths));
    const built = buildSnapshot(parsed.objects, cniEngineOptions(options));
    let suppressions;
    if (options.suppressions) {
      const text = await readFile(options.suppressions, 'utf8').catch(() => {
        throw new InputError(`cannot read ${options.suppressions}`);
      });
      const read = parseSuppressions({ path: options.suppressions, text });
      if (reportIssues(read.issues, io)) return EXIT_UNUSABLE;
      suppressions = read.suppressions;
    }
    if (reportIssues([...parsed.issues, ...built.issues], io) || reportNothingUsable(parsed.objects.length, io)) return EXIT_UNUSABLE;
    reportProfileNote(built.snapshot, io);
    const at = options.at ?? new Date().toISOString();
    if (Number.isNaN(Date.parse(at))) throw new InputError(`--at ${at} is not an RFC 3339 time`);
    const result = lint(
      { snapshot: built.snapshot, analysis: analyze(built.snapshot), objects: parsed.objects },
      { suppressions, suppressionsFile: options.suppressions, at },
    );
    // SARIF names files relative to the current directory (the repository root in CI), as code scanning expects.
    await io.writeStdout(formatLint(options.output === 'sarif' ? withFilesRelativeTo(process.cwd(), result) : result, options.output));
    return options.failOn !== 'never' && reachesThreshold(result.findings, options.failOn) ? EXIT_FINDINGS : EXIT_OK;
  } catch (error) {
    if (error instanceof InputError) {
      io.writeStderr(`error: ${error.message}\n`);
      return EXIT_UNUSABLE;
    }
    throw error;
  }
}

/** The result with each file under `dir` named relative to it; files elsewhere (and `<stdin>`) stay as they are. */
export function withFilesRelativeTo(dir: string, result: LintResult): LintResult {
  const relative = (file: string | undefined): string | undefined => {
    if (file === undefined || file === '<stdin>') return file;
    const inside = path.relative(dir, path.resolve(dir, file));
    return inside === '' || inside.startsWith('..') || path.isAbsolute(inside) ? path.resolve(dir, file) : inside;
  };
  const finding = (f: LintFinding): LintFinding => (f.file === undefined ? f : { ...f, file: relative(f.file) });
  return { ...result, findings: result.findings.map(finding), suppressed: result.suppressed.map((s) => ({ ...s, finding: finding(s.finding) })) };
}
