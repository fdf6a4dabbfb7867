// Paged LIST requests (`limit` + `continue`), as kubectl does with --chunk-size.
import type { ApiResponse, KubeApiClient } from './kube-api.js';
import { CollectError, EXIT_FAILURE } from './errors.js';

export type JsonObject = Record<string, unknown>;

/** A refusal the caller decides about (403 → missing, 404 → missing or not installed). */
export interface ApiRefusal {
  readonly status: number;
  readonly reason: string;
  readonly message: string;
}

export type ListOutcome<T> = { readonly ok: true; readonly items: T[]; readonly pages: number } | ({ readonly ok: false } & ApiRefusal);

/** Statuses returned to the caller instead of failing the whole collection. */
const REFUSALS = new Set([403, 404]);
/** Throttling / overload answers worth a short retry (API Priority and Fairness answers 429). */
const RETRYABLE = new Set([429, 503]);
const MAX_RETRIES = 3;

export interface ListOptions<T> {
  readonly chunkSize: number;
  /** Called for each item with the list's `apiVersion` and item kind (list kind minus `List`). */
  readonly transform: (item: JsonObject, listApiVersion: string, itemKind: string) => T;
  /** Called after each page with the number of items so far. */
  readonly onPage?: (itemsSoFar: number, page: number) => void;
  /** Waits between retries; replaceable so tests need not sleep. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export async function listAll<T>(client: KubeApiClient, path: string, options: ListOptions<T>): Promise<ListOutcome<T>> {
  let restarted = false;
  for (;;) {
    const items: T[] = [];
    let continueToken: string | undefined;
    let pages = 0;
    let expired = false;
    do {
      const response = await getWithRetry(client, path, { limit: String(options.chunkSize), continue: continueToken }, options.sleep);
      if (response.status === 410 && continueToken !== undefined && !restarted) {
        // The continue token outlived etcd compaction: start the list again from a fresh, consistent read.
        expired = true;
        break;
      }
      if (REFUSALS.has(response.status)) return { ok: false, ...refusalOf(response) };
      if (response.status !== 200) throw failure(path, response);
      const list = response.body as JsonObject | undefined;
      if (!list || !Array.isArray(list.items)) throw new CollectError(`unexpected answer to GET ${path}: not a list`, EXIT_FAILURE);
      const listApiVersion = typeof list.apiVersion === 'string' ? list.apiVersion : '';
      const itemKind = typeof list.kind === 'string' ? list.kind.replace(/List$/, '') : '';
      for (const item of list.items as unknown[]) {
        if (item !== null && typeof item === 'object' && !Array.isArray(item)) items.push(options.transform(item as JsonObject, listApiVersion, itemKind));
      }
      pages++;
      options.onPage?.(items.length, pages);
      const metadata = (list.metadata ?? {}) as JsonObject;
      continueToken = typeof metadata.continue === 'string' && metadata.continue !== '' ? metadata.continue : undefined;
    } while (continueToken !== undefined);
    if (!expired) return { ok: true, items, pages };
    restarted = true;
  }
}

/** GET that retries throttling answers, honouring `Retry-After` seconds from the Status details (capped). */
export async function getWithRetry(
  client: KubeApiClient,
  path: string,
  query: Readonly<Record<string, string | undefined>>,
  sleep: (ms: number) => Promise<void> = defaultSleep,
): Promise<ApiResponse> {
  for (let attempt = 0; ; attempt++) {
    const response = await client.get(path, query);
    if (!RETRYABLE.has(response.status) || attempt >= MAX_RETRIES) return response;
    const details = ((response.body as JsonObject | undefined)?.details ?? {}) as JsonObject;
    const seconds = typeof details.retryAfterSeconds === 'number' ? details.retryAfterSeconds : attempt + 1;
    await sleep(Math.min(seconds, 10) * 1000);
  }
}

export function refusalOf(response: ApiResponse): ApiRefusal {
  const status = (response.body ?? {}) as JsonObject;
  const reason = typeof status.reason === 'string' && status.reason !== '' ? status.reason : `HTTP ${response.status}`;
  const message = typeof status.message === 'string' ? status.message : '';
  return { status: response.status, reason, message };
}

/** Any other status ends the collection: the snapshot would be silently incomplete. */
export function failure(path: string, response: ApiResponse): CollectError {
  const { reason, message } = refusalOf(response);
  const hint = response.status === 401 ? ' (the kubeconfig credentials were rejected)' : '';
  return new CollectError(`GET ${path} failed: ${response.status} ${reason}${message ? `: ${message}` : ''}${hint}`, EXIT_FAILURE);
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
