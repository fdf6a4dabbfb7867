// Worker thread of apps/api/src/ingest/parse-in-worker.ts (plain JS, so the same file serves the built server and
// the tests): parses the posted chunks with the engine's ProjectedUploadStream, derives the stored content and
// answers with it at once (`{ prepared }`: issues, counts, content bytes transferred), then derives the normalised
// objects and answers with those, encoded as INSERT parameters (`{ normalised }`), so the server writes the content meanwhile
// (prepared-upload.ts). The projected objects never cross to the event loop.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { ProjectedUploadStream } from '@netpol-atlas/engine';

const dist = path.join(import.meta.dirname, '..', 'dist', 'apps', 'api', 'src');
const preparedModule = path.join(dist, 'ingest', 'prepared-upload.js');
if (!existsSync(preparedModule)) throw new Error(`the API is not built (${preparedModule}): run \`npm run build\``);
const { prepareContent } = await import(pathToFileURL(preparedModule).href);
const { normaliseSnapshot } = await import(pathToFileURL(path.join(dist, 'snapshots', 'objects', 'snapshot-objects.js')).href);
const { objectColumns } = await import(pathToFileURL(path.join(dist, 'snapshots', 'objects', 'snapshot-object-columns.js')).href);
const { lowerWorkerThreadPriority } = await import(pathToFileURL(path.join(dist, 'config', 'thread-priority.js')).href);

// Below the event loop's priority: a 126 MB upload's parse must not take the core other requests need.
lowerWorkerThreadPriority();

let upload = new ProjectedUploadStream(workerData.file, { streamAfterChars: workerData.splitAfterChars });
parentPort.on('message', (message) => {
  if (message.chunk) upload.write(message.chunk);
  if (!message.end) return;
  const { prepared, objects } = prepare(endUpload());
  // contentBytes gives the content an ArrayBuffer of its own: transferred, not copied.
  parentPort.postMessage({ prepared }, prepared?.content ? [prepared.content.bytes.buffer] : []);
  if (!objects) return;
  const normalised = objectColumns(normaliseSnapshot(objects));
  // Each batch's bytes have an ArrayBuffer of their own: transferred, not copied.
  parentPort.postMessage({ normalised }, normalised.batches.map((batch) => batch.json.buffer));
});

/** The parse's result; the stream (which holds every projection and its text) is let go. */
function endUpload() {
  const parsed = upload.end();
  upload = undefined;
  return parsed;
}

/** The content, and the objects its rows are derived from: the texts (~60 MB at 50k pods) are not held after it. */
function prepare(parsed) {
  if (!parsed) return { prepared: null };
  return prepareContent(parsed.projected, parsed.issues, parsed.texts);
}
