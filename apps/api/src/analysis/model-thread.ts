// The piscina task of model-host.ts, run in a worker thread that keeps engine models (never on the server's event
// loop): building a 10k-pod model from the stored content takes ~0.5 s of CPU, and the model cannot cross a thread
// boundary cheaply, so it stays here and the questions come to it. Each model host thread is the only thread of its
// shard, so its module-level cache holds every model of the keys routed to it.
//
//   `load`:    makes the model of a content held (unless it is): from its stored model (stored-model.ts) when given,
//              which is all the questions need, else built from the content, which the computations need too; then
//              loads a serialised analysis onto it (when given); without either, says whether it is held;
//   `ask`:     answers one question on a held model, or says what is missing (the caller loads it, then asks again);
//   `compute`: runs a named computation (model-computations.ts: diff, lint, report, …) on one or two held models and
//              returns its plain result, or says which side misses what. A diff's second model is held by the
//              thread of the first (loaded with `shard`), so one thread has both.
import { evaluateIcmpWithSteps, evaluateWithSteps, EvaluateError, loadAnalysis, reachableFrom, whoCanReach, type Analysis, type EngineOptions, type Issue, type Protocol, type Snapshot } from '@netpol-atlas/engine';
import { workerData } from 'node:worker_threads';
import { BarePeerError, resolveQuestionPeer, type QuestionPeer, type ThreadBarePeer } from './bare-peer.js';
import { BoundedCache } from './bounded-cache.js';
import { SERIALIZED_ANALYSIS } from './derived-artefacts.js';
import { runComputation, toPlain, type HeldSide, type ModelComputation, type StoredReportText } from './model-computations.js';
import { insertReport } from '../compliance/stored-report.js';
import { modelFromContent, type SnapshotModel } from './snapshot-model.js';
import { decodeStoredModel, encodeStoredModel, modelShapeSignature } from './stored-model.js';
import { lowerWorkerThreadPriority } from '../config/thread-priority.js';
import { readContentFrom, readReportFrom, withConnection, type ContentSource } from '../snapshots/content-source.js';
import { MODEL_BYTES_PER_CONTENT_BYTE, MODEL_BYTES_PER_STORED_MODEL_BYTE } from './model-footprint.js';

// Below the event loop's priority (thread-priority.ts).
lowerWorkerThreadPriority();

/** The questions a held model answers (the GraphQL reachability queries). */
export type ModelQuestion =
  | { readonly kind: 'reachability'; readonly from: QuestionPeer; readonly to: QuestionPeer; readonly port: number | string; readonly protocol: Protocol }
  | { readonly kind: 'icmpReachability'; readonly from: QuestionPeer; readonly to: QuestionPeer; readonly icmp: { readonly type?: number; readonly code?: number } }
  | { readonly kind: 'whoCanReach'; readonly to: QuestionPeer; readonly port: string; readonly protocol: Protocol }
  | { readonly kind: 'reachableFrom'; readonly from: QuestionPeer };

export type ModelTask =
  /** `shard`: the key whose thread holds it, when not its own (model-host.ts routes on `shard ?? key`). */
  /** `content`: build the complete model from it (unless a complete one is held); else `model`: the stored model,
   *  unless a model is held; neither: only say whether one is held (and load `analysis` onto it). */
  | {
      readonly op: 'load';
      readonly key: string;
      readonly shard?: string;
      readonly content?: Uint8Array;
      /** Where to read the content when it is needed and not given (content-source.ts: never through the event loop). */
      readonly contentFrom?: ContentSource;
      readonly model?: Uint8Array;
      readonly options: EngineOptions;
      readonly analysis?: Uint8Array;
      /** When built from `content` now: also return it encoded as a stored model (the store has none for the key). */
      readonly encodeModel?: boolean;
    }
  | { readonly op: 'ask'; readonly key: string; readonly question: ModelQuestion }
  /** `key`: the shard (the first side's key); `sides`: the held models it reads, and whether with their analyses. */
  | { readonly op: 'compute'; readonly key: string; readonly sides: readonly { readonly key: string; readonly withAnalysis: boolean }[]; readonly computation: ModelComputation }
  /** Forgets every held model (tests start cold). */
  | { readonly op: 'clear'; readonly key: string }
  /** Starts the thread and loads its modules (a server start warms its model threads before the first question). */
  | { readonly op: 'warm'; readonly key: string };

/** An engine error, as data (a class instance does not survive the thread boundary). */
export interface ThreadEvaluateError {
  readonly code: EvaluateError['code'];
  readonly message: string;
  readonly candidates: readonly string[];
}

export type ModelTaskResult =
  /** `load`: the model's engine errors (not analysable when any); how it came to be held: `built` from the content
   *  now, loaded from its `stored` model now, or `held` already; whether the given analysis was refused (of another
   *  snapshot shape). */
  | {
      readonly loaded: true;
      readonly errors: readonly Issue[];
      readonly from: 'built' | 'stored' | 'held';
      readonly analysisRefused: boolean;
      /** With `encodeModel`, when built now and error-free: the stored model of it (none when a field is not storable). */
      readonly storedModel?: Uint8Array;
    }
  /** `load` of a stored model of another format or shape (build from the content), or, without one, none held. */
  | { readonly notHeld: true; readonly storedModelRefused: boolean }
  /** `load` from `contentFrom`: the store has no such content. */
  | { readonly contentMissing: true }
  | { readonly warmed: true }
  | { readonly missing: 'model' | 'analysis' }
  /** `compute`: side `missingSide` misses its model or its analysis. */
  | { readonly missing: 'model' | 'analysis'; readonly missingSide: number }
  | { readonly notAnalysable: readonly Issue[] }
  | { readonly answer: unknown }
  | { readonly cleared: number }
  | { readonly evaluateError: ThreadEvaluateError }
  /** A peer `ref` without its namespace, with the workloads of that name. */
  | { readonly barePeer: ThreadBarePeer };

interface Held {
  /** The complete model (with the content's objects), when built from the content. */
  readonly model?: SnapshotModel;
  /** Its snapshot, or the one loaded from the stored model (questions need no more). */
  readonly snapshot: Snapshot;
  readonly errors: readonly Issue[];
  analysis?: Analysis;
}

const bounds = (workerData as { entries?: number; bytes?: number } | undefined) ?? {};
const held = new BoundedCache<Held>(bounds.entries ?? 8, bounds.bytes ?? 1024 * 1024 * 1024);

function bufferOf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A load that reads its content first (tasks of a thread run one at a time: nothing changes `held` meanwhile). */
async function loadFromSource(task: Extract<ModelTask, { op: 'load' }>, source: ContentSource): Promise<ModelTaskResult> {
  const content = await readContentFrom(source);
  return content ? load({ ...task, content }) : { contentMissing: true };
}

function load(task: Extract<ModelTask, { op: 'load' }>): ModelTaskResult | Promise<ModelTaskResult> {
  let entry = held.get(task.key);
  let from: 'built' | 'stored' | 'held' = 'held';
  if (!task.content && task.contentFrom && !entry?.model) return loadFromSource(task, task.contentFrom);
  if (task.content && !entry?.model) {
    // A stored model's entry is replaced by the complete model (its analysis is loaded again onto the new snapshot).
    const model = modelFromContent(bufferOf(task.content), task.options);
    entry = { model, snapshot: model.snapshot, errors: model.errors };
    held.set(task.key, entry, task.content.byteLength * MODEL_BYTES_PER_CONTENT_BYTE);
    from = 'built';
  } else if (task.model && !entry) {
    let snapshot: Snapshot | undefined;
    try {
      snapshot = decodeStoredModel(bufferOf(task.model), task.options);
    } catch {
      // A stored model this code cannot read is a cache miss, not a failed question: built from the content.
      snapshot = undefined;
    }
    if (!snapshot) return { notHeld: true, storedModelRefused: true };
    // Only error-free models are stored (analysis-thread.ts).
    entry = { snapshot, errors: [] };
    held.set(task.key, entry, task.model.byteLength * MODEL_BYTES_PER_STORED_MODEL_BYTE);
    from = 'stored';
  }
  if (!entry) return { notHeld: true, storedModelRefused: false };
  if (entry.errors.length > 0) return { loaded: true, errors: entry.errors, from, analysisRefused: false };
  let analysisRefused = false;
  if (task.analysis && !entry.analysis) {
    const loaded = loadAnalysis(entry.snapshot, SERIALIZED_ANALYSIS.decode(bufferOf(task.analysis)));
    if (loaded) entry.analysis = loaded;
    else analysisRefused = true;
  }
  const storedModel = from === 'built' && task.encodeModel && entry.model ? storedModelOf(entry.model) : undefined;
  return { loaded: true, errors: [], from, analysisRefused, ...(storedModel ? { storedModel } : {}) };
}

/** A snapshot analysed before models were stored (the store has its analysis, no stored model): encoded here, off
 *  the event loop, so that the next restart loads it. A field the stored form cannot hold: none (as in analysis). */
function storedModelOf(model: SnapshotModel): Uint8Array | undefined {
  try {
    return encodeStoredModel(model.snapshot, model.objects);
  } catch {
    return undefined;
  }
}

function answer(entry: Held, question: ModelQuestion): ModelTaskResult {
  const { snapshot } = entry;
  // A bare name is refused before an analysis is asked for: its candidates need only the snapshot.
  const peer = (given: QuestionPeer) => resolveQuestionPeer(snapshot, given);
  switch (question.kind) {
    case 'reachability':
      return { answer: evaluateWithSteps(snapshot, peer(question.from), peer(question.to), question.port, question.protocol) };
    case 'icmpReachability':
      return { answer: evaluateIcmpWithSteps(snapshot, peer(question.from), peer(question.to), question.icmp) };
    case 'whoCanReach': {
      const to = peer(question.to);
      return entry.analysis ? { answer: whoCanReach(entry.analysis, to, question.port, question.protocol) } : { missing: 'analysis' };
    }
    case 'reachableFrom': {
      const from = peer(question.from);
      return entry.analysis ? { answer: reachableFrom(entry.analysis, from) } : { missing: 'analysis' };
    }
  }
}

async function compute(task: Extract<ModelTask, { op: 'compute' }>): Promise<ModelTaskResult> {
  const sides: HeldSide[] = [];
  for (const [index, side] of task.sides.entries()) {
    const entry = held.get(side.key);
    // A model loaded from its stored model has no objects: the computations need the complete one.
    if (!entry?.model) return { missing: 'model', missingSide: index };
    if (entry.errors.length > 0) return { notAnalysable: entry.errors };
    if (side.withAnalysis && !entry.analysis) return { missing: 'analysis', missingSide: index };
    sides.push({ model: entry.model, ...(entry.analysis ? { analysis: entry.analysis } : {}) });
  }
  // A report reads and writes PostgreSQL; every other computation is a function of the held sides.
  if (task.computation.name === 'report') return { answer: await report(task.computation, sides) };
  return { answer: toPlain(runComputation(task.computation, sides)) };
}

/**
 * A compliance report, with the I/O the event loop leaves to this thread (stored reports are tens of MB at 50k pods):
 * the previous report read from where the event loop said (content-source.ts), and the new one signed and stored
 * (stored-report.ts) when it asked, answering its hash and signature instead of its text. Read after the sides are
 * found: a missing model is loaded and the computation asked again.
 */
async function report(computation: Extract<ModelComputation, { name: 'report' }>, sides: readonly HeldSide[]): Promise<unknown> {
  let { input } = computation;
  if (input.previous && 'reportFrom' in input.previous) {
    const { id, reportFrom } = input.previous;
    const reportJcs = await readReportFrom(reportFrom);
    if (reportJcs === null) throw new Error(`the previous report ${id} is missing`);
    input = { ...input, previous: { id, reportJcs } };
  }
  const built = runComputation({ ...computation, input }, sides) as StoredReportText;
  const target = input.store;
  if (!target) return built;
  return withConnection(target.primaryUrl, (client) => insertReport(client, target, built));
}

export default function modelTask(task: ModelTask): ModelTaskResult | Promise<ModelTaskResult> {
  if (task.op === 'load') return load(task);
  if (task.op === 'compute') return compute(task);
  if (task.op === 'warm') {
    // The stored model's shape signature builds a small model: the engine's model code is loaded and run once.
    modelShapeSignature();
    return { warmed: true };
  }
  if (task.op === 'clear') {
    const cleared = held.size;
    held.clear();
    return { cleared };
  }
  const entry = held.get(task.key);
  if (!entry) return { missing: 'model' };
  if (entry.errors.length > 0) return { notAnalysable: entry.errors };
  try {
    return answer(entry, task.question);
  } catch (error) {
    if (error instanceof EvaluateError) return { evaluateError: { code: error.code, message: error.message, candidates: [...error.candidates] } };
    if (error instanceof BarePeerError) return { barePeer: { argument: error.argument, bareName: error.bareName, candidates: [...error.candidates] } };
    throw error;
  }
}
