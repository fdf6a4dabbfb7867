// GraphiQL bundled into the dashboard (no CDN): the editor's web workers come from the build too.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { useMemo } from 'react';
import { GRAPHQL_ENDPOINT, graphqlHeaders } from '../../api/client.js';

const DEFAULT_QUERY = `# Netpol Atlas GraphQL API: try the demo cluster.
query Inventory {
  inventory(first: 10) {
    edges {
      node {
        cluster { name }
        latest { pods workloads policies analysis { ingressIsolatedPercent egressIsolatedPercent internetExposedWorkloads } }
      }
    }
  }
}
`;

export default function GraphiQLPage() {
  const fetcher = useMemo(() => createGraphiQLFetcher({ url: GRAPHQL_ENDPOINT, headers: graphqlHeaders() }), []);
  return (
    <div className="graphiql-host">
      <h1 className="visually-hidden" tabIndex={-1}>
        GraphQL IDE
      </h1>
      <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} />
    </div>
  );
}
