#!/usr/bin/env node
// Launcher committed so npm links the bin at install time; the compiled CLI is built by the root `prepare`.
import { existsSync } from 'node:fs';
const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('netpol: the CLI is not built; run `npm run build` (or `npm ci`, whose prepare step builds it)\n');
  process.exit(2);
}
await import(entry.href);
