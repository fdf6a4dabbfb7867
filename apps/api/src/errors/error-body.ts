// One error shape per API. REST: `{ statusCode, error, message, ...details }`, `error` the HTTP status's name as
// the app's own errors write it (`UNAUTHORIZED`, `FORBIDDEN`, `NOT_FOUND`, `TOO_MANY_REQUESTS`…). GraphQL (POST
// /graphql): `{ errors: [{ message, extensions: { code } }] }`. Middleware that answers before Nest writes through here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpStatus } from '@nestjs/common';

export interface RestErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: unknown;
  readonly [detail: string]: unknown;
}

/** `error` of a REST error body: the status's name (`NOT_FOUND`), as `HttpStatus` spells it. */
export function restErrorName(status: number): string {
  return (HttpStatus as unknown as Record<number, string | undefined>)[status] ?? `HTTP_${status}`;
}

export function restErrorBody(status: number, message: unknown, details: Record<string, unknown> = {}): RestErrorBody {
  return { statusCode: status, error: restErrorName(status), message, ...details };
}

/** Requests Apollo answers: their errors are GraphQL-shaped whatever answers them. */
export function isGraphqlRequest(req: IncomingMessage): boolean {
  const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';
  return /^\/graphql(?:[/?#]|$)/.test(url);
}

/** Ends `res` with the error in the shape of the API the request went to. */
export function sendError(req: IncomingMessage, res: ServerResponse, status: number, message: string, graphqlCode: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(isGraphqlRequest(req) ? { errors: [{ message, extensions: { code: graphqlCode } }] } : restErrorBody(status, message)));
}
