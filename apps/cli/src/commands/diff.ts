// `netpol diff <old> <new>`: the connectivity diff of two snapshots in np-guard's formats (txt/csv/md byte for
// byte), or JSON; `--explain` adds, for every changed pair, the object changes that caused it.
// `netpol diff --staged <snapshot>`: what would change if the snapshot's Calico staged policies were enforced (the
// live snapshot against the same with its staged policies promoted), always with causes.
import {
  DIFF_FORMATS,
  analyze,
  analyzeEdited,
  buildSnapshot,
  diff,
  diffWithCauses,
  formatDiff,
  formatExplainedDiff,
  isStagedPolicy,
  parseManifests,
  stagedWhatIf,
  type Analysis,
  type DiffFormat,
  type ExplainedDiff,
  type Issue,
  type ParsedObject,
  type SourceDocument,
} from '@netpol-atlas/engine';
import { existsSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { InputError, readInputs } from '../read-inputs.js';
import { parseServerUrl, resolveServer, ServerUrlError } from '../server-url.js';
import { closestNames, didYouMean } from '../suggest.js';
import { EXIT_OK, EXIT_UNUSABLE, processIo, reportIssues, reportProfileNote, type ReportIo, usageExit } from '../report-io.js';
import { authHeaders, authHint } from '../server-auth.js';
import { networkReason } from '../upload.js';
import { cniEngineOptions, cniOption, type CniOptions } from '../cni-option.js';

export interface DiffOptions extends CniOptions {
  readonly output: DiffFormat;
  readonly explain?: boolean;
  readonly labels?: readonly [string, string];
  readonly server?: string;
  readonly staged?: boolean;
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
  const body = await graphql<{ cluster?: { latestSnapshot?: { id: string } | null; snapshotAt?: { id: string } | null } | null }>(
    server,
    `query { cluster(name: ${JSON.stringify(ref.cluster)}) { ${field} } }`,
  );
  if (body.errors?.some((e) => e.extensions?.code === 'NOT_FOUND')) {
    throw new SideError(`${server}: cluster ${ref.cluster} not found${await clusterHint(server, ref.cluster)}`);
  }
  if (body.errors?.length) {
    const code = body.errors[0].extensions?.code;
    const hint = code === 'UNAUTHENTICATED' ? authHint(401) : code === 'FORBIDDEN' ? authHint(403) : '';
    throw new SideError(`${server}: ${body.errors.map((e) => e.message).join('; ')}${hint}`);
  }
  const found = ref.kind === 'latest' ? body.data?.cluster?.latestSnapshot : body.data?.cluster?.snapshotAt;
  if (!found) {
    const when = ref.kind === 'latest' ? 'yet' : `at or before ${ref.time}${await earliestHint(server, ref.cluster)}`;
    throw new SideError(`cluster ${ref.cluster} has no snapshot ${when}`);
  }
  return found.id;
}

interface GraphqlAnswer<T> {
  readonly data?: T;
  readonly errors?: { message: string; extensions?: { code?: string } }[];
}

async function graphql<T>(server: string, query: string): Promise<GraphqlAnswer<T>> {
  const response = await serverFetch(new URL('/graphql', server), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as GraphqlAnswer<T>;
}

type ClusterList = { clusters?: { edges: { node: { name: string; latestSnapshot?: { id: string } | null } }[] } };

/** `; did you mean demo?`, else the known clusters. */
async function clusterHint(server: string, typed: string): Promise<string> {
  const body = await graphql<ClusterList>(server, 'query { clusters(first: 100) { edges { node { name } } } }');
  const names = (body.data?.clusters?.edges ?? []).map((edge) => edge.node.name);
  if (names.length === 0) return '; the server has no cluster yet';
  return didYouMean(closestNames(typed, names)) || `; known clusters: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}`;
}

/** `; its earliest snapshot was captured at …`. */
async function earliestHint(server: string, cluster: string): Promise<string> {
  const body = await graphql<{ cluster?: { snapshots: { edges: { node: { capturedAt: string } }[]; pageInfo: { hasNextPage: boolean } } } }>(
    server,
    `query { cluster(name: ${JSON.stringify(cluster)}) { snapshots(first: 100) { edges { node { capturedAt } } pageInfo { hasNextPage } } } }`,
  );
  const snapshots = body.data?.cluster?.snapshots;
  const oldest = snapshots?.edges.at(-1)?.node.capturedAt;
  return oldest && !snapshots.pageInfo.hasNextPage ? `; its earliest snapshot was captured at ${oldest}` : '';
}

/** `; the latest snapshots: demo@latest = <id>, …` for an unknown snapshot id. */
async function latestSnapshotsHint(server: string): Promise<string> {
  const body = await graphql<ClusterList>(server, 'query { clusters(first: 10) { edges { node { name latestSnapshot { id } } } } }');
  const latest = (body.data?.clusters?.edges ?? []).filter((edge) => edge.node.latestSnapshot).map((edge) => `${edge.node.name}@latest = ${edge.node.latestSnapshot!.id}`);
  return latest.length > 0 ? `; the latest snapshots: ${latest.join(', ')}` : '';
}

async function serverFetch(url: URL, init: RequestInit = {}, answer404 = false): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), ...authHeaders() }, signal: AbortSignal.timeout(120_000) });
  } catch (error) {
    throw new SideError(`cannot reach ${url.origin}: ${networkReason(error)}`);
  }
  if (!response.ok && !(answer404 && response.status === 404)) throw new SideError(`${url.href}: HTTP ${response.status}${authHint(response.status)} ${(await response.text()).slice(0, 300)}`);
  return response;
}

/** A stored snapshot's content: the JSON array of its projected objects, read as one List document. */
async function fetchSnapshotDocument(server: string, ref: ServerRef, spec: string): Promise<SourceDocument> {
  const id = await resolveSnapshotId(server, ref);
  const url = new URL(`/api/v1/snapshots/${encodeURIComponent(id)}/content`, server);
  const response = await serverFetch(url, {}, true);
  if (response.status === 404) throw new SideError(`${server}: no snapshot ${id} (HTTP 404)${ref.kind === 'id' ? await latestSnapshotsHint(server) : ''}`);
  const items = await response.text();
  return { path: `${spec} (snapshot ${id})`, text: `{"apiVersion":"v1","kind":"List","items":${items}}` };
}

/** Loads a side (files/directories, or a server ref); issues go to stderr; undefined when unusable. With `base`
 *  (the old side) and objects that differ from it only in policies, the analysis is updated incrementally from
 *  the base's instead of built and analysed again (a pull request's one edited policy). */
export async function loadSide(
  spec: string,
  io: ReportIo,
  server: string | undefined,
  cni: CniOptions = {},
  base?: LoadedSide,
  keepIssue: (issue: Issue, objects: readonly ParsedObject[]) => boolean = () => true,
): Promise<LoadedSide | undefined> {
  const exists = existsSync(spec) || spec === '-';
  const ref = exists ? undefined : parseServerRef(spec);
  if (!exists && !ref && spec.includes('@') && !/[/\\]/.test(spec)) {
    throw new SideError(
      `${spec} is neither a file nor a server ref: a server ref is CLUSTER@latest, CLUSTER@<RFC 3339 time> ` +
        `(e.g. ${spec.slice(0, spec.lastIndexOf('@'))}@2026-01-31T00:00:00Z) or a snapshot id`,
    );
  }
  // --server, else $NETPOL_SERVER, else the default: checked only when a side is a server ref.
  const documents = ref ? [await fetchSnapshotDocument(resolveServer(server), ref, spec)] : await readInputs([spec]);
  // Both sides in the server's projected form (idempotent for a server ref), so fields the server does not keep
  // (container names, ...) never show up as object changes between a folder and its own upload. Projected as each
  // object is read: a big List's full objects are never all held.
  const parsed = parseManifests(documents, { project: true });
  const parseIssues = parsed.issues.filter((issue) => keepIssue(issue, parsed.objects));
  const objects = parsed.objects;
  const edited = base ? analyzeEdited(base, objects, cniEngineOptions(cni)) : undefined;
  if (edited) {
    if (reportIssues([...parseIssues, ...edited.issues], io)) return undefined;
    reportProfileNote(edited.analysis.snapshot, io, spec);
    return { objects, analysis: edited.analysis };
  }
  const built = buildSnapshot(objects, cniEngineOptions(cni));
  if (reportIssues([...parseIssues, ...built.issues], io)) return undefined;
  reportProfileNote(built.snapshot, io, spec);
  return { objects, analysis: analyze(built.snapshot) };
}

export function diffCommand(io: ReportIo = processIo(), setExitCode: (code: number) => void = (c) => void (process.exitCode = c)): Command {
  const usage = (message: string) => {
    io.writeStderr(`error: ${message}\n`);
    setExitCode(EXIT_UNUSABLE);
  };
  return new Command('diff')
    .description(
      'Connectivity diff between two snapshots: pairs whose allowed connections were added, removed or changed ' +
        '(np-guard diff formats). Exit 0 when the report is printed, 2 on unusable input.',
    )
    .argument('<old>', 'the old snapshot: a manifest file or directory, or a server ref (CLUSTER@latest, CLUSTER@<time>, snapshot id)')
    .argument('[new]', 'the new snapshot, same forms (none with --staged)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(DIFF_FORMATS).default('txt'))
    .addOption(cniOption())
    .option('--explain', 'for every changed pair, the object changes that caused it')
    .option(
      '--staged',
      'one snapshot: what would change if its Calico staged policies were enforced (StagedNetworkPolicy, ' +
        'StagedGlobalNetworkPolicy, StagedKubernetesNetworkPolicy; stagedAction Set creates or replaces the policy ' +
        'of the same name, Delete removes it), with causes: netpol diff --staged <snapshot>',
    )
    .option('--labels <old,new>', 'column labels of the two sides (default ref1,ref2)', parseLabels)
    .option('--server <url>', 'API server to read server refs from (default: $NETPOL_SERVER, else http://localhost:3000)', parseServerUrl)
    .exitOverride(usageExit)
    .action(async (oldSpec: string, newSpec: string | undefined, options: DiffOptions) => {
      if (options.staged === true) {
        if (newSpec !== undefined) return usage('--staged compares one snapshot with itself as if its staged policies were enforced: give one snapshot, not two');
        return setExitCode(await runStagedDiff(oldSpec, options, io));
      }
      if (newSpec === undefined) return usage("missing required argument 'new' (or --staged with one snapshot)");
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
  cni: CniOptions = {},
): Promise<ExplainedDiff | { diff: ExplainedDiff['diff']; changes?: undefined } | undefined> {
  const oldSide = await loadSide(oldSpec, io, server, cni);
  const newSide = await loadSide(newSpec, io, server, cni, oldSide);
  if (!oldSide || !newSide) return undefined;
  if (!explain) return { diff: diff(oldSide.analysis, newSide.analysis) };
  return diffWithCauses(oldSide, newSide);
}

export async function runDiff(oldSpec: string, newSpec: string, options: DiffOptions, io: ReportIo): Promise<number> {
  try {
    const result = await computeDiff(oldSpec, newSpec, options.explain === true, io, options.server, options);
    if (!result) return EXIT_UNUSABLE;
    const formatOptions = options.labels ? { labels: options.labels } : {};
    const text = result.changes
      ? formatExplainedDiff(result, options.output, formatOptions)
      : formatDiff(result.diff, options.output, formatOptions);
    await writeDiffText(text, options.output, io);
    return EXIT_OK;
  } catch (error) {
    return inputErrorExit(error, io);
  }
}

/** np-guard's md ends without a newline (the engine and the REST download keep its bytes); stdout gets one. */
function writeDiffText(text: string, output: string, io: ReportIo): Promise<void> {
  return io.writeStdout(output === 'md' && text !== '' && !text.endsWith('\n') ? `${text}\n` : text);
}

/** An unreadable side, input or server URL: the message on stderr and exit 2; anything else is a bug (rethrown). */
export function inputErrorExit(error: unknown, io: ReportIo): number {
  if (error instanceof InputError || error instanceof SideError || error instanceof ServerUrlError) {
    io.writeStderr(`error: ${error.message}\n`);
    return EXIT_UNUSABLE;
  }
  throw error;
}

/** The parser's NOT_MODELLED warning ("kept but not analysed yet") is wrong for a staged policy in --staged mode,
 *  which is exactly what analyses it: dropped there, found by the issue's location (never by its text). */
function notStagedNotModelled(issue: Issue, objects: readonly ParsedObject[]): boolean {
  if (issue.code !== 'NOT_MODELLED') return true;
  const object = objects.find((o) => o.source.file === issue.file && o.source.document === issue.document && o.source.pathPrefix === (issue.path ?? ''));
  return !object || !isStagedPolicy(object.object);
}

/** `netpol diff --staged <snapshot>`: the staged what-if, as an explained diff (always with causes). What the staged
 *  policies would do is listed first (on stderr, so stdout keeps the diff format), with their issues. */
export async function runStagedDiff(spec: string, options: DiffOptions, io: ReportIo): Promise<number> {
  try {
    const side = await loadSide(spec, io, options.server, options, undefined, notStagedNotModelled);
    if (!side) return EXIT_UNUSABLE;
    const result = stagedWhatIf(side.objects, { engine: cniEngineOptions(options) });
    if (reportIssues(result.issues, io)) return EXIT_UNUSABLE;
    const id = (r: { kind: string; namespace: string; name: string }) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
    if (result.staged.length === 0) io.writeStderr('no staged policy in the snapshot: nothing would change\n');
    for (const s of result.staged) {
      const effect = s.action === 'Delete' ? (s.targetExists ? 'deletes' : 'would delete (absent)') : s.targetExists ? 'replaces' : 'creates';
      io.writeStderr(`staged: ${id(s.staged)} ${effect} ${id(s.target)}\n`);
    }
    for (const caveat of result.caveats) io.writeStderr(`warning: ${caveat.message}\n`);
    const labels = options.labels ?? (['live', 'staged'] as const);
    const text = formatExplainedDiff(result, options.output, { labels });
    await writeDiffText(text, options.output, io);
    return EXIT_OK;
  } catch (error) {
    return inputErrorExit(error, io);
  }
}
