// Large uploads are parsed off the event loop: a worker thread (apps/api/workers/parse-upload.mjs) runs the engine's
// ProjectedUploadStream on the chunks posted to it and derives the stored content and normalised objects
// (prepared-upload.ts), under a heap budget proportional to the body limit. A body that
// needs more than its budget ends the worker (not the server) and is refused (413).
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { API_ROOT } from '../config/paths.js';
import { MiB } from '../config/app-config.js';
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
  /** The prepared upload, or undefined when the body is not UTF-8. */
  end(): Promise<PreparedUpload | undefined>;
  /** The body was refused while reading: stop parsing. */
  abort(): void;
}

/** The same parse on the event loop (small bodies). */
export function parseInline(file: string): UploadParser {
  const upload = new StreamedUpload(file);
  return {
    write: (chunk) => upload.write(chunk),
    end: async () => {
      const parsed = upload.end();
      return parsed && prepareUpload(parsed.projected, parsed.issues);
    },
    abort: () => undefined,
  };
}

export function parseInWorker(file: string, budgetMb: number): UploadParser {
  const worker = new Worker(WORKER_FILE, { workerData: { file }, resourceLimits: { maxOldGenerationSizeMb: budgetMb } });
  let failure: Error | undefined;
  const done = new Promise<PreparedUpload | undefined>((resolve, reject) => {
    worker.once('message', (message: { result: PreparedUpload | null }) => resolve(message.result ?? undefined));
    worker.once('error', (error: Error & { code?: string }) => {
      failure = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new ParseBudgetExceededError(budgetMb) : error;
      reject(failure);
    });
    worker.once('exit', (code) => reject(failure ?? new Error(`the parse worker exited (${code})`)));
  });
  // Settled by end(); a failure before then must not be an unhandled rejection.
  done.catch(() => undefined);
  return {
    write: (chunk) => {
      if (!failure) worker.postMessage({ chunk });
    },
    abort: () => void worker.terminate(),
    end: async () => {
      if (!failure) worker.postMessage({ end: true });
      try {
        return await done;
      } finally {
        void worker.terminate();
      }
    },
  };
}
