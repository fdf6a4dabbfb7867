// Typed GraphQL errors: clients branch on `extensions.code`, never on message text.
import { GraphQLError } from 'graphql';

export type ErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'ALREADY_EXISTS' | 'PAYLOAD_TOO_LARGE';

export function graphQLError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

export const badUserInput = (message: string, extensions?: Record<string, unknown>) =>
  graphQLError('BAD_USER_INPUT', message, extensions);

export const notFound = (message: string, extensions?: Record<string, unknown>) => graphQLError('NOT_FOUND', message, extensions);

export const alreadyExists = (message: string) => graphQLError('ALREADY_EXISTS', message);
