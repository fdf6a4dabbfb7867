// The piscina task of model-host.ts, run in a worker thread that keeps engine models (never on the server's event
// loop): building a 10k-pod model from the stored content takes ~0.5 s of CPU, and the model cannot cross a thread
// boundary cheaply, so it stays here and the questions come to it. Each model host thread is the only thread of its
// shard, so its module-level cache holds every model of the keys routed to it.
//
//   `load`:    builds the model of a content (unless held) and loads a serialised analysis onto it (when given);
//   `ask`:     answers one question on a held model, or says what is missing (the caller loads it, then asks again);
//   `compute`: runs a named computation (model-computations.ts: diff, lint, report, …) on one or two held models and
//              returns its plain result, or says which side misses what. A diff's second model is held by the
//              thread of the first (loaded with `shard`), so one thread has both.
import { evaluateIcmpWithSteps, evaluateWithSteps, EvaluateError, loadAnalysis, reachableFrom, whoCanReach, type Analysis, type EngineOptions, type Issue, type PeerSpec, type Protocol } from '@netpol-atlas/engine';
import { workerData } from 'node:worker_threads';
import { BoundedCache } from './bounded-cache.js';
import { SERIALIZED_ANALYSIS } from './derived-artefacts.js';
import { runComputation, toPlain, type HeldSide, type ModelComputation } from './model-computations.js';
import { modelFromContent, type SnapshotModel } from './snapshot-model.js';

/** Engine model + analysis in memory per byte of stored content (as analysis.service.ts estimates). */
const MODEL_BYTES_PER_CONTENT_BYTE = 12;

/** The questions a held model answers (the GraphQL reachability queries). */
export type ModelQuestion =
  | { readonly kind: 'reachability'; readonly from: PeerSpec; readonly to: PeerSpec; readonly port: number | string; readonly protocol: Protocol }
  | { readonly kind: 'icmpReachability'; readonly from: PeerSpec; readonly to: PeerSpec; readonly icmp: { readonly type?: number; readonly code?: number } }
  | { readonly kind: 'whoCanReach'; readonly to: PeerSpec; readonly port: string; readonly protocol: Protocol }
  | { readonly kind: 'reachableFrom'; readonly from: PeerSpec };

export type ModelTask =
  /** `shard`: the key whose thread holds it, when not its own (model-host.ts routes on `shard ?? key`). */
  | { readonly op: 'load'; readonly key: string; readonly shard?: string; readonly content: Uint8Array; readonly options: EngineOptions; readonly analysis?: Uint8Array }
  | { readonly op: 'ask'; readonly key: string; readonly question: ModelQuestion }
  /** `key`: the shard (the first side's key); `sides`: the held models it reads, and whether with their analyses. */
  | { readonly op: 'compute'; readonly key: string; readonly sides: readonly { readonly key: string; readonly withAnalysis: boolean }[]; readonly computation: ModelComputation }
  /** Forgets every held model (tests start cold). */
  | { readonly op: 'clear'; readonly key: string };

/** An engine error, as data (a class instance does not survive the thread boundary). */
export interface ThreadEvaluateError {
  readonly code: EvaluateError['code'];
  readonly message: string;
  readonly candidates: readonly string[];
}

export type ModelTaskResult =
  /** `load`: the model's engine errors (not analysable when any); whether it was built now; whether the given
   *  analysis was refused (of another snapshot shape). */
  | { readonly loaded: true; readonly errors: readonly Issue[]; readonly built: boolean; readonly analysisRefused: boolean }
  | { readonly missing: 'model' | 'analysis' }
  /** `compute`: side `missingSide` misses its model or its analysis. */
  | { readonly missing: 'model' | 'analysis'; readonly missingSide: number }
  | { readonly notAnalysable: readonly Issue[] }
  | { readonly answer: unknown }
  | { readonly cleared: number }
  | { readonly evaluateError: ThreadEvaluateError };

interface Held {
  readonly model: SnapshotModel;
  analysis?: Analysis;
}

const bounds = (workerData as { entries?: number; bytes?: number } | undefined) ?? {};
const held = new BoundedCache<Held>(bounds.entries ?? 8, bounds.bytes ?? 1024 * 1024 * 1024);

function bufferOf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function load(task: Extract<ModelTask, { op: 'load' }>): ModelTaskResult {
  let entry = held.get(task.key);
  const built = !entry;
  if (!entry) {
    entry = { model: modelFromContent(bufferOf(task.content), task.options) };
    held.set(task.key, entry, task.content.byteLength * MODEL_BYTES_PER_CONTENT_BYTE);
  }
  if (entry.model.errors.length > 0) return { loaded: true, errors: entry.model.errors, built, analysisRefused: false };
  let analysisRefused = false;
  if (task.analysis && !entry.analysis) {
    const loaded = loadAnalysis(entry.model.snapshot, SERIALIZED_ANALYSIS.decode(bufferOf(task.analysis)));
    if (loaded) entry.analysis = loaded;
    else analysisRefused = true;
  }
  return { loaded: true, errors: [], built, analysisRefused };
}

function answer(entry: Held, question: ModelQuestion): ModelTaskResult {
  const { snapshot } = entry.model;
  switch (question.kind) {
    case 'reachability':
      return { answer: evaluateWithSteps(snapshot, question.from, question.to, question.port, question.protocol) };
    case 'icmpReachability':
      return { answer: evaluateIcmpWithSteps(snapshot, question.from, question.to, question.icmp) };
    case 'whoCanReach':
      return entry.analysis ? { answer: whoCanReach(entry.analysis, question.to, question.port, question.protocol) } : { missing: 'analysis' };
    case 'reachableFrom':
      return entry.analysis ? { answer: reachableFrom(entry.analysis, question.from) } : { missing: 'analysis' };
  }
}

function compute(task: Extract<ModelTask, { op: 'compute' }>): ModelTaskResult {
  const sides: HeldSide[] = [];
  for (const [index, side] of task.sides.entries()) {
    const entry = held.get(side.key);
    if (!entry) return { missing: 'model', missingSide: index };
    if (entry.model.errors.length > 0) return { notAnalysable: entry.model.errors };
    if (side.withAnalysis && !entry.analysis) return { missing: 'analysis', missingSide: index };
    sides.push({ model: entry.model, ...(entry.analysis ? { analysis: entry.analysis } : {}) });
  }
  return { answer: toPlain(runComputation(task.computation, sides)) };
}

export default function modelTask(task: ModelTask): ModelTaskResult {
  if (task.op === 'load') return load(task);
  if (task.op === 'compute') return compute(task);
  if (task.op === 'clear') {
    const cleared = held.size;
    held.clear();
    return { cleared };
  }
  const entry = held.get(task.key);
  if (!entry) return { missing: 'model' };
  if (entry.model.errors.length > 0) return { notAnalysable: entry.model.errors };
  try {
    return answer(entry, task.question);
  } catch (error) {
    if (error instanceof EvaluateError) return { evaluateError: { code: error.code, message: error.message, candidates: [...error.candidates] } };
    throw error;
  }
}
