// The ONE projection (the fields analysis needs) that `push` and the server's ingest apply too, from the engine:
// managedFields, annotations, status noise, images, env… are dropped as each page arrives, so a 50k-pod read
// holds only what the snapshot keeps.
import { type KubeObject, projectObject } from '@netpol-atlas/engine';
import type { JsonObject } from './list.js';

export function projectForSnapshot(object: JsonObject): JsonObject {
  // Items come from the API server, so they are objects with metadata; the projection copies, never mutates.
  return projectObject(object as unknown as KubeObject) as unknown as JsonObject;
}
