// The arguments of an upload, checked once for both transports (REST query/path, GraphQL args): the cluster
// name, the capture time, the size of an inline body. Problems are IngestRejectedErrors naming the argument;
// each transport maps them (REST status + message, GraphQL BAD_USER_INPUT / PAYLOAD_TOO_LARGE).
import { CNI_PROFILE_NAMES, isCniProfileName, type CniProfileName } from '@netpol-atlas/engine';
import { describeByteSize } from '../config/app-config.js';
import { futureCapturedAtProblem, parseRfc3339 } from './captured-at.js';
import { clusterNameProblem } from './cluster-name.js';
import { IngestRejectedError } from './ingest-errors.js';

export interface IngestArguments {
  readonly cluster: string;
  /** RFC 3339 text as sent; absent = the upload time. */
  readonly capturedAt?: string | null;
  /** The CNI the collector detected (a profile name); absent for an ordinary upload. */
  readonly cni?: unknown;
}

export interface CheckedIngestArguments {
  readonly cluster: string;
  readonly capturedAt?: Date;
  readonly detectedCni?: CniProfileName;
}

/** Shown at most this long in a refusal (a hostile value may be megabytes). */
const SHOWN_VALUE = 64;

function detectedCni(value: unknown): CniProfileName | undefined {
  if (value === undefined) return undefined;
  if (isCniProfileName(value)) return value;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const shown = text.length > SHOWN_VALUE ? `${text.slice(0, SHOWN_VALUE)}…` : text;
  throw new IngestRejectedError(400, `cni must be one CNI profile name (${CNI_PROFILE_NAMES.join(', ')}), got ${JSON.stringify(shown)}`, [], 0, 'cni');
}

export function checkIngestArguments(args: IngestArguments): CheckedIngestArguments {
  const nameProblem = clusterNameProblem(args.cluster);
  if (nameProblem) throw new IngestRejectedError(400, nameProblem, [], 0, 'cluster');
  const cni = detectedCni(args.cni);
  const detected = cni === undefined ? {} : { detectedCni: cni };
  if (args.capturedAt == null) return { cluster: args.cluster, ...detected };
  const capturedAt = parseRfc3339(args.capturedAt);
  if (!capturedAt) {
    throw new IngestRejectedError(400, `capturedAt must be an RFC 3339 date-time such as 2026-11-27T10:00:00Z, got ${JSON.stringify(args.capturedAt)}`, [], 0, 'capturedAt');
  }
  const future = futureCapturedAtProblem(capturedAt);
  if (future) throw new IngestRejectedError(422, future, [], 0, 'capturedAt');
  return { cluster: args.cluster, capturedAt, ...detected };
}

/** An inline body (GraphQL `manifests`) over the body limit: 413 before any parsing. */
export function checkInlineBodySize(bytes: number, limit: number, argument: string): void {
  if (bytes > limit) throw new IngestRejectedError(413, `${argument} exceed NETPOL_BODY_LIMIT = ${describeByteSize(limit)}`, [], 0, argument, limit);
}
