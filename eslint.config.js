// Lint for every project. The engine boundary is also enforced here (and, over the real import graph,
// by tools/test/import-graph.spec.ts).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { engineForbidden } from './tools/project-graph.mjs';

const forbiddenPatterns = engineForbidden.map((name) => ({
  group: name.endsWith('/') ? [`${name}*`] : [name, `${name}/*`],
  message: 'libs/engine is pure TypeScript: no framework, persistence, transport or I/O modules.',
}));

export default tseslint.config(
  { ignores: ['**/dist/**', '**/dist-*/**', '**/node_modules/**', '.data/**', 'apps/dashboard/vite.config.ts', 'apps/dashboard/src/gql/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  {
    // Type-aware: a promise nobody awaits loses its errors (an unhandled rejection, or a write that silently
    // never happened). Each project's tsconfig.json gives the types.
    files: ['apps/*/src/**/*.{ts,tsx}', 'libs/*/src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error', '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }] },
  },
  {
    files: ['apps/dashboard/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['libs/engine/src/**/*.ts'],
    ignores: ['libs/engine/src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: forbiddenPatterns }],
    },
  },
);
