// The exit codes a CI job branches on, as a table: each row runs the BUILT bin the way a pipeline would (on the
// demo cluster of apps/api/data and small inputs made here) and expects the code; the codes each command may
// exit with are documented once (src/registry.ts `exitCodes`), printed by `netpol --help` and copied into the
// README, and both are checked against it. Every documented code of a command is reached by a row here, or by the
// named spec of a command that needs a server or a cluster.
// Build first: npx --no-install nx run-many -t build
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, exitCodesHelp, exitCodesMarkdown, type ExitCode } from '../src/registry.js';
import { runNetpol } from './run-netpol.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const DEMO = path.join(REPO_ROOT, 'apps/api/data/demo');
const DEMO_INTENTS = path.join(REPO_ROOT, 'apps/api/data/demo-intents.yaml');
/** Before the demo intents' one exception expires (2027-06-30), and after. */
const BEFORE_EXPIRY = '2026-12-01T00:00:00Z';
const AFTER_EXPIRY = '2027-12-01T00:00:00Z';

const dir = mkdtempSync(path.join(tmpdir(), 'netpol-exit-codes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const target = path.join(dir, name);
  writeFileSync(target, text);
  return target;
};
const CLEAN = file('clean.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n');
const BROKEN = file('broken.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a}\nspec:\n  ports: [80, 443\n');
const MISSING = path.join(dir, 'missing.yaml');
const PASSING_INTENTS = file(
  'pass-intents.yaml',
  'apiVersion: netpol-atlas/v1\nkind: SegmentationIntents\nmetadata: {name: nothing-crosses}\nzones:\n  - name: cde\n    namespaceSelector:\n      matchLabels: {pci: cde}\n',
);
const INVALID_INTENTS = file('bad-intents.yaml', 'apiVersion: netpol-atlas/v1\nkind: SegmentationIntent\nmetadata: {name: x}\n');
// The demo without its production policies: connections are added against the demo.
const DEMO_OPEN = path.join(dir, 'demo-open');
cpSync(DEMO, DEMO_OPEN, { recursive: true, filter: (source) => !source.endsWith('30-production-policies.yaml') });

// `audit verify` reads a server's audit log: a real HTTP server answering by token, an intact one-entry chain
// (`intact`), the same entry altered (`tampered`), or 401 (no token).
const GENESIS = '0'.repeat(64);
const ENTRY = '{"seq":1,"action":"snapshot.ingest"}';
const HASH = createHash('sha256').update(GENESIS + ENTRY, 'utf8').digest('hex');
const AUDIT_PAGES: Readonly<Record<string, unknown>> = {
  'Bearer intact': { entries: [{ seq: 1, entry: ENTRY, prevHash: GENESIS, hash: HASH }], next: null },
  'Bearer tampered': { entries: [{ seq: 1, entry: ENTRY.replace('ingest', 'delete'), prevHash: GENESIS, hash: HASH }], next: null },
};
let auditServer: Server | undefined;
let auditUrl = '';
beforeAll(async () => {
  auditServer = createServer((req, res) => {
    const page = AUDIT_PAGES[req.headers.authorization ?? ''];
    res.writeHead(page ? 200 : 401, { 'Content-Type': 'application/json' }).end(JSON.stringify(page ?? { message: 'unauthorized' }));
  });
  await new Promise<void>((resolve) => auditServer!.listen(0, '127.0.0.1', resolve));
  auditUrl = `http://127.0.0.1:${(auditServer.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => (auditServer ? auditServer.close(() => resolve()) : resolve())));
const AUDIT_SERVER = '{audit-server}';

interface Row {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly code: ExitCode;
  /** What else the run must show (stdout / stderr), beyond its code. */
  readonly check?: (run: { stdout: string; stderr: string }) => void;
}

const ROWS: readonly Row[] = [
  // lint: findings against --fail-on.
  { command: 'lint', args: ['lint', DEMO, '--at', BEFORE_EXPIRY], code: 1, check: (r) => expect(r.stdout).toMatch(/: [1-9]\d* error\(s\)/) },
  { command: 'lint', args: ['lint', DEMO, '--fail-on', 'warning', '-o', 'sarif'], code: 1 },
  { command: 'lint', args: ['lint', DEMO, '--fail-on', 'never'], code: 0 },
  { command: 'lint', args: ['lint', CLEAN], code: 0, check: (r) => expect(r.stdout).toContain('0 finding(s)') },
  { command: 'lint', args: ['lint', MISSING], code: 2 },
  { command: 'lint', args: ['lint', BROKEN], code: 2, check: (r) => expect(r.stderr).toContain('[SYNTAX]') },
  { command: 'lint', args: ['lint', DEMO, '--at', 'yesterday'], code: 2 },
  { command: 'lint', args: ['lint', DEMO, '--fail-on', 'critical'], code: 2 },
  { command: 'lint', args: ['lint', DEMO, '--suppressions', MISSING], code: 2 },
  // check --intents: violations and expired exceptions fail; a conforming cluster passes.
  { command: 'check', args: ['check', DEMO, '--intents', DEMO_INTENTS, '--at', BEFORE_EXPIRY], code: 1, check: (r) => expect(r.stdout).toMatch(/: FAIL\n[^\n]*, [1-9]\d* violate; 1 live exception\(s\), 0 expired/) },
  { command: 'check', args: ['check', DEMO, '--intents', DEMO_INTENTS, '--at', AFTER_EXPIRY, '-o', 'json'], code: 1, check: (r) => expect(JSON.parse(r.stdout)).toMatchObject({ passed: false, expiredExceptions: [{ owner: 'platform-team' }] }) },
  { command: 'check', args: ['check', CLEAN, '--intents', PASSING_INTENTS], code: 0, check: (r) => expect(r.stdout).toContain(': PASS') },
  { command: 'check', args: ['check', DEMO, '--intents', MISSING], code: 2 },
  { command: 'check', args: ['check', DEMO, '--intents', INVALID_INTENTS], code: 2, check: (r) => expect(r.stderr).toContain('[INVALID_VALUE]') },
  { command: 'check', args: ['check', DEMO, '--intents', DEMO_INTENTS, '--at', 'yesterday'], code: 2 },
  { command: 'check', args: ['check', DEMO], code: 2, check: (r) => expect(r.stderr).toContain('give --against <baseline>, --intents <file>, or both') },
  // -o json with --against is refused before the intents report is printed (stdout stays empty).
  { command: 'check', args: ['check', DEMO, '--intents', DEMO_INTENTS, '--against', DEMO, '-o', 'json'], code: 2, check: (r) => expect(r.stdout).toBe('') },
  // check --against: forbidden changes; with both flags the worse of the two.
  { command: 'check', args: ['check', DEMO, '--against', DEMO], code: 0 },
  { command: 'check', args: ['check', DEMO_OPEN, '--against', DEMO], code: 1 },
  { command: 'check', args: ['check', CLEAN, '--intents', PASSING_INTENTS, '--against', DEMO, '--fail-on', 'removed'], code: 1 },
  { command: 'check', args: ['check', DEMO, '--against', MISSING], code: 2 },
  // The report commands: 0 whenever the report is printed, 2 on unusable input.
  { command: 'list', args: ['list', DEMO], code: 0 },
  { command: 'list', args: ['list', BROKEN], code: 2 },
  { command: 'eval', args: ['eval', DEMO, '--src', 'production/database', '--dst', 'production/frontend', '--port', '80'], code: 0, check: (r) => expect(r.stdout).toMatch(/^denied\n/) },
  { command: 'eval', args: ['eval', DEMO, '--src', 'production/nobody', '--dst', 'production/frontend', '--port', '80'], code: 2 },
  { command: 'diff', args: ['diff', DEMO, DEMO_OPEN], code: 0 },
  { command: 'diff', args: ['diff', DEMO, MISSING], code: 2 },
  { command: 'who-can-reach', args: ['who-can-reach', DEMO, 'production/backend', '--port', '8080'], code: 0 },
  { command: 'who-can-reach', args: ['who-can-reach', DEMO, 'backend'], code: 2 },
  { command: 'reachable-from', args: ['reachable-from', DEMO, 'production/backend'], code: 0 },
  { command: 'reachable-from', args: ['reachable-from', BROKEN, 'production/backend'], code: 2 },
  { command: 'report', args: ['report', DEMO, '--framework', 'cis', '--at', BEFORE_EXPIRY, '-o', 'json'], code: 0 },
  { command: 'report', args: ['report', DEMO, '--framework', 'hipaa'], code: 2 },
  { command: 'probe-plan', args: ['probe-plan', DEMO], code: 0 },
  { command: 'probe-plan', args: ['probe-plan', MISSING], code: 2 },
  { command: 'verify', args: ['verify', MISSING], code: 2 },
  { command: 'audit', args: ['audit', 'verify', '--server', AUDIT_SERVER], env: { NETPOL_TOKEN: 'intact' }, code: 0, check: (r) => expect(r.stdout).toBe(`audit log intact: 1 entries, head ${HASH}\n`) },
  { command: 'audit', args: ['audit', 'verify', '--server', AUDIT_SERVER], env: { NETPOL_TOKEN: 'tampered' }, code: 1, check: (r) => expect(r.stdout).toContain('audit log BROKEN at entry 1') },
  { command: 'audit', args: ['audit', 'verify', '--server', AUDIT_SERVER], code: 2, check: (r) => expect(r.stderr).toContain('HTTP 401') },
];

/** Documented codes reached by the specs of commands that need a server, a cluster or a server-made pack. */
const REACHED_ELSEWHERE: Readonly<Record<string, { readonly codes: readonly ExitCode[]; readonly spec: string }>> = {
  push: { codes: [0, 1, 2], spec: 'push.spec.ts, upload.spec.ts' },
  collect: { codes: [0, 1, 2], spec: 'collect.spec.ts, collect-push.spec.ts' },
  verify: { codes: [0, 1], spec: 'apps/api/test/compliance-api.spec.ts (a server evidence pack, then one byte changed)' },
};

describe('exit codes (built CLI)', () => {
  it.each(ROWS.map((row) => [row.args.map((a) => (a.startsWith(dir) ? path.basename(a) : a.startsWith(REPO_ROOT) ? path.relative(REPO_ROOT, a) : a)).join(' '), row] as const))(
    'netpol %s',
    { timeout: 60_000 },
    async (_name, row) => {
      const run = await runNetpol(row.args.map((a) => (a === AUDIT_SERVER ? auditUrl : a)), { NETPOL_TOKEN: '', ...row.env });
      expect(run.code, run.stderr.slice(0, 2000)).toBe(row.code);
      row.check?.(run);
      // Every code a row reaches is one the command documents.
      expect(COMMANDS.find((c) => c.name === row.command)?.exitCodes[row.code]).toBeDefined();
    },
  );

  it('every documented code of every command is reached by a row, or by the named spec of a command that needs a server', () => {
    const unreached: string[] = [];
    for (const entry of COMMANDS) {
      for (const code of [0, 1, 2] as const) {
        if (entry.exitCodes[code] === undefined) continue;
        const reached = ROWS.some((row) => row.command === entry.name && row.code === code) || REACHED_ELSEWHERE[entry.name]?.codes.includes(code);
        if (!reached) unreached.push(`${entry.name} ${code}`);
      }
    }
    expect(unreached).toEqual([]);
  });

  it('`netpol --help` ends with the documented exit codes, and the README carries the same table', async () => {
    const help = await runNetpol(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout.trimEnd().endsWith(exitCodesHelp().trimEnd())).toBe(true);
    expect(exitCodesHelp()).toContain('    check           a forbidden change, an intents violation or an expired exception');
    expect(readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8')).toContain(exitCodesMarkdown());
  });
});
