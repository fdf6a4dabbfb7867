// `netpol check` exit-code matrix and `netpol diff` error paths, on the BUILT bin with small fixture clusters.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../src/commands/check.js';
import type { ReportIo } from '../src/report-io.js';
import { parseAllDocuments } from 'yaml';
import { runNetpol, type NetpolRun } from './run-netpol.js';
import { shopCluster } from '../../../tools/testing/shop-cluster.js';


const netpol = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<NetpolRun> => runNetpol(args, env);

const workloads = shopCluster([['web', 8080], ['api', 8080], ['db', 5432]]);

const apiIngress = (ports: string) => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-ingress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: ${ports}}]
`;

const dbIngress = (rules: string) => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-ingress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: ${rules}
`;

const apiToDb = `[{from: [{podSelector: {matchLabels: {app: api}}}], ports: [{port: 5432}]}]`;
const variants: Record<string, string[]> = {
  base: [workloads, apiIngress('[{port: 8080}]'), dbIngress(apiToDb)],
  same: [workloads, apiIngress('[{port: 8080}]'), dbIngress(apiToDb)],
  // web → db newly allowed
  opens: [workloads, apiIngress('[{port: 8080}]'), dbIngress(`[{from: [{podSelector: {matchLabels: {app: api}}}, {podSelector: {matchLabels: {app: web}}}], ports: [{port: 5432}]}]`)],
  // api → db no longer allowed
  closes: [workloads, apiIngress('[{port: 8080}]'), dbIngress('[]')],
  // web → api: 8080 becomes 8080-8090 (a changed pair that only gains ports)
  widens: [workloads, apiIngress('[{port: 8080, endPort: 8090}]'), dbIngress(apiToDb)],
  broken: [workloads, 'apiVersion: v1\nkind: Pod\nmetadata: {name: x\n'],
};

let dir = '';
const at = (name: string) => path.join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'netpol-check-'));
  for (const [name, docs] of Object.entries(variants)) {
    mkdirSync(at(name));
    docs.forEach((text, i) => writeFileSync(path.join(at(name), `${i}.yaml`), text));
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// [proposal, baseline, --fail-on, expected exit code]
const matrix: [string, string, string, number][] = [
  ['same', 'base', 'added', 0],
  ['same', 'base', 'removed', 0],
  ['same', 'base', 'any', 0],
  ['opens', 'base', 'added', 1],
  ['opens', 'base', 'removed', 0],
  ['opens', 'base', 'any', 1],
  ['closes', 'base', 'added', 0],
  ['closes', 'base', 'removed', 1],
  ['closes', 'base', 'any', 1],
  ['widens', 'base', 'added', 1], // ports gained in a changed pair count as added
  ['widens', 'base', 'removed', 0],
  ['base', 'widens', 'added', 0], // the reverse only loses ports
  ['base', 'widens', 'removed', 1],
  ['base', 'widens', 'any', 1],
  ['broken', 'base', 'added', 2],
  ['base', 'broken', 'any', 2],
  ['missing-dir', 'base', 'added', 2],
];

/** runCheck in process, with stdout and stderr captured (the bin runs the same function). */
async function checkInProcess(args: [string, string, string]): Promise<{ stdout: string; stderr: string; code: number }> {
  let stdout = '';
  let stderr = '';
  const io: ReportIo = {
    writeStdout: async (text) => void (stdout += text),
    writeStderr: (text) => void (stderr += text),
  };
  const code = await runCheck(at(args[0]), { against: at(args[1]), failOn: args[2] as 'added', output: 'txt' }, io);
  return { stdout, stderr, code };
}

describe('netpol check exit codes', () => {
  it.each(matrix)('check %s --against %s --fail-on %s exits %i', async (proposal, baseline, failOn, code) => {
    const result = await checkInProcess([proposal, baseline, failOn]);
    expect({ code: result.code, stderr: code === 2 ? result.stderr.length > 0 : result.stderr }).toEqual({
      code,
      stderr: code === 2 ? true : '',
    });
    if (code === 0) expect(result.stdout).toMatch(/^PASS: /);
    if (code === 1) expect(result.stdout).toMatch(/^FAIL: /);
  });

  it.each([
    ['same', 0],
    ['opens', 1],
    ['broken', 2],
  ] as const)('the built bin exits like runCheck: %s -> %i', async (proposal, code) => {
    expect((await netpol(['check', at(proposal), '--against', at('base'), '--fail-on', 'any'])).code).toBe(code);
  });

  it('defaults to --fail-on added', async () => {
    expect((await netpol(['check', at('opens'), '--against', at('base')])).code).toBe(1);
    expect((await netpol(['check', at('closes'), '--against', at('base')])).code).toBe(0);
  });

  it('rejects an unknown --fail-on, a missing --against and a server that is not an http(s) URL (exit 2)', async () => {
    expect((await netpol(['check', at('opens'), '--against', at('base'), '--fail-on', 'sometimes'])).code).toBe(2);
    expect((await netpol(['check', at('opens')])).code).toBe(2);
    const ref = await netpol(['check', at('opens'), '--against', 'prod@latest'], { NETPOL_SERVER: 'localhost:4101' });
    expect(ref).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: NETPOL_SERVER=localhost:4101: expected an http(s) URL, e.g. http://localhost:3000 (did you mean http://localhost:4101?)\n',
    });
  });

  it('-o md prints a PR comment: verdict, counts, top changes with causes, object changes', async () => {
    const result = await netpol(['check', at('widens'), '--against', at('base'), '-o', 'md']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        '### Netpol Atlas connectivity check: FAIL',
        '',
        '**1 forbidden connectivity change** (`--fail-on added`).',
        '',
        '| pairs added | pairs removed | pairs changed | workloads added | workloads removed |',
        '|---:|---:|---:|---:|---:|',
        '| 0 | 0 | 1 | 0 | 0 |',
        '',
        '#### Top changes (1 of 1)',
        '',
        '| | change | source | destination | before | after | caused by |',
        '|---|---|---|---|---|---|---|',
        '| forbidden | changed | `shop/web[Deployment]` | `shop/api[Deployment]` | TCP 8080 | TCP 8080-8090 | NetworkPolicy shop/api-ingress: spec.ingress[0].ports changed from 8080 to 8080-8090 |',
        '',
        '#### Object changes',
        '',
        '- NetworkPolicy shop/api-ingress: spec.ingress[0].ports changed from 8080 to 8080-8090',
        '',
      ].join('\n'),
    );
  });
});

describe('netpol diff', () => {
  it('exits 2 on unusable input and bad options, 0 with an empty report when nothing differs', async () => {
    expect((await netpol(['diff', at('base'), at('broken')])).code).toBe(2);
    expect((await netpol(['diff', at('base'), at('nope')])).code).toBe(2);
    expect((await netpol(['diff', at('base'), at('same'), '--labels', 'onlyone'])).code).toBe(2);
    expect((await netpol(['diff', 'prod@2025-01-01T00:00:00Z', at('same')])).code).toBe(2);
    expect(await netpol(['diff', at('base'), at('same')])).toEqual({ stdout: '', stderr: '', code: 0 });
  });

  it('--explain names the cause under each np-guard line, and json carries ports gained and causes', async () => {
    const txt = await netpol(['diff', at('base'), at('opens'), '--explain', '--labels', 'before,after']);
    expect(txt.code).toBe(0);
    expect(txt.stdout).toBe(
      [
        'Connectivity diff:',
        'diff-type: added, source: shop/web[Deployment], destination: shop/db[Deployment], before: No Connections, after: TCP 5432',
        '    caused by: NetworkPolicy shop/db-ingress: spec.ingress[0].from changed from podSelector {app=api} to podSelector {app=api}; podSelector {app=web}',
        '',
        'Object changes:',
        '    NetworkPolicy shop/db-ingress: spec.ingress[0].from changed from podSelector {app=api} to podSelector {app=api}; podSelector {app=web}',
        '',
      ].join('\n'),
    );
    const json = JSON.parse((await netpol(['diff', at('base'), at('widens'), '-o', 'json', '--explain'])).stdout);
    expect(json.counts).toEqual({ changed: 1, added: 0, removed: 0, workloadsAdded: 0, workloadsRemoved: 0 });
    expect(json.pairs[0].gained).toEqual([{ protocol: 'TCP', from: 8081, to: 8090 }]);
    expect(json.pairs[0].causes).toEqual([
      { change: 'NetworkPolicy/shop/api-ingress#spec.ingress[0].ports', summary: 'NetworkPolicy shop/api-ingress: spec.ingress[0].ports changed from 8080 to 8080-8090' },
    ]);
  });
});

describe('server refs (against a local HTTP server speaking the API contract)', () => {
  const LATEST = '11111111-2222-4333-8444-555555555555';
  const OLDER = '66666666-7777-4888-8999-aaaaaaaaaaaa';
  let server: Server;
  let url = '';
  const requests: string[] = [];

  beforeAll(async () => {
    const objects = variants.base.flatMap((text) => parseAllDocuments(text).map((d) => d.toJSON()));
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        requests.push(`${req.method} ${req.url}`);
        if (req.method === 'POST' && req.url === '/graphql') {
          const query = String(JSON.parse(body).query);
          res.setHeader('content-type', 'application/json');
          if (!query.includes('cluster(name: "prod")')) {
            res.end(JSON.stringify({ data: { cluster: null }, errors: [{ message: 'cluster not found' }] }));
          } else if (query.includes('latestSnapshot')) res.end(JSON.stringify({ data: { cluster: { latestSnapshot: { id: LATEST } } } }));
          else if (query.includes('snapshotAt(time: "2025-06-01T00:00:00Z")')) res.end(JSON.stringify({ data: { cluster: { snapshotAt: { id: OLDER } } } }));
          else res.end(JSON.stringify({ data: { cluster: { snapshotAt: null } } }));
          return;
        }
        if (req.method === 'GET' && (req.url === `/api/v1/snapshots/${LATEST}/content` || req.url === `/api/v1/snapshots/${OLDER}/content`)) {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(objects));
          return;
        }
        res.statusCode = 404;
        res.end('{"message":"not found"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('CLUSTER@latest, CLUSTER@<time> and a snapshot id read the stored snapshot: same report as the files', async () => {
    const expected = await netpol(['diff', at('base'), at('opens')]);
    expect(expected.code).toBe(0);
    expect(expected.stdout).toContain('diff-type: added, source: shop/web[Deployment], destination: shop/db[Deployment]');
    for (const ref of ['prod@latest', 'prod@2025-06-01T00:00:00Z', LATEST]) {
      expect(await netpol(['diff', ref, at('opens'), '--server', url])).toEqual(expected);
    }
    expect(requests).toContain(`GET /api/v1/snapshots/${OLDER}/content`);
    const check = await netpol(['check', at('opens'), '--against', 'prod@latest', '--server', url]);
    expect(check.code).toBe(1);
  });

  it('NETPOL_SERVER applies to diff and check when --server is not given (and --server wins over it)', async () => {
    const expected = await netpol(['diff', at('base'), at('opens')]);
    expect(await netpol(['diff', 'prod@latest', at('opens')], { NETPOL_SERVER: url })).toEqual(expected);
    expect((await netpol(['check', at('opens'), '--against', 'prod@latest'], { NETPOL_SERVER: url })).code).toBe(1);
    expect(await netpol(['diff', 'prod@latest', at('opens'), '--server', url], { NETPOL_SERVER: 'http://127.0.0.1:9' })).toEqual(expected);
    const unreachable = await netpol(['diff', 'prod@latest', at('opens')], { NETPOL_SERVER: 'http://127.0.0.1:9' });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/^error: cannot reach http:\/\/127\.0\.0\.1:9/);
  });

  it('a side that looks like a ref but is not one says what a server ref is', async () => {
    const result = await netpol(['diff', 'prod@yesterday', at('opens'), '--server', url]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: prod@yesterday is neither a file nor a server ref: a server ref is CLUSTER@latest, CLUSTER@<RFC 3339 time> ' +
        '(e.g. prod@2026-01-31T00:00:00Z) or a snapshot id\n',
    );
  });

  it('an unknown cluster or a time with no snapshot exits 2 with the reason', async () => {
    const unknown = await netpol(['diff', 'staging@latest', at('opens'), '--server', url]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('cluster not found');
    const early = await netpol(['diff', 'prod@2001-01-01T00:00:00Z', at('opens'), '--server', url]);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('has no snapshot at or before 2001-01-01T00:00:00Z');
  });
});
