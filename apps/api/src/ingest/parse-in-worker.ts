// Large uploads are parsed off the event loop: a worker thread (apps/api/workers/parse-upload.mjs) runs the engine's
// ProjectedUploadStream on the chunks posted to it and derives the stored content and normalised objects
// (prepared-upload.ts), under a heap budget proportional to the body limit. A body that
// needs more than its budget ends the worker (not the server) and is refused (413), whether it runs out while
// parsing or while deriving the rows (the upload's transaction is then rolled back).
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { API_ROOT } from '../config/paths.js';
import { MiB } from '../config/app-config.js';
import type { ObjectColumns } from '../snapshots/objects/snapshot-object-columns.js';
import { prepareUpload, type PreparedUpload } from './prepared-upload.js';
import { StreamedUpload } from './streamed-upload.js';

const WORKER_FILE = path.join(API_ROOT, 'workers', 'parse-upload.mjs');

/** Bodies at least this large (or of unknown inflated size) are parsed in a worker; smaller ones take a few ms inline. */
export const PARSE_IN_WORKER_FROM = MiB;

/** Heap budget of the parse: ~8× the body limit (parsed YAML nodes cost several times the text), 256 MiB to 8 GiB. */
export function parseBudgetMb(bodyLimit: number): number {
  return Math.min(8192, Math.max(256, Math.ceil((8 * bodyLimit) / MiB)));
}

export class ParseBudgetExceededError extends Error {
  constructor(readonly budgetMb: number) {
    super(`parsing the upload needs more than its memory budget of ${budgetMb} MiB`);
  }
}

export interface UploadParser {
  write(chunk: Buffer): void;
  /** The prepared upload (its normalised rows may still be derived), or undefined when the body is not UTF-8. */
  end(): Promise<PreparedUpload | undefined>;
  /** The body was refused while reading: stop parsing. */
  abort(): void;
}

/** The same parse on the event loop (small bodies). */
export function parseInline(file: string, splitAfterChars?: number): UploadParser {
  const upload = new StreamedUpload(file, { streamAfterChars: splitAfterChars });
  return {
    write: (chunk) => upload.write(chunk),
    end: async () => {
      const parsed = upload.end();
      return parsed && prepareUpload(parsed.projected, parsed.issues, parsed.texts);
    },
    abort: () => undefined,
  };
}

/** Bytes of body per message to the worker. */
const POST_BYTES = MiB;

export function parseInWorker(file: string, budgetMb: number, splitAfterChars?: number): UploadParser {
  const worker = new Worker(WORKER_FILE, { workerData: { file, splitAfterChars }, resourceLimits: { maxOldGenerationSizeMb: budgetMb } });
  let failure: Error | undefined;
  const prepared = settlable<PreparedUpload | undefined>();
  const normalised = settlable<ObjectColumns>();
  const stop = () => void worker.terminate();
  const fail = (error: Error) => {
    failure ??= error;
    prepared.reject(failure);
    normalised.reject(failure);
  };
  worker.on('message', (message: { prepared: PreparedUpload | null } | { normalised: ObjectColumns }) => {
    if ('normalised' in message) {
      normalised.resolve(message.normalised);
      stop();
      return;
    }
    const result = message.prepared ?? undefined;
    // Rows follow only an upload with content; anything else is the worker's last answer.
    if (!result?.content) stop();
    prepared.resolve(result && result.content ? { ...result, normalised: { get: () => normalised.promise, dismiss: stop } } : result);
  });
  worker.once('error', (error: Error & { code?: string }) => fail(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new ParseBudgetExceededError(budgetMb) : error));
  // After its last answer the worker is terminated: the exit then settles nothing.
  worker.once('exit', (code) => fail(new Error(`the parse worker exited (${code})`)));
  // The body arrives in ~16-64 KiB chunks: gathered into 1 MiB buffers of their own, each transferred (not cloned)
  // in one message, instead of thousands of cloned messages.
  let gathered: Buffer | undefined;
  let gatheredBytes = 0;
  const post = (end: boolean) => {
    if (failure) return;
    if (gathered && gatheredBytes > 0) worker.postMessage({ chunk: gathered.subarray(0, gatheredBytes), end }, [gathered.buffer as ArrayBuffer]);
    else if (end) worker.postMessage({ end });
    gathered = undefined;
    gatheredBytes = 0;
  };
  return {
    write: (chunk) => {
      for (let at = 0; at < chunk.length && !failure; ) {
        gathered ??= Buffer.allocUnsafeSlow(POST_BYTES);
        const copied = chunk.copy(gathered, gatheredBytes, at);
        gatheredBytes += copied;
        at += copied;
        if (gatheredBytes === POST_BYTES) post(false);
      }
    },
    abort: stop,
    end: async () => {
      post(true);
      try {
        return await prepared.promise;
      } catch (error) {
        stop();
        throw error;
      }
    },
  };
}

/** A promise settled from outside; a rejection nobody awaits (rows dismissed) is not an unhandled rejection. */
function settlable<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
