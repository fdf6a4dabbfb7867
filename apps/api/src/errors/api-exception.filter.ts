// One exception filter for REST and GraphQL resolvers. Typed answers (HttpException, GraphQLError) pass unchanged;
// "database unreachable" becomes 503 / SERVICE_UNAVAILABLE; anything else is a 500 / INTERNAL_SERVER_ERROR whose
// answer says nothing about SQL, stacks or hosts. The log gets the error's class and message only: never a query's
// parameter array (an upload's objects), which TypeORM's QueryFailedError carries.
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable } from './database-unavailable.js';
import { restErrorBody } from './error-body.js';

const UNAVAILABLE = 'the database is unreachable; try again later';
const INTERNAL = 'internal server error';

const GRAPHQL_CODES: Record<number, string> = { 400: 'BAD_REQUEST', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 413: 'PAYLOAD_TOO_LARGE', 429: 'RATE_LIMITED', 503: 'SERVICE_UNAVAILABLE' };

/** A one-line description for the log: class, SQLSTATE and message, no parameters. */
export function describeForLog(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 500);
  const code = (error as { code?: unknown }).code ?? (error as { driverError?: { code?: unknown } }).driverError?.code;
  return `${error.name}${code ? ` [${String(code)}]` : ''}: ${error.message.slice(0, 500)}`;
}

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): unknown {
    const graphql = host.getType<string>() === 'graphql';
    if (error instanceof GraphQLError) return error;
    if (error instanceof HttpException) {
      // A busy pool says when to come back (Retry-After), over REST and GraphQL alike.
      const retryAfter = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
      const wait = typeof retryAfter === 'number' ? String(retryAfter) : undefined;
      if (!graphql) return this.send(host, error.getStatus(), restBody(error), wait);
      const body = error.getResponse();
      const message = typeof body === 'object' && body && 'message' in body ? String((body as { message: unknown }).message) : error.message;
      const code = GRAPHQL_CODES[error.getStatus()] ?? 'BAD_REQUEST';
      if (wait === undefined) return new GraphQLError(message, { extensions: { code } });
      return new GraphQLError(message, {
        extensions: { code, retryAfterSeconds: Number(wait), http: { status: error.getStatus(), headers: new Map([['retry-after', wait]]) } },
      });
    }
    if (isDatabaseUnavailable(error)) {
      this.logger.warn(`database unavailable: ${describeForLog(error)}`);
      if (graphql) return new GraphQLError(UNAVAILABLE, { extensions: { code: 'SERVICE_UNAVAILABLE' } });
      return this.send(host, 503, restErrorBody(503, UNAVAILABLE));
    }
    this.logger.error(describeForLog(error));
    if (graphql) return new GraphQLError(INTERNAL, { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    return this.send(host, 500, restErrorBody(500, INTERNAL));
  }

  private send(host: ArgumentsHost, status: number, body: object, retryAfter?: string): void {
    const res = host.switchToHttp().getResponse<ServerResponse>();
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.statusCode = status;
    if (retryAfter !== undefined) res.setHeader('Retry-After', retryAfter);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(body));
  }
}

/**
 * An HttpException's REST body in the one shape: Nest's own (401/403 from the guard, 404 for an unknown route)
 * say `error: "Not Found"`; the status's code name (`NOT_FOUND`) replaces it, as the app's own errors write it.
 */
function restBody(error: HttpException): object {
  const status = error.getStatus();
  const response = error.getResponse();
  if (typeof response !== 'object' || response === null) return restErrorBody(status, typeof response === 'string' ? response : error.message);
  // A typed answer that is no error message (GET /readyz's readiness) is sent as it is.
  if (!('message' in response) && !('statusCode' in response)) return response;
  const { statusCode: _statusCode, error: _error, message, ...details } = response as Record<string, unknown>;
  return restErrorBody(status, message ?? error.message, details);
}

/**
 * Apollo's formatError: the last word on every GraphQL error (parse, validation, resolvers, plugins). An error that
 * is not one of the API's typed answers loses its message (it may quote SQL or a host) and its stack.
 */
export function formatGraphQLError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  const { stacktrace: _stack, exception: _exception, ...extensions } = formatted.extensions ?? {};
  if (code === undefined || code === 'INTERNAL_SERVER_ERROR') {
    return { message: INTERNAL, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
  return { ...formatted, extensions };
}
