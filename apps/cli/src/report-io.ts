// What the report commands share: stdout carries exactly the report, stderr warnings and timings;
// exit 0 when a report is printed, 2 on unusable input.
import { documentOrdinal, limitIssues, type Issue } from '@netpol-atlas/engine';
import { writeProcessStdout } from './stdout.js';

/** The engine's reader-facing document ordinal (`2nd document`), re-exported for the CLI's specs. */
export { documentOrdinal };

export const EXIT_OK = 0;
export const EXIT_UNUSABLE = 2;

export interface ReportIo {
  writeStdout(text: string): Promise<void>;
  writeStderr(text: string): void;
  /** Bytes to stdout, awaited: when present, `writeChunks` encodes the report into one reused buffer. */
  writeStdoutBytes?(bytes: Uint8Array): Promise<void>;
}

/** Commander's usage errors exit 2 (unusable input); help and version exit 0. */
export function usageExit(error: { exitCode: number; code: string }): never {
  process.exit(error.exitCode === 0 ? 0 : EXIT_UNUSABLE);
}

export function processIo(): ReportIo {
  return {
    writeStdout: writeProcessStdout,
    writeStdoutBytes: writeProcessStdout,
    writeStderr: (text) => {
      process.stderr.write(text);
    },
  };
}


/** `error: file:line[:column] (2nd document) spec.ingress[0]: message [CODE]`; the first document goes unsaid (the line says where). */
export function formatIssue(issue: Issue): string {
  const where = [
    issue.file ? `${issue.file}${issue.line !== undefined ? `:${issue.line}${issue.column !== undefined ? `:${issue.column}` : ''}` : ''}` : undefined,
    issue.document > 0 ? `(${documentOrdinal(issue.document)})` : undefined,
    issue.path || undefined,
  ]
    .filter(Boolean)
    .join(' ');
  return `${issue.severity}: ${where ? `${where}: ` : ''}${issue.message} [${issue.code}]\n`;
}

/** Prints the issues on stderr (the first MAX_REPORTED_ISSUES, then a count); true when one is an error (the input is unusable). */
export function reportIssues(issues: readonly Issue[], io: ReportIo): boolean {
  const shown = limitIssues(issues);
  for (const issue of shown.issues) io.writeStderr(formatIssue(issue));
  if (shown.omitted > 0) io.writeStderr(`… and ${shown.omitted} more issues\n`);
  return issues.some((i) => i.severity === 'error');
}

/**
 * The engine's note when the CNI profile's name alone would mislead (no CNI declared, and a plugin's own policies,
 * Calico's, evaluated under np-guard's reading), as `netpol eval` and the API's `cniProfileNote` say it: on stderr,
 * so that stdout keeps each report's exact format (np-guard's among them). `side` names a diff side.
 */
export function reportProfileNote(snapshot: { readonly options: { readonly cni: string }; readonly cniProfileNote?: string }, io: ReportIo, side?: string): void {
  if (snapshot.cniProfileNote) io.writeStderr(`note: ${side ? `${side}: ` : ''}cni profile ${snapshot.options.cni}: ${snapshot.cniProfileNote}\n`);
}

/** Input with no usable object (only ignored kinds, or none) is refused as the server's 422 "nothing to store" does:
 *  an empty answer would read as "no policy, all allowed". Returns whether it was refused. */
export function reportNothingUsable(objectCount: number, io: ReportIo): boolean {
  if (objectCount > 0) return false;
  io.writeStderr('error: no object in the input can be analysed: nothing to analyse\n');
  return true;
}

/**
 * np-guard's md has no newline after its last row (the engine and the REST download keep those bytes); on a terminal
 * the prompt would then follow the table, so the CLI ends a non-empty report with one.
 */
export function* endWithNewline(chunks: Iterable<string>): Generator<string> {
  let last = '';
  for (const chunk of chunks) {
    if (chunk.length > 0) last = chunk;
    yield chunk;
  }
  if (last !== '' && !last.endsWith('\n')) yield '\n';
}

/** Batches small chunks into fewer writes; awaits each write (backpressure). */
export async function writeChunks(chunks: Iterable<string>, io: ReportIo, batchSize = 1 << 16): Promise<void> {
  const write = io.writeStdoutBytes ? reusedBufferWriter(io.writeStdoutBytes.bind(io)) : (text: string) => io.writeStdout(text);
  let buffer = '';
  for (const chunk of chunks) {
    buffer += chunk;
    if (buffer.length >= batchSize) {
      await write(buffer);
      buffer = '';
    }
  }
  await write(buffer);
}

/**
 * Text written as UTF-8 through one buffer reused from write to write (each write is awaited before the next one
 * refills it): the bytes a string write makes, without a new Buffer (and a second pass to size it) per chunk.
 */
export function reusedBufferWriter(writeBytes: (bytes: Uint8Array) => Promise<void>): (text: string) => Promise<void> {
  let bytes = Buffer.allocUnsafe(0);
  return (text) => {
    if (text.length === 0) return Promise.resolve();
    // A UTF-16 unit takes at most 3 bytes in UTF-8 (a surrogate pair, two units, 4): the text always fits.
    if (bytes.length < text.length * 3) bytes = Buffer.allocUnsafe(Math.max(text.length * 3, 1 << 18));
    return writeBytes(bytes.subarray(0, bytes.write(text, 0, 'utf8')));
  };
}

export class Timings {
  private readonly marks: Record<'parse' | 'analyze' | 'output', number> = { parse: 0, analyze: 0, output: 0 };
  /** CPU ms (user + system, every thread) per phase: steadier than wall time on a loaded machine. */
  private readonly cpu: Record<'parse' | 'analyze' | 'output', number> = { parse: 0, analyze: 0, output: 0 };

  async measure<T>(phase: 'parse' | 'analyze' | 'output', work: () => T | Promise<T>): Promise<T> {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    try {
      return await work();
    } finally {
      this.marks[phase] += performance.now() - start;
      const used = process.cpuUsage(cpuStart);
      this.cpu[phase] += (used.user + used.system) / 1000;
    }
  }

  /** `timings: parse=<ms> analyze=<ms> output=<ms> rss=<MiB> cpu=<parse ms>/<analyze ms>/<output ms>` (wall ms, peak
   *  resident set size, then CPU ms per phase). */
  line(): string {
    const ms = (v: number) => v.toFixed(1);
    const rssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
    const cpu = `${Math.round(this.cpu.parse)}/${Math.round(this.cpu.analyze)}/${Math.round(this.cpu.output)}`;
    return `timings: parse=${ms(this.marks.parse)} analyze=${ms(this.marks.analyze)} output=${ms(this.marks.output)} rss=${rssMiB} cpu=${cpu}\n`;
  }
}
