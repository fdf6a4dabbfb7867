import { graphql } from '../../gql/index.js';

export const INGEST_MUTATION = graphql(`
  mutation DashboardIngest($cluster: String!, $manifests: String!, $format: ManifestFormat!) {
    ingestSnapshot(cluster: $cluster, manifests: $manifests, format: $format) {
      deduplicated
      warnings { code severity message file document line path }
      snapshot { id capturedAt counts { namespaces pods workloads policies } cluster { name } }
    }
  }
`);
