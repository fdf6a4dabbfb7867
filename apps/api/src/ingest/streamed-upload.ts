// The REST body parsed as it arrives (the engine's ProjectedUploadStream: UTF-8 decoded chunk by chunk, read whole at
// the end up to 256 Mi characters, a longer JSON List split item by item as it arrives; only projections kept).
// Bodies from PARSE_IN_WORKER_FROM bytes on (or of unknown size) are parsed in a worker thread with a memory budget
// (parse-in-worker.ts), so the event loop keeps serving.
import { ProjectedUploadStream } from '@netpol-atlas/engine';

export class StreamedUpload extends ProjectedUploadStream {}
