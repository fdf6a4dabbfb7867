// The arguments of an upload, checked once for both transports (REST query/path, GraphQL args): the cluster
// name, the capture time, the size of an inline body. Problems are IngestRejectedErrors naming the argument;
// each transport maps them (REST status + message, GraphQL BAD_USER_INPUT / PAYLOAD_TOO_LARGE).
import { describeByteSize } from '../config/app-config.js';
import { futureCapturedAtProblem, parseRfc3339 } from './captured-at.js';
import { clusterNameProblem } from './cluster-name.js';
import { IngestRejectedError } from './ingest-errors.js';

export interface IngestArguments {
  readonly cluster: string;
  /** RFC 3339 text as sent; absent = the upload time. */
  readonly capturedAt?: string | null;
}

export interface CheckedIngestArguments {
  readonly cluster: string;
  readonly capturedAt?: Date;
}

export function checkIngestArguments(args: IngestArguments): CheckedIngestArguments {
  const nameProblem = clusterNameProblem(args.cluster);
  if (nameProblem) throw new IngestRejectedError(400, nameProblem, [], 0, 'cluster');
  if (args.capturedAt == null) return { cluster: args.cluster };
  const capturedAt = parseRfc3339(args.capturedAt);
  if (!capturedAt) {
    throw new IngestRejectedError(400, `capturedAt must be an RFC 3339 date-time such as 2026-11-27T10:00:00Z, got ${JSON.stringify(args.capturedAt)}`, [], 0, 'capturedAt');
  }
  const future = futureCapturedAtProblem(capturedAt);
  if (future) throw new IngestRejectedError(422, future, [], 0, 'capturedAt');
  return { cluster: args.cluster, capturedAt };
}

/** An inline body (GraphQL `manifests`) over the body limit: 413 before any parsing. */
export function checkInlineBodySize(bytes: number, limit: number, argument: string): void {
  if (bytes > limit) throw new IngestRejectedError(413, `${argument} exceed NETPOL_BODY_LIMIT = ${describeByteSize(limit)}`, [], 0, argument, limit);
}
