// loadSnapshot of the CLI's inputs, with one big JSON List file (`kubectl get -o json` of a large cluster) read by two
// threads: a worker reads the tail of the List while this thread reads the head, then the engine merges the two
// (mergeJsonListSlices: exactly parseManifests' result, or undefined, and then the whole text is parsed here as
// before). The worker starts before this thread reads the file, so its start-up overlaps the read; it is posted the
// text (one copy; reading and decoding the file again cost more). Opt-in (NETPOL_PARSE_THREADS=1): measured on the
// L dump (126 MB, 2026-12-07, loaded 2-core machine) it does not pay yet: the worker's part is the critical path
// (post the text 0.24 s, a cold JIT, 47k projected objects back as JSON 0.4 s + 0.8 s, the merge 0.4 s), for about
// the one-thread wall time, +3 s CPU and +150 MiB RSS. NETPOL_PARSE_THREADS_MIN_BYTES sets the file size from which it
// is used (default 8 MiB); NETPOL_PARSE_THREADS_TRACE=1 says on stderr whether the two halves were merged (tests).
import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import {
  buildSnapshot,
  findJsonListSplit,
  JSON_LIST_SPLIT_MIN_LENGTH,
  loadSnapshot,
  mergeJsonListSlices,
  parseManifests,
  readJsonListSlice,
  type EngineOptions,
  type JsonListSliceOutcome,
  type ParseOptions,
  type ParseResult,
} from '@netpol-atlas/engine';
import type { ParseWorkerData, ParseWorkerTask } from './parse-worker.js';
import { readInputs } from './read-inputs.js';

type Loaded = ReturnType<typeof loadSnapshot>;

/** loadSnapshot of the inputs (parseInputFiles, then buildSnapshot). */
export async function loadInputSnapshot(paths: readonly string[], options: EngineOptions & ParseOptions): Promise<Loaded> {
  const parsed = await parseInputFiles(paths, options);
  const built = buildSnapshot(parsed.objects, options);
  return { snapshot: built.snapshot, issues: [...parsed.issues, ...built.issues], objectCount: parsed.objects.length };
}

/** parseManifests of the inputs read by readInputs; one big JSON List file with two threads when asked. */
export async function parseInputFiles(paths: readonly string[], options: ParseOptions): Promise<ParseResult> {
  const worker = await startTailWorker(paths, options);
  let documents;
  try {
    documents = await readInputs(paths);
  } catch (error) {
    void worker?.terminate();
    throw error;
  }
  const only = documents.length === 1 ? documents[0]! : undefined;
  if (worker && only && /^\s*\{/.test(only.text.slice(0, 4096))) {
    const split = findJsonListSplit(only.text);
    if (split !== undefined) worker.post({ file: only.path, text: only.text, split });
    const head = split === undefined ? undefined : readJsonListSlice(only.path, only.text, { part: 'head', split }, options);
    const tail = head?.ok ? await worker.outcome : undefined;
    void worker.terminate();
    const merged = head && tail ? mergeJsonListSlices(only.path, only.text, head, tail, options) : undefined;
    if (process.env['NETPOL_PARSE_THREADS_TRACE'] === '1') {
      const why = !head ? 'no item to split at' : !head.ok ? `head: ${head.reason}` : !tail?.ok ? `tail: ${tail?.reason ?? 'none'}` : 'the merge declined';
      process.stderr.write(`parse: ${merged ? 'two threads merged' : `read sequentially (${why})`}\n`);
    }
    if (merged) return merged;
  } else void worker?.terminate();
  return parseManifests(documents, options);
}

interface TailWorker {
  post(task: ParseWorkerTask): void;
  readonly outcome: Promise<JsonListSliceOutcome>;
  terminate(): Promise<unknown>;
}

/** The worker for the tail, when the input is one file big enough; undefined otherwise (or when it cannot start). */
async function startTailWorker(paths: readonly string[], options: ParseOptions): Promise<TailWorker | undefined> {
  if (process.env['NETPOL_PARSE_THREADS'] !== '1' || options.jsonListByItem === false || paths.length !== 1 || paths[0] === '-') return undefined;
  const minBytes = Number(process.env['NETPOL_PARSE_THREADS_MIN_BYTES'] ?? JSON_LIST_SPLIT_MIN_LENGTH);
  const file = paths[0]!;
  try {
    const info = await stat(file);
    if (!info.isFile() || info.size < minBytes) return undefined;
  } catch {
    return undefined; // readInputs reports it
  }
  // The bundle (dist/bundle/*.mjs) runs parse-worker.mjs; tsc's output (dist/*.js) parse-worker.js.
  const url = new URL(import.meta.url.endsWith('.mjs') ? './parse-worker.mjs' : './parse-worker.js', import.meta.url);
  const workerData: ParseWorkerData = { options: parseOptionsOf(options) };
  let worker: Worker;
  try {
    worker = new Worker(url, { workerData });
  } catch {
    return undefined;
  }
  const outcome = new Promise<JsonListSliceOutcome>((resolve) => {
    // JSON text (parse-worker.ts); mergeJsonListSlices gives the objects their null prototypes again.
    worker.once('message', (message: string) => resolve(JSON.parse(message) as JsonListSliceOutcome));
    worker.once('error', (error) => resolve({ ok: false, reason: String(error) }));
    worker.once('exit', () => resolve({ ok: false, reason: 'the worker exited' }));
  });
  return { post: (task) => worker.postMessage(task), outcome, terminate: () => worker.terminate() };
}

/** The parse options alone (plain data the worker can be given). */
function parseOptionsOf(options: ParseOptions): ParseOptions {
  const { maxAliases, maxDepth, maxObjects, fastYamlMinLength, project, jsonListByItem } = options;
  return Object.fromEntries(Object.entries({ maxAliases, maxDepth, maxObjects, fastYamlMinLength, project, jsonListByItem }).filter(([, v]) => v !== undefined));
}
