// The OpenAPI document is generated from the controllers at start and served at /api/docs (UI) and /api/docs-json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';

describe('OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t?.close());

  it('lists the REST routes with their parameters and responses', async () => {
    const res = await t.http.get('/api/docs-json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info).toMatchObject({ title: 'Netpol Atlas REST API', version: 'v1' });
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    for (const route of [
      'GET /api/v1/clusters',
      'POST /api/v1/clusters/{cluster}/snapshots',
      'GET /api/v1/snapshots/{id}',
      'GET /api/v1/snapshots/{id}/content',
      'GET /healthz',
      'GET /readyz',
    ]) {
      expect(routes).toContain(route);
    }
    const upload = doc.paths['/api/v1/clusters/{cluster}/snapshots'].post;
    expect(upload.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`).sort()).toEqual(['header:Content-Encoding', 'path:cluster', 'query:capturedAt', 'query:cni']);
    expect(Object.keys(upload.responses).sort()).toEqual(['201', '400', '413', '415', '422']);
    expect(upload.responses['201'].content['application/json'].schema.$ref).toBe('#/components/schemas/IngestResultSchema');
    expect(doc.paths['/api/v1/snapshots/{id}'].get.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/SnapshotSchema');
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['ClusterListSchema', 'SnapshotSchema', 'SnapshotCountsSchema', 'IssueSchema', 'ErrorSchema']));
    expect(doc.components.schemas.SnapshotSchema.required).toEqual(expect.arrayContaining(['id', 'cluster', 'capturedAt', 'contentSha256', 'counts']));
  });

  it('documents every REST download with its query parameters and a 200 answer', async () => {
    const doc = (await t.http.get('/api/docs-json')).body;
    const diff = doc.paths['/api/v1/diff'].get;
    expect(diff.parameters.map((p: { name: string; in: string; required?: boolean }) => `${p.in}:${p.name}${p.required ? '*' : ''}`).sort()).toEqual([
      'query:explain',
      'query:format',
      'query:from*',
      'query:labels',
      'query:to*',
    ]);
    for (const [path, statuses] of [
      ['/api/v1/diff', ['200', '400', '404', '422']],
      ['/api/v1/reports/{id}', ['200', '400', '404']],
      ['/api/v1/snapshots/{id}/lint', ['200', '400', '404', '422']],
      ['/api/v1/snapshots/{id}/connectivity', ['200', '400', '404', '422']],
      ['/api/v1/reports/{id}/evidence.zip', ['200', '404']],
    ] as const) {
      expect(Object.keys(doc.paths[path].get.responses).sort(), path).toEqual([...statuses]);
    }
  });

  it('serves Swagger UI at /api/docs (not the dashboard fallback)', async () => {
    const res = await t.http.get('/api/docs').redirects(1);
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger-ui');
  });
});
