// Typed GraphQL errors: clients branch on `extensions.code`, never on message text.
import { GraphQLError } from 'graphql';

export type ErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'ALREADY_EXISTS' | 'PAYLOAD_TOO_LARGE' | 'TOO_MANY_ITEMS';

export function graphQLError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

export const badUserInput = (message: string, extensions?: Record<string, unknown>) =>
  graphQLError('BAD_USER_INPUT', message, extensions);

export const notFound = (message: string, extensions?: Record<string, unknown>) => graphQLError('NOT_FOUND', message, extensions);

export const alreadyExists = (message: string) => graphQLError('ALREADY_EXISTS', message);

/**
 * Unpaged list fields (kept beside their paged forms for API compatibility) answer at most this many items. Past it,
 * building, executing and writing every item held the event loop for everyone: at 50k pods `namespaceMatrix { cells }`
 * (191k cells) blocked it 1.4–1.6 s, `lint { findings }` (17k findings, 74 MB) ~0.6 s.
 */
export const MAX_UNPAGED_ITEMS = 5_000;

/** Refuses an unpaged list of `count` items past MAX_UNPAGED_ITEMS, before any item is built; `paged` says what
 *  to ask for instead. */
export function assertUnpagedCount(field: string, count: number, paged: string): void {
  if (count <= MAX_UNPAGED_ITEMS) return;
  throw graphQLError('TOO_MANY_ITEMS', `${field} would list ${count} items; unpaged lists hold at most ${MAX_UNPAGED_ITEMS}: ask for ${paged}`, {
    count,
    maxItems: MAX_UNPAGED_ITEMS,
    paged,
  });
}
