// Renders the data views to HTML (no browser) to check structure: headings, table headers, links, paging.
import { renderToStaticMarkup } from 'react-dom/server';
import { Provider as GraphQLProvider } from 'urql';
import { describe, expect, it } from 'vitest';
import { createGraphQLClient } from '../api/client.js';
import type { ClusterDetail, SnapshotDetail } from '../api/types.js';
import { ClusterDetails } from './ClusterPage.js';
import { SnapshotDetails } from './SnapshotPage.js';

const counts = { namespaces: 4, pods: 11, workloads: 8, policies: 6 };
const snapshot = {
  id: '0b0e3f4c-1111-4222-8333-444455556666',
  capturedAt: '2026-11-27T04:24:00.000Z',
  contentSha256: 'ab'.repeat(32),
  counts,
};
const lastPage = { hasNextPage: false, endCursor: null };

describe('ClusterDetails', () => {
  it('shows the cluster facts and its snapshots', () => {
    const cluster: ClusterDetail = {
      name: 'demo',
      provider: null,
      cni: 'calico',
      cniSource: 'user',
      createdAt: '2026-11-01T00:00:00.000Z',
      labels: [{ key: 'env', value: 'prod' }],
      snapshots: { totalCount: 1, pageInfo: lastPage, edges: [{ node: snapshot }] },
    };
    // The CNI card asks who the viewer is (admins may change it); this static render never gets an answer.
    const client = createGraphQLClient({ fetch: async () => new Response('{}', { status: 500 }) });
    const html = renderToStaticMarkup(
      <GraphQLProvider value={client}>
        <ClusterDetails cluster={cluster} />
      </GraphQLProvider>,
    );
    expect(html).toMatch(/Every analysis of this cluster uses <span[^>]*data-cni-profile="calico"/);
    expect(html).toContain('(chosen by a user)');
    expect(html).toContain('env=prod');
    expect(html).toContain(`href="/snapshots/${snapshot.id}"`);
  });
});

describe('SnapshotDetails', () => {
  it('lists namespaces, workloads and policies in tables', () => {
    const detail: SnapshotDetail = {
      ...snapshot,
      uploadedAt: '2026-11-27T05:00:00.000Z',
      source: 'demo',
      cluster: { name: 'demo' },
      namespaces: {
        totalCount: 1,
        pageInfo: lastPage,
        edges: [{ node: { name: 'production', labels: [{ key: 'environment', value: 'production' }] } }],
      },
      workloads: {
        totalCount: 1,
        pageInfo: lastPage,
        edges: [
          {
            node: {
              namespace: 'production',
              kind: 'Deployment',
              name: 'frontend',
              replicas: 2,
              labels: [{ key: 'app', value: 'frontend' }],
            },
          },
        ],
      },
      policies: {
        totalCount: 2,
        pageInfo: { hasNextPage: true, endCursor: 'p1' },
        edges: [
          {
            node: { namespace: 'production', kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1', name: 'default-deny-all', policyTypes: ['Ingress', 'Egress'] },
          },
        ],
      },
    };
    const html = renderToStaticMarkup(<SnapshotDetails snapshot={detail} />);
    expect(html).toContain(`<th scope="row"><a href="/snapshots/${snapshot.id}?namespace=production">production</a></th>`);
    expect(html).toContain('environment=production');
    expect(html).toContain(`<a href="/snapshots/${snapshot.id}/workloads/production/Deployment/frontend">frontend</a>`);
    expect(html).toContain('app=frontend');
    expect(html).toContain(`<a href="/snapshots/${snapshot.id}/policies/production/default-deny-all">default-deny-all</a>`);
    expect(html).toContain('Ingress, Egress');
    expect(html).toContain('Showing 1 of 2 policies.');
    expect(html).toContain('Show more policies</button>');
    expect(html).not.toContain('Show more workloads');
    expect(html).toContain('<a href="/clusters/demo">demo</a>');
    expect(html).toContain(`href="/api/v1/snapshots/${snapshot.id}/content"`);
  });
});
