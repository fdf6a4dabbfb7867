// GraphQL Code Generator: typed documents for every `graphql(...)` call in src, from the API's checked-in schema.
// Regenerate after changing a document or apps/api/schema.graphql: `npm run codegen -w @netpol-atlas/dashboard`
// (test/codegen.spec.ts fails while src/gql is stale).
import type { CodegenConfig } from '@graphql-codegen/cli';

export const codegenConfig: CodegenConfig = {
  schema: '../api/schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**'],
  ignoreNoDocuments: false,
  // Generated imports carry .js (the tests compile src with nodenext resolution).
  emitLegacyCommonJSImports: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        skipTypename: true,
        avoidOptionals: { field: true, object: true, inputValue: false, defaultValue: false },
        scalars: { DateTime: 'string', ID: 'string' },
      },
    },
  },
};

export default codegenConfig;
