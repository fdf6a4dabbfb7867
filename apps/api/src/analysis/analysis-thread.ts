// The piscina task of analysis-pool.ts, run in a worker thread (never on the server's event loop): from the stored
// content (JSON text of the projected objects), the engine model and analysis, then every registered derived
// artefact, encoded as stored. Only these compact buffers cross the thread boundary back (a few bytes per allowed
// workload pair), never the engine's model or analysis, which would cost a deep structured clone.
import { analyze, type EngineOptions, type Issue } from '@netpol-atlas/engine';
import { DERIVED_ARTEFACTS } from './derived-artefacts.js';
import { modelFromContent } from './snapshot-model.js';
import { lowerWorkerThreadPriority } from '../config/thread-priority.js';
import { readContentFrom, type ContentSource } from '../snapshots/content-source.js';

// Below the event loop's priority (thread-priority.ts).
lowerWorkerThreadPriority();

/** The content, or where this thread reads it (content-source.ts: never through the event loop). */
export type AnalysisTask =
  | { readonly content: Uint8Array; readonly options: EngineOptions }
  | { readonly contentFrom: ContentSource; readonly options: EngineOptions };

export interface AnalysisTaskResult {
  /** Engine errors: the content cannot be analysed (no artefacts then). */
  readonly errors: readonly Issue[];
  /** Encoded artefacts by registry kind, as `analysis_results.payload` holds them. */
  readonly artefacts: Record<string, Uint8Array>;
  readonly workloads: number;
  readonly analysisMs: number;
  /** The content's size (read here when the task gave where); null: the store has no such content. */
  readonly contentBytes: number | null;
}

export default function analyseTask(task: AnalysisTask): AnalysisTaskResult | Promise<AnalysisTaskResult> {
  if ('content' in task) return analyseContent(task.content, task.options);
  return readContentFrom(task.contentFrom).then((content) =>
    content ? analyseContent(content, task.options) : { errors: [], artefacts: {}, workloads: 0, analysisMs: 0, contentBytes: null },
  );
}

function analyseContent(content: Uint8Array, options: EngineOptions): AnalysisTaskResult {
  const started = performance.now();
  const contentBytes = content.byteLength;
  const model = modelFromContent(Buffer.from(content.buffer, content.byteOffset, content.byteLength), options);
  const workloads = model.snapshot.workloads.length;
  if (model.errors.length > 0) return { errors: model.errors, artefacts: {}, workloads, analysisMs: performance.now() - started, contentBytes };
  const analysis = analyze(model.snapshot);
  const artefacts: Record<string, Uint8Array> = {};
  for (const artefact of DERIVED_ARTEFACTS) {
    try {
      artefacts[artefact.kind] = artefact.encode(artefact.compute(analysis, model));
    } catch (error) {
      if (!artefact.optional) throw error;
    }
  }
  return { errors: [], artefacts, workloads, analysisMs: performance.now() - started, contentBytes };
}
