// The dashboard's GraphQL documents must stay valid against the API's checked-in schema (apps/api/schema.graphql,
// which the API's own test keeps equal to the code): a renamed field fails here, before any browser runs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, validate, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import * as queries from '../src/api/queries.js';

const SCHEMA_FILE = path.resolve(import.meta.dirname, '../../api/schema.graphql');

const documents = Object.entries(queries as Record<string, unknown>).filter(
  (entry): entry is [string, string] => entry[0].endsWith('_QUERY') && typeof entry[1] === 'string',
);

describe('dashboard GraphQL documents', () => {
  let schema: GraphQLSchema;
  beforeAll(() => {
    schema = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
  });

  it('are all found in queries.ts', () => {
    expect(documents.map(([name]) => name).sort()).toEqual([
      'CLUSTERS_QUERY',
      'CLUSTER_QUERY',
      'CONNECTIVITY_QUERY',
      'EXPOSURE_QUERY',
      'NAMESPACE_MATRIX_QUERY',
      'REACHABILITY_QUERY',
      'SNAPSHOT_HEADER_QUERY',
      'SNAPSHOT_NAMESPACES_PAGE_QUERY',
      'SNAPSHOT_POLICIES_PAGE_QUERY',
      'SNAPSHOT_QUERY',
      'SNAPSHOT_WORKLOADS_PAGE_QUERY',
      'WORKLOAD_OPTIONS_QUERY',
    ]);
  });

  it.each(documents)('%s is valid against apps/api/schema.graphql', (_name, document) => {
    const errors = validate(schema, parse(document)).map((error) => error.message);
    expect(errors).toEqual([]);
  });

  it('ask for pages within the API cap (first ≤ 100)', () => {
    for (const size of Object.values(queries.PAGE_SIZES)) expect(size).toBeLessThanOrEqual(100);
  });
});
