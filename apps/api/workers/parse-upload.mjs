// Worker thread of apps/api/src/ingest/parse-in-worker.ts (plain JS, so the same file serves the built server and
// the tests): parses the posted chunks with the engine's ProjectedUploadStream, then derives the stored content and
// the normalised objects here (prepared-upload.ts, from the build), and answers with those: the content bytes are
// transferred, the projected objects never cross to the event loop.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { ProjectedUploadStream } from '@netpol-atlas/engine';

const prepared = path.join(import.meta.dirname, '..', 'dist', 'apps', 'api', 'src', 'ingest', 'prepared-upload.js');
if (!existsSync(prepared)) throw new Error(`the API is not built (${prepared}): run \`npm run build\``);
const { prepareUpload } = await import(pathToFileURL(prepared).href);

const upload = new ProjectedUploadStream(workerData.file);
parentPort.on('message', (message) => {
  if (message.chunk) upload.write(message.chunk);
  if (!message.end) return;
  const parsed = upload.end();
  if (!parsed) return parentPort.postMessage({ result: null });
  const result = prepareUpload(parsed.projected, parsed.issues);
  let transfer = [];
  if (result.content) {
    // A buffer of its own (not a slice of Node's pool), so it can be transferred whole.
    const { bytes } = result.content;
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
    result.content = { ...result.content, bytes: own };
    transfer = [own.buffer];
  }
  parentPort.postMessage({ result }, transfer);
});
