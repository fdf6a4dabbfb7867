// A `kubectl get -o json` List past the split threshold (256 Mi characters by default, 1 MiB here) is parsed item by
// item as it arrives (never one string, never one JSON.parse): same content hash as the whole-text path, same located
// issues, nothing written on error, and the limit holds.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { MiB } from '../src/config/app-config.js';
import { StreamedUpload } from '../src/ingest/streamed-upload.js';
import { rowCounts } from './support/database.js';
import { startApp, type TestApp } from './support/app.js';

/** Enough namespaces, pods and policies that the List JSON is several MiB (well past the whole-text threshold). */
function bigObjects(): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [];
  for (let n = 0; n < 150; n++) {
    const namespace = `ns-${n}`;
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { team: `t${n % 7}` } } });
    for (let p = 0; p < 20; p++) {
      objects.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `pod-${p}`, namespace, labels: { app: `app-${p % 5}` }, annotations: { note: 'x'.repeat(200) } },
        spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 8000 + (p % 3), name: 'web' }] }] },
        status: { podIP: `10.${n}.0.${p + 1}`, phase: 'Running' },
      });
    }
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-app', namespace },
      spec: { podSelector: { matchLabels: { app: 'app-1' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'app-2' } } }] }] },
    });
  }
  return objects;
}

const asList = (objects: unknown[]) => JSON.stringify({ apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } }, null, 2);

describe('streamed List ingest', () => {
  let t: TestApp;
  const objects = bigObjects();
  const listJson = asList(objects);
  beforeAll(async () => {
    t = await startApp({ bodyLimit: 8 * MiB, uploadSplitAfterChars: MiB });
  });
  afterAll(() => t?.close());

  const post = (cluster: string) => t.http.post(`/api/v1/clusters/${cluster}/snapshots`).set('Content-Type', 'application/yaml');

  it('splits the big List item by item (the body is past the whole-text threshold)', () => {
    expect(listJson.length).toBeGreaterThan(2 * MiB);
    const upload = new StreamedUpload('request-body', { streamAfterChars: MiB });
    const bytes = Buffer.from(listJson);
    for (let i = 0; i < bytes.length; i += 65_521) upload.write(bytes.subarray(i, i + 65_521)); // cuts inside UTF-8 and strings
    const parsed = upload.end();
    expect(parsed?.streamed).toBe(true);
    expect(parsed?.projected).toHaveLength(objects.length);
    expect(parsed?.issues).toEqual([]);
  });

  it('gives the same contentSha256 as the whole-text path (multi-document YAML of the same objects)', async () => {
    // (supertest would re-serialise a Buffer sent as application/json: gzip goes untyped, as the server ignores it)
    const streamed = await post('streamed').set('Content-Encoding', 'gzip').send(gzipSync(listJson));
    expect(streamed.status, JSON.stringify(streamed.body).slice(0, 500)).toBe(201);
    expect(streamed.body.counts).toEqual({ namespaces: 150, pods: 3000, workloads: 3000, policies: 150 });
    const yaml = objects.map((object) => stringify(object)).join('---\n');
    const whole = await post('whole').set('Content-Type', 'application/yaml').send(yaml);
    expect(whole.status, JSON.stringify(whole.body).slice(0, 500)).toBe(201);
    expect(whole.body.contentSha256).toBe(streamed.body.contentSha256);
    expect(whole.body.deduplicated).toBe(true);
  });

  it('400 with the located issue and nothing written for a duplicate key deep in the stream', async () => {
    const before = await rowCounts(t.databaseUrl);
    const broken = listJson.replace('"name": "pod-3",\n        "namespace": "ns-140"', '"name": "pod-3",\n        "name": "again",\n        "namespace": "ns-140"');
    expect(broken).not.toBe(listJson);
    const index = objects.findIndex((o) => (o['metadata'] as { name: string; namespace?: string }).name === 'pod-3' && (o['metadata'] as { namespace?: string }).namespace === 'ns-140');
    const line = broken.slice(0, broken.indexOf('"name": "again"')).split('\n').length;
    const res = await post('broken').set('Content-Type', 'application/json').send(broken);
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([
      { code: 'DUPLICATE_KEY', severity: 'error', message: 'duplicate key "name"', file: 'request-body', document: 0, path: `items[${index}].metadata.name`, line },
    ]);
    expect(await rowCounts(t.databaseUrl)).toEqual(before);
  });

  it('422 with the field path and line for an invalid object deep in the stream; 413 over the limit', async () => {
    const before = await rowCounts(t.databaseUrl);
    const invalid = listJson.replace('"containerPort": 8002', '"containerPort": 70000');
    const res = await post('invalid').set('Content-Type', 'application/json').send(invalid);
    expect(res.status).toBe(422);
    const line = invalid.slice(0, invalid.indexOf('70000')).split('\n').length;
    expect(res.body.issues[0]).toMatchObject({ severity: 'error', file: 'request-body', document: 0, path: expect.stringMatching(/^items\[\d+\]\.spec\.containers\[0\]\.ports\[0\]\.containerPort$/), line });
    const tooBig = asList([...objects, ...objects, ...objects, ...objects]);
    expect(tooBig.length).toBeGreaterThan(8 * MiB);
    const over = await post('over').set('Content-Encoding', 'gzip').send(gzipSync(tooBig));
    expect(over.status).toBe(413);
    expect(await rowCounts(t.databaseUrl)).toEqual(before);
  });
});
