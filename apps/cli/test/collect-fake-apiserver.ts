// A fake Kubernetes API server for the collector tests: HTTPS on 127.0.0.1 with the test-only certificates,
// serving the recorded-shape responses of test/fixtures/collector/api/ the way kube-apiserver does —
// namespace filtering, `limit`/`continue` paging, Status bodies for 401/403/404/410/429.
import { existsSync, readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export const FIXTURES = path.join(import.meta.dirname, 'fixtures/collector');
export const CA_PEM = readFileSync(path.join(FIXTURES, 'tls/ca.crt'), 'utf8');

type Json = Record<string, any>;

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly authorization: string | undefined;
}

export interface FakeApiServerOptions {
  /** Bearer token the server accepts; anything else is 401. */
  readonly token: string;
  /** List paths (cluster-wide form, e.g. `/apis/batch/v1/cronjobs`) answered 403 in every namespace. */
  readonly forbidden?: readonly string[];
  /** List paths answered 429 (with retryAfterSeconds) on their first request. */
  readonly throttleOnce?: readonly string[];
  /** List paths whose first continued request is answered 410 Expired. */
  readonly expireContinueOnce?: readonly string[];
}

export interface FakeApiServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

const status = (code: number, reason: string, message: string, details: Json = {}): Json => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  details,
  code,
});

function readFixture(relative: string): Json | undefined {
  const file = path.join(FIXTURES, 'api', `${relative}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Json) : undefined;
}

/** Continue tokens look like the real ones: base64 of {v, rv, start} where start is the next item's key. */
function encodeContinue(resourceVersion: string, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(resourceVersion), start })).toString('base64');
}
function decodeContinue(token: string): { rv: number; start: string } {
  return JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { rv: number; start: string };
}
const keyOf = (item: Json) => `${item.metadata.namespace ? `${item.metadata.namespace}/` : ''}${item.metadata.name}`;

export async function startFakeApiServer(options: FakeApiServerOptions): Promise<FakeApiServer> {
  const requests: RecordedRequest[] = [];
  const throttled = new Set<string>();
  const expired = new Set<string>();

  const answer = (method: string, pathname: string, query: Record<string, string>, authorization?: string): [number, Json] => {
    if (authorization !== `Bearer ${options.token}`) return [401, status(401, 'Unauthorized', 'Unauthorized')];
    if (method !== 'GET') return [405, status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource')];
    const parts = pathname.split('/').filter(Boolean);
    // /api/v1/... or /apis/<group>/<version>/...
    const [root, ...rest] = parts;
    const gvParts = root === 'api' ? rest.slice(0, 1) : rest.slice(0, 2);
    const tail = root === 'api' ? rest.slice(1) : rest.slice(2);
    const gvPath = [root, ...gvParts].join('/');
    const notFound: [number, Json] = [404, status(404, 'NotFound', 'the server could not find the requested resource')];
    if ((root !== 'api' && root !== 'apis') || gvParts.length === 0) return notFound;

    if (tail.length === 0) {
      const discovery = readFixture(gvPath);
      return discovery ? [200, discovery] : notFound;
    }
    // GET /api/v1/namespaces/<name>
    if (gvPath === 'api/v1' && tail.length === 2 && tail[0] === 'namespaces') {
      const list = readFixture('api/v1/namespaces')!;
      const found = list.items.find((ns: Json) => ns.metadata.name === tail[1]);
      return found
        ? [200, { kind: 'Namespace', apiVersion: 'v1', ...found }]
        : [404, status(404, 'NotFound', `namespaces "${tail[1]}" not found`, { name: tail[1], kind: 'namespaces' })];
    }
    let namespace: string | undefined;
    let resource: string;
    if (tail.length === 3 && tail[0] === 'namespaces') [namespace, resource] = [tail[1], tail[2]];
    else if (tail.length === 1) resource = tail[0];
    else return notFound;
    const listPath = `/${gvPath}/${resource}`;
    const group = root === 'api' ? '' : gvParts[0];
    if (options.forbidden?.includes(listPath)) {
      const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
      return [403, status(403, 'Forbidden', `${resource}${group ? `.${group}` : ''} is forbidden: User "system:serviceaccount:netpol:collector" cannot list resource "${resource}" in API group "${group}" ${scope}`, { group, kind: resource })];
    }
    if (options.throttleOnce?.includes(listPath) && !throttled.has(listPath)) {
      throttled.add(listPath);
      return [429, status(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds: 1 })];
    }
    const list = readFixture(`${gvPath}/${resource}`);
    if (!list) return notFound;
    const all: Json[] = list.items.filter((item: Json) => namespace === undefined || item.metadata.namespace === namespace);
    let start = 0;
    if (query.continue) {
      if (options.expireContinueOnce?.includes(listPath) && !expired.has(listPath)) {
        expired.add(listPath);
        return [410, status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.')];
      }
      const { start: startKey } = decodeContinue(query.continue);
      start = all.findIndex((item) => keyOf(item) === startKey);
      if (start < 0) return [400, status(400, 'BadRequest', 'continue key is not valid')];
    }
    const limit = query.limit ? Number(query.limit) : Infinity;
    const page = all.slice(start, start + limit);
    const remaining = all.length - start - page.length;
    const metadata: Json = { resourceVersion: list.metadata.resourceVersion };
    if (remaining > 0) {
      metadata.continue = encodeContinue(list.metadata.resourceVersion, keyOf(all[start + page.length]));
      metadata.remainingItemCount = remaining;
    }
    return [200, { ...list, metadata, items: page }];
  };

  const server = https.createServer(
    { cert: readFileSync(path.join(FIXTURES, 'tls/server.crt')), key: readFileSync(path.join(FIXTURES, 'tls/server.key')) },
    (req, res) => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const query = Object.fromEntries(url.searchParams);
      requests.push({ method: req.method ?? '', path: url.pathname, query, authorization: req.headers.authorization });
      const [code, body] = answer(req.method ?? '', url.pathname, query, req.headers.authorization);
      res.writeHead(code, { 'Content-Type': 'application/json', 'Audit-Id': '3f1c9a2e-0000-4000-8000-000000000000' });
      res.end(JSON.stringify(body));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A kubeconfig trusting the test CA, with a bearer token; `namespace` sets the context's default namespace. */
export function kubeconfigYaml(server: string, token: string, options: { namespace?: string; extraContext?: boolean; withoutCa?: boolean } = {}): string {
  const ca = Buffer.from(CA_PEM).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: shop-cluster',
    '  cluster:',
    `    server: ${server}`,
    ...(options.withoutCa ? [] : [`    certificate-authority-data: ${ca}`]),
    'users:',
    '- name: collector',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: shop',
    '  context:',
    '    cluster: shop-cluster',
    '    user: collector',
    ...(options.namespace ? [`    namespace: ${options.namespace}`] : []),
    ...(options.extraContext ? ['- name: other', '  context:', '    cluster: shop-cluster', '    user: collector', '    namespace: kube-system'] : []),
    'current-context: shop',
    '',
  ].join('\n');
}
