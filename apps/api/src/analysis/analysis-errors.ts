// Analysis failures as typed GraphQL errors (clients branch on extensions.code).
import { EvaluateError } from '@netpol-atlas/engine';
import { GraphQLError } from 'graphql';
import { badUserInput, notFound } from '../graphql/errors.js';
import { SnapshotNotAnalysableError } from './analysis.service.js';
import { BarePeerError } from './bare-peer.js';
import { ListingTooLargeError } from './listing-bound.js';

export const SNAPSHOT_NOT_ANALYSABLE = 'SNAPSHOT_NOT_ANALYSABLE';
export const LISTING_TOO_LARGE = 'LISTING_TOO_LARGE';

/** Maps engine and analysis errors; anything else is rethrown as it is (a server fault). */
export function toGraphQLError(error: unknown, argument?: string): unknown {
  if (error instanceof SnapshotNotAnalysableError) {
    return new GraphQLError(error.message, {
      extensions: {
        code: SNAPSHOT_NOT_ANALYSABLE,
        issues: error.issues.map((issue) => ({ code: issue.code, severity: issue.severity, message: issue.message, path: issue.path })),
      },
    });
  }
  if (error instanceof ListingTooLargeError) {
    return new GraphQLError(error.message, { extensions: { code: LISTING_TOO_LARGE, rows: error.rows, maxRows: error.maxRows } });
  }
  if (error instanceof BarePeerError) {
    // As the CLI words a bare --src/--dst: the workloads of that name (extensions.candidates and the message).
    return badUserInput(error.message, { argument: error.argument, fields: ['ref'], ...(error.candidates.length > 0 ? { candidates: error.candidates } : {}) });
  }
  if (error instanceof EvaluateError) {
    // The message says "did you mean …" like the CLI's (the engine's wording); candidates lists the near names.
    if (error.code === 'UNKNOWN_PEER') return notFound(error.message, error.candidates.length > 0 ? { candidates: error.candidates } : undefined);
    const extensions: Record<string, unknown> = { reason: error.code };
    if (argument) extensions.argument = argument;
    if (error.candidates.length > 0) extensions.candidates = error.candidates;
    return badUserInput(error.message, extensions);
  }
  return error;
}

/** Runs `task`, mapping its failures with toGraphQLError. */
export async function mapAnalysisErrors<T>(task: () => Promise<T> | T, argument?: string): Promise<T> {
  try {
    return await task();
  } catch (error) {
    throw toGraphQLError(error, argument);
  }
}
