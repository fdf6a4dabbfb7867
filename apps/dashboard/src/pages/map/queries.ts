// Documents of the service map: namespaces, the busiest namespace pairs and marks first, then the allowed connections
// it draws.
import { graphql } from '../../gql/index.js';

export const SERVICE_MAP_QUERY = graphql(`
  query DashboardServiceMap($id: ID!, $busiest: Int!) {
    namespaceMatrix(snapshotId: $id) {
      namespaces { name workloads reachableFromIpRanges reachingIpRanges }
      cells(crossNamespace: true, busiest: $busiest) { from to allowedPairs }
      crossNamespaceCells: cellCount(crossNamespace: true)
    }
    exposure(snapshotId: $id) {
      internetExposed { workload { namespace kind name } }
      unprotected { workload { namespace kind name } ingress egress }
    }
  }
`);

export const SERVICE_MAP_ROWS_QUERY = graphql(`
  query DashboardServiceMapRows($id: ID!, $first: Int!, $out: ConnectivityFilter, $in: ConnectivityFilter, $withIn: Boolean!, $namespace: String) {
    snapshot(id: $id) { id workloads(first: $first, namespace: $namespace) { totalCount edges { node { namespace kind name } } } }
    out: connectivity(snapshotId: $id, first: $first, filter: $out, mergeIpRanges: true) {
      totalCount
      edges { node { from { ...NetworkPeerParts } to { ...NetworkPeerParts } portsText } }
    }
    in: connectivity(snapshotId: $id, first: $first, filter: $in, mergeIpRanges: true) @include(if: $withIn) {
      totalCount
      edges { node { from { ...NetworkPeerParts } to { ...NetworkPeerParts } portsText } }
    }
  }
`);
