// The dashboard's GraphQL documents must stay valid against the API's checked-in schema (apps/api/schema.graphql,
// which the API's own test keeps equal to the code), and the generated types in src/gql must match the documents:
// a renamed field or a stale `npm run codegen` fails here, before any browser runs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { buildSchema, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { codegenConfig } from '../codegen.js';
import * as documentsModule from '../src/gql/graphql.js';
import * as queries from '../src/api/queries.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const SCHEMA_FILE = path.resolve(ROOT, '../api/schema.graphql');

const documents = Object.entries(documentsModule as Record<string, unknown>).filter(
  (entry): entry is [string, DocumentNode] => entry[0].endsWith('Document') && typeof entry[1] === 'object' && entry[1] !== null,
);

describe('dashboard GraphQL documents', () => {
  let schema: GraphQLSchema;
  beforeAll(() => {
    schema = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
  });

  it('are generated for every query of queries.ts', () => {
    expect(documents.length).toBeGreaterThanOrEqual(12);
    for (const name of ['DashboardClustersDocument', 'DashboardReachabilityDocument', 'DashboardConnectivityDocument']) {
      expect(documents.map(([n]) => n)).toContain(name);
    }
  });

  it.each(documents)('%s is valid against apps/api/schema.graphql', (_name, document) => {
    const errors = validate(schema, document).map((error) => error.message);
    expect(errors).toEqual([]);
  });

  it('ask for pages within the API cap (first ≤ 100)', () => {
    for (const size of Object.values(queries.PAGE_SIZES)) expect(size).toBeLessThanOrEqual(100);
  });

  it('src/gql is what GraphQL Code Generator makes of the documents today (run `npm run codegen` if not)', async () => {
    const cwd = process.cwd();
    process.chdir(ROOT);
    try {
      const outputs = await generate({ ...codegenConfig, silent: true, cwd: ROOT }, false);
      expect(outputs.length).toBeGreaterThan(0);
      for (const output of outputs) {
        const file = path.resolve(ROOT, output.filename);
        expect(readFileSync(file, 'utf8'), `${output.filename} is stale`).toBe(output.content);
      }
    } finally {
      process.chdir(cwd);
    }
  }, 60_000);
});
