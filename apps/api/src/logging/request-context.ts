// A request id for every request: the caller's `X-Request-Id` when it is a plain token, else a new UUID; echoed in
// the response header and attached to every log line written while the request is served (JSON logs).
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const storage = new AsyncLocalStorage<{ readonly requestId: string }>();
const ACCEPTED_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The id of the request being served, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

export interface RequestLog {
  readonly requestId: string;
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly ms: number;
}

/** Express middleware; `onDone` gets one record per finished request (the JSON log's access line). */
export function requestContext(onDone?: (record: RequestLog) => void): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && ACCEPTED_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    if (onDone) {
      const started = performance.now();
      res.once('finish', () => {
        const matched = req as IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };
        const pattern = matched.route?.path;
        onDone({
          requestId,
          method: req.method ?? 'GET',
          // The route pattern, never the raw path (ids, query strings with names).
          route: typeof pattern === 'string' ? `${matched.baseUrl ?? ''}${pattern}` : 'unmatched',
          status: res.statusCode,
          ms: Math.round((performance.now() - started) * 10) / 10,
        });
      });
    }
    storage.run({ requestId }, next);
  };
}
