// `netpol collect` end to end: options → kubeconfig → cluster read → one List snapshot → file, stdout or upload.
import { writeFile } from 'node:fs/promises';
import { type CollectLog, type CollectScope, collectCluster } from './collector.js';
import { CollectError, EXIT_FAILURE, EXIT_OK } from './errors.js';
import { KubeApiClient, loadKubeTarget, messageOf } from './kube-api.js';
import { projectForSnapshot } from './project.js';
import { buildSnapshotList, serializeSnapshot } from './snapshot.js';
import { canonicalSnapshotText, type KubeObject } from '@netpol-atlas/engine';
import { serverUrlProblem } from '../server-url.js';
import { contentSha256, uploadSnapshot, UploadUnreachableError, type UploadAnswer } from '../upload.js';
import { EXIT_UPLOAD_SERVER_FAILURE } from './errors.js';

export interface CollectCommandOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly allNamespaces?: boolean;
  readonly namespace?: readonly string[];
  readonly out?: string;
  readonly push?: string;
  readonly cluster?: string;
  readonly chunkSize: number;
  readonly requestTimeout: number;
}

/** Where output goes; the command passes the process streams, tests pass buffers. */
export interface CollectIo {
  writeStdout(text: string): Promise<void>;
  writeStderr(text: string): void;
  readonly stderrIsTTY: boolean;
  /** The time the read starts (the snapshot's capturedAt on upload). */
  now(): Date;
  sleep?(ms: number): Promise<void>;
}

const PREFIX = 'netpol collect: ';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Runs the command and returns its exit code; every failure is reported on stderr, never thrown. */
export async function runCollect(options: CollectCommandOptions, io: CollectIo): Promise<number> {
  try {
    return await collect(options, io);
  } catch (error) {
    const code = error instanceof CollectError ? error.exitCode : EXIT_FAILURE;
    io.writeStderr(`${PREFIX}error: ${error instanceof CollectError ? error.message : messageOf(error)}\n`);
    return code;
  }
}

async function collect(options: CollectCommandOptions, io: CollectIo): Promise<number> {
  validate(options);
  const target = loadKubeTarget({ kubeconfig: options.kubeconfig, context: options.context });
  const scope: CollectScope = options.allNamespaces
    ? { allNamespaces: true }
    : { allNamespaces: false, namespaces: [...new Set(options.namespace?.length ? options.namespace : [target.namespace])].sort() };
  const scopeText = scope.allNamespaces ? 'all-namespaces' : `namespaces: ${scope.namespaces.join(',')}`;
  const capturedAt = io.now().toISOString();
  io.writeStderr(`${PREFIX}reading ${target.server} (context ${target.contextName}, ${scopeText})\n`);

  const log = stderrLog(io);
  const client = new KubeApiClient(target, options.requestTimeout * 1000);
  const { items, report } = await collectCluster(client, scope, { chunkSize: options.chunkSize, project: projectForSnapshot, log, sleep: io.sleep?.bind(io) });
  const text = serializeSnapshot(buildSnapshotList(items, report, { contextName: target.contextName, scope: scopeText }));
  const completeness = report.missing.length === 0 ? 'complete' : `INCOMPLETE: ${report.missing.length} resource read(s) refused, see warnings`;

  if (options.push !== undefined && options.cluster !== undefined) {
    io.writeStderr(`${PREFIX}uploading ${items.length} objects (${kib(Buffer.byteLength(text))} JSON, gzipped) to ${options.push} as cluster ${options.cluster}\n`);
    const result = await upload(options.push, options.cluster, text, capturedAt, report.cni?.cni, io);
    io.writeStderr(`${PREFIX}uploaded ${kib(result.sentBytes)} gzipped: HTTP ${result.status}; snapshot ${completeness}\n`);
    const stored = result.json?.contentSha256;
    const expected = contentSha256(canonicalSnapshotText(items as unknown as KubeObject[]));
    if (stored !== expected) io.writeStderr(`${PREFIX}warning: the server's content hash ${String(stored)} differs from the local one ${expected}\n`);
    await io.writeStdout(`${JSON.stringify(result.json ?? result.text, null, 2)}\n`);
    return EXIT_OK;
  }
  if (options.out === undefined || options.out === '-') {
    await io.writeStdout(text);
  } else {
    try {
      await writeFile(options.out, text);
    } catch (error) {
      throw new CollectError(`cannot write ${options.out}: ${messageOf(error)}`, EXIT_FAILURE);
    }
  }
  io.writeStderr(`${PREFIX}wrote ${items.length} objects to ${options.out === undefined || options.out === '-' ? 'stdout' : options.out}; snapshot ${completeness}\n`);
  return EXIT_OK;
}

/** POSTs the snapshot gzipped (../upload.ts); a refused upload (not 201) or an unreachable server is a CollectError. */
async function upload(server: string, cluster: string, text: string, capturedAt: string, cni: string | undefined, io: CollectIo): Promise<UploadAnswer> {
  let answer: UploadAnswer;
  try {
    answer = await uploadSnapshot({
      server,
      cluster,
      json: Buffer.from(text, 'utf8'),
      gzip: true,
      capturedAt,
      ...(cni === undefined ? {} : { cni }),
      progress: { prefix: PREFIX, write: (line) => io.writeStderr(line), tty: io.stderrIsTTY },
    });
  } catch (error) {
    if (error instanceof UploadUnreachableError) throw new CollectError(error.message, EXIT_UPLOAD_SERVER_FAILURE);
    throw error;
  }
  if (answer.status !== 201) {
    const shown = answer.json ? JSON.stringify(answer.json) : answer.text.slice(0, 500);
    const code = answer.status >= 400 && answer.status < 500 ? EXIT_FAILURE : EXIT_UPLOAD_SERVER_FAILURE;
    throw new CollectError(`upload to ${answer.url.origin} failed: HTTP ${answer.status}: ${shown}`, code);
  }
  return answer;
}

function validate(options: CollectCommandOptions): void {
  const usage = (message: string) => new CollectError(message, EXIT_FAILURE);
  if (options.allNamespaces && options.namespace?.length) throw usage('use either -A/--all-namespaces or -n/--namespace, not both');
  for (const namespace of options.namespace ?? []) {
    if (!DNS_LABEL.test(namespace)) throw usage(`invalid namespace name "${namespace}"`);
  }
  if (options.push !== undefined && options.out !== undefined) throw usage('use either --out or --push, not both');
  if (options.push !== undefined && options.cluster === undefined) throw usage('--push needs --cluster NAME');
  if (options.cluster !== undefined && options.push === undefined) throw usage('--cluster is only used with --push URL');
  const pushProblem = options.push === undefined ? undefined : serverUrlProblem(options.push);
  if (pushProblem) throw usage(`--push ${options.push}: ${pushProblem}`);
  if (!Number.isInteger(options.chunkSize) || options.chunkSize < 1) throw usage('--chunk-size must be a positive integer');
  if (!(options.requestTimeout > 0)) throw usage('--request-timeout must be a positive number of seconds');
}

function stderrLog(io: CollectIo): CollectLog {
  let transient = false;
  const clearTransient = () => {
    if (transient) io.writeStderr('\r\u001b[K');
    transient = false;
  };
  return {
    info: (line) => {
      clearTransient();
      io.writeStderr(`${PREFIX}${line}\n`);
    },
    warn: (line) => {
      clearTransient();
      io.writeStderr(`${PREFIX}warning: ${line}\n`);
    },
    // Page-by-page counts only on a terminal; logs and pipes get the one line per resource.
    progress: (line) => {
      if (!io.stderrIsTTY) return;
      io.writeStderr(`\r\u001b[K${PREFIX}${line}`);
      transient = true;
    },
  };
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
