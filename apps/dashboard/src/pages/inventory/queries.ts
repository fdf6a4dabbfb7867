import { graphql } from '../../gql/index.js';

export const INVENTORY_QUERY = graphql(`
  query DashboardInventory($first: Int!, $after: String, $filter: ClusterFilterInput) {
    inventory(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node {
          cluster { name provider cni labels { key value } snapshots(first: 1) { totalCount } latestReports { id framework generatedAt summary { verdict } } }
          latestSnapshotAgeSeconds
          latest {
            capturedAt
            pods
            workloads
            policies
            namespaces
            snapshot { id }
            analysis { ingressIsolatedPercent egressIsolatedPercent internetExposedWorkloads cniProfile cniProfileNote }
          }
          trend(last: 12) { capturedAt pods workloads policies }
        }
      }
    }
  }
`);

// Per card (at most a page of clusters): the lint counts of the latest snapshot, computed from its analysis.
export const INVENTORY_LINT_QUERY = graphql(`
  query DashboardInventoryLint($id: ID!) {
    lint(snapshotId: $id) { errors warnings }
  }
`);
