import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';

/** The SDL checked in as apps/api/schema.graphql: sorted, so it only changes when the API does. */
export function schemaSdl(schema: GraphQLSchema): string {
  return [
    '# Netpol Atlas GraphQL API (code-first). Generated from apps/api/src; do not edit by hand.',
    '# Regenerate: cd apps/api && UPDATE_SCHEMA=1 npx vitest run test/graphql-schema.spec.ts',
    '',
    printSchema(lexicographicSortSchema(schema)),
    '',
  ].join('\n');
}
