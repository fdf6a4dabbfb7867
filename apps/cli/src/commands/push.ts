// `netpol push <path…> --cluster NAME [--server URL]`: upload manifests to a Netpol Atlas server as one snapshot.
// The manifests are parsed and checked here first (issues name the real files and lines), then reduced to the
// fields analysis needs with the engine's projection (the server applies the same one, so the content hash does not
// change) and sent as one `kind: List` JSON body, gzipped when big.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { canonicalSnapshotText, parseManifests, projectObject, type Issue } from '@netpol-atlas/engine';
import { Command } from 'commander';
import { InputError, readInputs } from '../read-inputs.js';
import { usageExit } from './list.js';
import { EXIT_OK, EXIT_UNUSABLE, formatIssue, processIo, reportIssues, type ReportIo } from '../report-io.js';

/** Network failures and 5xx answers. */
export const EXIT_SERVER_FAILURE = 1;
/** Projected bodies past this size are gzipped (JSON manifests shrink ~10×; smaller ones are not worth it). */
export const GZIP_THRESHOLD = 64 * 1024;
export const DEFAULT_SERVER = 'http://localhost:3000';

export interface PushOptions {
  readonly cluster: string;
  readonly server?: string;
  readonly capturedAt?: string;
}

export function pushCommand(io: ReportIo = processIo(), setExitCode: (code: number) => void = (code) => void (process.exitCode = code)): Command {
  return new Command('push')
    .description(
      'Upload manifests (files or directories: .yaml, .yml, .json) to a Netpol Atlas server as one snapshot of a cluster; ' +
        'prints the new snapshot as JSON. Exit 0 uploaded, 2 on invalid input or a refused upload (issues on stderr), ' +
        '1 when the server cannot be reached or fails.',
    )
    .argument('<path...>', 'manifest files or directories (read recursively); - for stdin')
    .requiredOption('--cluster <name>', 'cluster name (created on first upload)')
    .option('--server <url>', `server URL (default: $NETPOL_SERVER, else ${DEFAULT_SERVER})`)
    .option('--captured-at <time>', 'when the manifests were captured, RFC 3339 (default: the upload time)')
    .exitOverride(usageExit)
    .action(async (paths: string[], options: PushOptions) => {
      setExitCode(await runPush(paths, options, io));
    });
}

const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`;

export async function runPush(paths: readonly string[], options: PushOptions, io: ReportIo, env = process.env): Promise<number> {
  let documents;
  try {
    documents = await readInputs(paths);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    io.writeStderr(`error: ${error.message}\n`);
    return EXIT_UNUSABLE;
  }
  const parsed = parseManifests(documents);
  if (reportIssues(parsed.issues, io)) return EXIT_UNUSABLE;
  if (parsed.objects.length === 0) {
    io.writeStderr('error: no Kubernetes object that analysis uses in the input; nothing to upload\n');
    return EXIT_UNUSABLE;
  }

  // The server stores and hashes exactly this canonical array; wrapping it in a List keeps it a kubectl-style body.
  const canonical = canonicalSnapshotText(parsed.objects.map((item) => projectObject(item.object)));
  const expectedSha256 = createHash('sha256').update(canonical, 'utf8').digest('hex');
  const json = Buffer.from(`{"apiVersion":"v1","items":${canonical},"kind":"List"}`, 'utf8');
  const inputBytes = documents.reduce((sum, doc) => sum + Buffer.byteLength(doc.text, 'utf8'), 0);
  const big = json.length > GZIP_THRESHOLD;
  const body = big ? gzipSync(json) : json;
  if (big) {
    io.writeStderr(
      `netpol push: ${parsed.objects.length} objects, ${size(inputBytes)} of manifests; kept the fields analysis needs ` +
        `(${size(json.length)}) and gzipped them to ${size(body.length)}\n`,
    );
  }

  const server = (options.server ?? env.NETPOL_SERVER ?? DEFAULT_SERVER).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(`${server}/api/v1/clusters/${encodeURIComponent(options.cluster)}/snapshots`);
  } catch {
    io.writeStderr(`error: not a server URL: ${server}\n`);
    return EXIT_UNUSABLE;
  }
  if (options.capturedAt !== undefined) url.searchParams.set('capturedAt', options.capturedAt);

  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(big ? { 'Content-Encoding': 'gzip' } : {}) },
      body,
    });
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    io.writeStderr(`error: cannot reach the Netpol Atlas server ${url.origin}: ${cause}\n`);
    return EXIT_SERVER_FAILURE;
  }
  const text = await response.text();
  let answer: Record<string, unknown> | undefined;
  try {
    answer = JSON.parse(text) as Record<string, unknown>;
  } catch {
    answer = undefined;
  }

  if (response.status === 201 && answer) {
    await io.writeStdout(`${JSON.stringify(answer, null, 2)}\n`);
    if (answer.contentSha256 !== expectedSha256) {
      io.writeStderr(`warning: the server's content hash ${String(answer.contentSha256)} differs from the local one ${expectedSha256}\n`);
    }
    return EXIT_OK;
  }
  const message = typeof answer?.message === 'string' ? answer.message : text.slice(0, 500);
  io.writeStderr(`error: ${url.origin} answered HTTP ${response.status}: ${message}\n`);
  for (const issue of Array.isArray(answer?.issues) ? (answer.issues as Issue[]) : []) io.writeStderr(formatIssue(issue));
  return response.status >= 400 && response.status < 500 ? EXIT_UNUSABLE : EXIT_SERVER_FAILURE;
}
