#!/usr/bin/env node
// Launcher committed so npm links the bin at install time; the CLI is built (tsc, then bundled by rolldown into
// dist/bundle/, see rolldown.config.mjs) by the root `prepare`.
import { existsSync } from 'node:fs';
const entry = new URL('../dist/bundle/netpol.mjs', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('netpol: the CLI is not built; run `npm run build` (or `npm ci`, whose prepare step builds it)\n');
  process.exit(2);
}
await import(entry.href);
