// The worker thread of parse-threads.ts: started while the main thread reads the input (so its start-up and the
// engine's loading overlap the read), it is then posted the text and the split item, and reads the List's tail from
// there while the main thread reads the head. Posts the tail's outcome as JSON text: plain data, and a string is
// posted by one copy, where structured cloning 47k projected objects costs ~3x JSON.stringify + JSON.parse (L cluster).
import { parentPort, workerData } from 'node:worker_threads';
import { readJsonListSlice, type JsonListSliceOutcome, type ParseOptions } from '@netpol-atlas/engine';

export interface ParseWorkerData {
  readonly options: ParseOptions;
}

/** What the main thread posts once it has read the file. */
export interface ParseWorkerTask {
  readonly file: string;
  readonly text: string;
  readonly split: number;
}

const { options } = workerData as ParseWorkerData;
parentPort?.once('message', ({ file, text, split }: ParseWorkerTask) => {
  let outcome: JsonListSliceOutcome;
  try {
    outcome = readJsonListSlice(file, text, { part: 'tail', split }, options);
  } catch (error) {
    outcome = { ok: false, reason: String(error) };
  }
  parentPort?.postMessage(JSON.stringify(outcome));
});
