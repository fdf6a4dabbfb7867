// `netpol push <path…> --cluster NAME [--server URL]`: upload manifests to a Netpol Atlas server as one snapshot.
// The manifests are parsed and checked here first (issues name the real files and lines), then reduced to the
// fields analysis needs with the engine's projection (the server applies the same one, so the content hash does not
// change) and sent as one `kind: List` JSON body, gzipped when big, with progress for big uploads (../upload.ts).
import { authHint } from '../server-auth.js';
import { collectedCni } from '../collect/collected-cni.js';
import { canonicalSnapshotText, parseManifests, projectObject, type Issue } from '@netpol-atlas/engine';
import { Command } from 'commander';
import { DEFAULT_SERVER, parseServerUrl, resolveServer, ServerUrlError } from '../server-url.js';
import { InputError, readInputs } from '../read-inputs.js';
import { contentSha256, formatBytes, uploadSnapshot, UploadUnreachableError } from '../upload.js';
import { EXIT_OK, EXIT_UNUSABLE, formatIssue, processIo, reportIssues, type ReportIo, usageExit } from '../report-io.js';

/** Network failures and 5xx answers. */
export const EXIT_SERVER_FAILURE = 1;
/** Projected bodies past this size are gzipped (JSON manifests shrink ~10×; smaller ones are not worth it). */
export const GZIP_THRESHOLD = 64 * 1024;
/** Inputs from this size on announce the local work (parsing 50k pods takes seconds). */
export const BIG_INPUT = 16 * 1024 * 1024;
export { DEFAULT_SERVER };
const PREFIX = 'netpol push: ';

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
    .option('--server <url>', `server URL (default: $NETPOL_SERVER, else ${DEFAULT_SERVER})`, parseServerUrl)
    .option('--captured-at <time>', 'when the manifests were captured, RFC 3339 (default: the upload time)')
    .exitOverride(usageExit)
    .action(async (paths: string[], options: PushOptions) => {
      setExitCode(await runPush(paths, options, io));
    });
}

export async function runPush(
  paths: readonly string[],
  options: PushOptions,
  io: ReportIo,
  env = process.env,
  stderrIsTTY = process.stderr.isTTY === true,
): Promise<number> {
  let documents;
  try {
    documents = await readInputs(paths);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    io.writeStderr(`error: ${error.message}\n`);
    return EXIT_UNUSABLE;
  }
  const inputBytes = documents.reduce((sum, doc) => sum + Buffer.byteLength(doc.text, 'utf8'), 0);
  if (inputBytes >= BIG_INPUT) {
    io.writeStderr(`${PREFIX}read ${formatBytes(inputBytes)} of manifests from ${documents.length} file(s); checking them and keeping the fields analysis needs\n`);
  }
  const parsed = parseManifests(documents);
  if (reportIssues(parsed.issues, io)) return EXIT_UNUSABLE;
  if (parsed.objects.length === 0) {
    io.writeStderr('error: no Kubernetes object that analysis uses in the input; nothing to upload\n');
    return EXIT_UNUSABLE;
  }
  // A collected file's detected CNI goes along as `?cni=`, as with `collect --push` (the server never lets it
  // override a user's choice); an unusable one is said and left out, the upload itself is still good.
  const detected = collectedCni(documents);
  let cni: string | undefined;
  if (detected && 'problem' in detected) io.writeStderr(`${PREFIX}warning: not sending the collected CNI: ${detected.problem}\n`);
  else if (detected) {
    cni = detected.cni;
    io.writeStderr(`${PREFIX}sending the CNI netpol collect detected in ${detected.path}: ${cni} (the cluster's CNI unless a user chose one)\n`);
  }

  // The server stores and hashes exactly this canonical array; wrapping it in a List keeps it a kubectl-style body.
  const canonical = canonicalSnapshotText(parsed.objects.map((item) => projectObject(item.object)));
  const expectedSha256 = contentSha256(canonical);
  const json = Buffer.from(`{"apiVersion":"v1","items":${canonical},"kind":"List"}`, 'utf8');
  const big = json.length > GZIP_THRESHOLD;

  let server: string;
  try {
    // runPush is also called without commander (tests, collect): check an option given directly here too.
    server = options.server !== undefined ? parseServerUrl(options.server) : resolveServer(undefined, env);
  } catch (error) {
    io.writeStderr(`error: ${error instanceof ServerUrlError ? error.message : `--server ${options.server}: ${(error as Error).message}`}\n`);
    return EXIT_UNUSABLE;
  }

  let answer;
  try {
    answer = await uploadSnapshot({
      server,
      cluster: options.cluster,
      json,
      gzip: big,
      capturedAt: options.capturedAt,
      ...(cni === undefined ? {} : { cni }),
      env,
      progress: { prefix: PREFIX, write: (text) => io.writeStderr(text), tty: stderrIsTTY },
      onBody: (sent) => {
        if (big) {
          io.writeStderr(
            `${PREFIX}${parsed.objects.length} objects, ${formatBytes(inputBytes)} of manifests; kept the fields analysis needs ` +
              `(${formatBytes(json.length)}) and gzipped them to ${formatBytes(sent)}\n`,
          );
        }
      },
    });
  } catch (error) {
    if (!(error instanceof UploadUnreachableError)) throw error;
    io.writeStderr(`error: ${error.message}\n`);
    return EXIT_SERVER_FAILURE;
  }

  if (answer.status === 201 && answer.json) {
    await io.writeStdout(`${JSON.stringify(answer.json, null, 2)}\n`);
    if (answer.json.contentSha256 !== expectedSha256) {
      io.writeStderr(`warning: the server's content hash ${String(answer.json.contentSha256)} differs from the local one ${expectedSha256}\n`);
    }
    return EXIT_OK;
  }
  const message = typeof answer.json?.message === 'string' ? answer.json.message : answer.text.slice(0, 500);
  io.writeStderr(`error: ${answer.url.origin} answered HTTP ${answer.status}${authHint(answer.status, env)}: ${message}\n`);
  for (const issue of Array.isArray(answer.json?.issues) ? (answer.json.issues as Issue[]) : []) io.writeStderr(formatIssue(issue));
  return answer.status >= 400 && answer.status < 500 ? EXIT_UNUSABLE : EXIT_SERVER_FAILURE;
}
