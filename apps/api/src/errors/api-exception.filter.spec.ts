// A full thread pool answers 503 with Retry-After over REST, and SERVICE_UNAVAILABLE with retryAfterSeconds (and the
// HTTP status and header) over GraphQL.
import type { ArgumentsHost } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { AnalysisPoolFullError } from '../analysis/analysis-pool.js';
import { ModelHostFullError } from '../analysis/model-host.js';
import { ApiExceptionFilter } from './api-exception.filter.js';

function host(type: 'http' | 'graphql') {
  const headers = new Map<string, string>();
  const res = { statusCode: 200, headersSent: false, body: '', setHeader: (name: string, value: string) => headers.set(name.toLowerCase(), value), end: (body: string) => (res.body = body), destroy: () => undefined };
  const argumentsHost = { getType: () => type, switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  return { argumentsHost, res, headers };
}

describe('ApiExceptionFilter', () => {
  for (const error of [new ModelHostFullError(64), new AnalysisPoolFullError(64)]) {
    it(`${error.name}: REST 503 + Retry-After; GraphQL SERVICE_UNAVAILABLE + retryAfterSeconds`, () => {
      const rest = host('http');
      new ApiExceptionFilter().catch(error, rest.argumentsHost);
      expect(rest.res.statusCode).toBe(503);
      expect(rest.headers.get('retry-after')).toBe(String(error.retryAfterSeconds));
      expect(JSON.parse(rest.res.body).message).toContain('try again later');
      const graphql = new ApiExceptionFilter().catch(error, host('graphql').argumentsHost) as GraphQLError;
      expect(graphql).toBeInstanceOf(GraphQLError);
      expect(graphql.extensions.code).toBe('SERVICE_UNAVAILABLE');
      expect(graphql.extensions.retryAfterSeconds).toBe(error.retryAfterSeconds);
      expect((graphql.extensions.http as { status: number; headers: Map<string, string> }).headers.get('retry-after')).toBe(String(error.retryAfterSeconds));
    });
  }
});
