// The workspace's allowed dependency graph, checked against the real imports by tools/test/import-graph.spec.ts
// (the @nx/* module-boundary plugins do not support Nest 12, so the rule lives here as data).
export const projects = {
  engine: { root: 'libs/engine/src', tags: ['scope:engine', 'type:lib'] },
  'report-pdf': { root: 'libs/report-pdf/src', tags: ['scope:report-pdf', 'type:lib'] },
  cli: { root: 'apps/cli/src', tags: ['scope:cli', 'type:app'] },
  api: { root: 'apps/api/src', tags: ['scope:api', 'type:app'] },
  dashboard: { root: 'apps/dashboard/src', tags: ['scope:dashboard', 'type:app'] },
};

/** Which workspace projects each project may import. */
export const allowedProjectDeps = {
  engine: [],
  // The report as PDF (pdfkit reads font files, so it is not in the engine), for the CLI and the server alike.
  'report-pdf': ['engine'],
  cli: ['engine', 'report-pdf'],
  api: ['engine', 'report-pdf'],
  dashboard: [],
};

/**
 * The engine is pure: parsing, set algebra, evaluation, diff. No framework, persistence, transport or I/O module,
 * so it runs anywhere in milliseconds. Only these external packages (and no node built-ins) are allowed.
 */
export const engineAllowedPackages = ['yaml', 'js-yaml', 'ip-num'];

/** Packages that must never appear in the engine, named for clear failure messages. */
export const engineForbidden = [
  '@nestjs/', 'typeorm', 'pdfkit', '@apollo/', 'graphql', 'express', 'pg', 'node:fs', 'fs', 'node:child_process',
  'child_process', 'node:net', 'net', 'node:http', 'http', 'node:https', 'https', 'node:dgram', 'node:tls',
];
