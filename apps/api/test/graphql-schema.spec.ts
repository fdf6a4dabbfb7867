// The checked-in schema.graphql is the API contract: this fails when the code-first schema drifts from it.
import { readFileSync, writeFileSync } from 'node:fs';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_FILE } from '../src/config/paths.js';
import { schemaSdl } from '../src/graphql/schema-sdl.js';
import { startApp, type TestApp } from './support/app.js';

describe('schema.graphql', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t?.close());

  it('matches the schema the server builds (UPDATE_SCHEMA=1 rewrites it)', () => {
    const sdl = schemaSdl(t.app.get(GraphQLSchemaHost).schema);
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(SCHEMA_FILE, sdl);
    expect(readFileSync(SCHEMA_FILE, 'utf8'), 'schema drift: run UPDATE_SCHEMA=1 npx vitest run test/graphql-schema.spec.ts in apps/api').toBe(sdl);
  });

  it('declares the Relay connections and the page-size cap', () => {
    const sdl = readFileSync(SCHEMA_FILE, 'utf8');
    expect(sdl).toContain('clusters(\n    """Return the items after this cursor (an `endCursor`)."""\n    after: String\n    filter: ClusterFilterInput\n\n    """Page size, 1 to 100."""\n    first: Int! = 20\n  ): ClusterConnection!');
    for (const type of ['ClusterConnection', 'SnapshotConnection', 'NamespaceConnection', 'WorkloadConnection', 'PodConnection', 'PolicyConnection', 'ClusterInventoryConnection']) {
      expect(sdl).toMatch(new RegExp(`type ${type} \\{[^}]*edges: \\[\\w+Edge!\\]!\\n[^}]*pageInfo: PageInfo!\\n[^}]*totalCount: Int!`));
    }
    expect(sdl).toMatch(/type PageInfo \{[^}]*endCursor: String\n[^}]*hasNextPage: Boolean!/);
  });
});
