// `netpol diff <old> <new>`: the connectivity diff of two snapshots in np-guard's formats (txt/csv/md byte for
// byte), or JSON; `--explain` adds, for every changed pair, the object changes that caused it.
import {
  DIFF_FORMATS,
  analyze,
  buildSnapshot,
  diff,
  diffWithCauses,
  formatDiff,
  formatExplainedDiff,
  parseManifests,
  type Analysis,
  type DiffFormat,
  type ExplainedDiff,
  type ParsedObject,
  type SourceDocument,
} from '@netpol-atlas/engine';
import { existsSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { InputError, readInputs } from '../read-inputs.js';
import { EXIT_OK, EXIT_UNUSABLE, processIo, reportIssues, type ReportIo } from '../report-io.js';
import { usageExit } from './list.js';
import { authHeaders, authHint } from '../server-auth.js';

export interface DiffOptions {
  readonly output: DiffFormat;
  readonly explain?: boolean;
  readonly labels?: readonly [string, string];
  readonly server?: string;
}

/** A snapshot on a server: `CLUSTER@latest`, `CLUSTER@<RFC 3339 time>` or a snapshot UUID. */
export type ServerRef =
  | { readonly kind: 'latest'; readonly cluster: string }
  | { readonly kind: 'at'; readonly cluster: string; readonly time: string }
  | { readonly kind: 'id'; readonly id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Reads a side argument as a server reference; undefined when it is not one (then it is a path). */
export function parseServerRef(text: string): ServerRef | undefined {
  if (UUID.test(text)) return { kind: 'id', id: text.toLowerCase() };
  const at = text.lastIndexOf('@');
  if (at <= 0) return undefined;
  const cluster = text.slice(0, at);
  const when = text.slice(at + 1);
  if (/[/\\]/.test(cluster)) return undefined;
  if (when === 'latest') return { kind: 'latest', cluster };
  if (RFC3339.test(when) && !Number.isNaN(Date.parse(when))) return { kind: 'at', cluster, time: when };
  return undefined;
}

export function parseServerUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
  } catch {
    // reported below
  }
  throw new InvalidArgumentError('expected an http(s) URL, e.g. http://localhost:3000');
}

export function parseLabels(text: string): readonly [string, string] {
  const parts = text.split(',');
  if (parts.length !== 2 || parts.some((p) => p.trim() === '')) {
    throw new InvalidArgumentError('expected two non-empty labels separated by a comma, e.g. --labels before,after');
  }
  return [parts[0].trim(), parts[1].trim()];
}

/** One loaded side: its objects (for causation) and its analysis. */
export interface LoadedSide {
  readonly objects: readonly ParsedObject[];
  readonly analysis: Analysis;
}

export class SideError extends Error {}

/** Asks the API server which snapshot a `CLUSTER@latest` / `CLUSTER@<time>` ref means (GraphQL), or takes the id. */
async function resolveSnapshotId(server: string, ref: ServerRef): Promise<string> {
  if (ref.kind === 'id') return ref.id;
  const field = ref.kind === 'latest' ? 'latestSnapshot { id }' : `snapshotAt(time: ${JSON.stringify(ref.time)}) { id }`;
  const query = `query { cluster(name: ${JSON.stringify(ref.cluster)}) { ${field} } }`;
  const response = await serverFetch(new URL('/graphql', server), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as {
    data?: { cluster?: { latestSnapshot?: { id: string } | null; snapshotAt?: { id: string } | null } | null };
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  if (body.errors?.length) {
    const code = body.errors[0].extensions?.code;
    const hint = code === 'UNAUTHENTICATED' ? authHint(401) : code === 'FORBIDDEN' ? authHint(403) : '';
    throw new SideError(`${server}: ${body.errors.map((e) => e.message).join('; ')}${hint}`);
  }
  const found = ref.kind === 'latest' ? body.data?.cluster?.latestSnapshot : body.data?.cluster?.snapshotAt;
  if (!found) throw new SideError(`cluster ${ref.cluster} has no snapshot ${ref.kind === 'latest' ? 'yet' : `at or before ${ref.time}`}`);
  return found.id;
}

async function serverFetch(url: URL, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), ...authHeaders() }, signal: AbortSignal.timeout(120_000) });
  } catch (error) {
    throw new SideError(`cannot reach ${url.origin}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new SideError(`${url.href}: HTTP ${response.status}${authHint(response.status)} ${(await response.text()).slice(0, 300)}`);
  return response;
}

/** A stored snapshot's content: the JSON array of its projected objects, read as one List document. */
async function fetchSnapshotDocument(server: string, ref: ServerRef, spec: string): Promise<SourceDocument> {
  const id = await resolveSnapshotId(server, ref);
  const response = await serverFetch(new URL(`/api/v1/snapshots/${encodeURIComponent(id)}/content`, server));
  const items = await response.text();
  return { path: `${spec} (snapshot ${id})`, text: `{"apiVersion":"v1","kind":"List","items":${items}}` };
}

/** Loads a side (files/directories, or a server ref with --server); issues go to stderr; undefined when unusable. */
export async function loadSide(spec: string, io: ReportIo, server: string | undefined): Promise<LoadedSide | undefined> {
  const ref = !existsSync(spec) && spec !== '-' ? parseServerRef(spec) : undefined;
  if (ref && !server) {
    throw new SideError(
      `${spec} is a server reference (CLUSTER@latest, CLUSTER@<RFC 3339 time> or a snapshot id): server refs need --server`,
    );
  }
  const documents = ref && server ? [await fetchSnapshotDocument(server, ref, spec)] : await readInputs([spec]);
  const parsed = parseManifests(documents);
  const built = buildSnapshot(parsed.objects);
  if (reportIssues([...parsed.issues, ...built.issues], io)) return undefined;
  return { objects: parsed.objects, analysis: analyze(built.snapshot) };
}

export function diffCommand(io: ReportIo = processIo(), setExitCode: (code: number) => void = (c) => void (process.exitCode = c)): Command {
  return new Command('diff')
    .description(
      'Connectivity diff between two snapshots: pairs whose allowed connections were added, removed or changed ' +
        '(np-guard diff formats). Exit 0 when the report is printed, 2 on unusable input.',
    )
    .argument('<old>', 'the old snapshot: a manifest file or directory, or a server ref (CLUSTER@latest, CLUSTER@<time>, snapshot id)')
    .argument('<new>', 'the new snapshot, same forms')
    .addOption(new Option('-o, --output <format>', 'output format').choices(DIFF_FORMATS).default('txt'))
    .option('--explain', 'for every changed pair, the object changes that caused it')
    .option('--labels <old,new>', 'column labels of the two sides (default ref1,ref2)', parseLabels)
    .option('--server <url>', 'API server (e.g. http://localhost:3000) to read server refs from', parseServerUrl)
    .exitOverride(usageExit)
    .action(async (oldSpec: string, newSpec: string, options: DiffOptions) => {
      setExitCode(await runDiff(oldSpec, newSpec, options, io));
    });
}

/** Loads both sides and computes the diff (with causes when asked); undefined on unusable input. */
export async function computeDiff(
  oldSpec: string,
  newSpec: string,
  explain: boolean,
  io: ReportIo,
  server: string | undefined,
): Promise<ExplainedDiff | { diff: ExplainedDiff['diff']; changes?: undefined } | undefined> {
  const oldSide = await loadSide(oldSpec, io, server);
  const newSide = await loadSide(newSpec, io, server);
  if (!oldSide || !newSide) return undefined;
  if (!explain) return { diff: diff(oldSide.analysis, newSide.analysis) };
  return diffWithCauses(oldSide, newSide);
}

export async function runDiff(oldSpec: string, newSpec: string, options: DiffOptions, io: ReportIo): Promise<number> {
  try {
    const result = await computeDiff(oldSpec, newSpec, options.explain === true, io, options.server);
    if (!result) return EXIT_UNUSABLE;
    const formatOptions = options.labels ? { labels: options.labels } : {};
    const text = result.changes
      ? formatExplainedDiff(result, options.output, formatOptions)
      : formatDiff(result.diff, options.output, formatOptions);
    await io.writeStdout(text);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof InputError || error instanceof SideError) {
      io.writeStderr(`error: ${error.message}\n`);
      return EXIT_UNUSABLE;
    }
    throw error;
  }
}
