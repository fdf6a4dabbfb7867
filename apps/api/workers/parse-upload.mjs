// Worker thread of apps/api/src/ingest/parse-in-worker.ts (plain JS, so the same file serves the built server and
// the tests): parses the posted chunks with the engine's ProjectedUploadStream, answers with the projections.
import { parentPort, workerData } from 'node:worker_threads';
import { ProjectedUploadStream } from '@netpol-atlas/engine';

const upload = new ProjectedUploadStream(workerData.file);
parentPort.on('message', (message) => {
  if (message.chunk) upload.write(message.chunk);
  if (message.end) parentPort.postMessage({ result: upload.end() ?? null });
});
