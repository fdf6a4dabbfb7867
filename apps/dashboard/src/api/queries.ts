// Every GraphQL document the dashboard sends, in one place. The contract is the API's schema
// (apps/api/schema.graphql): connections are Relay-style, page sizes are capped at 100 per request.

/** Page sizes the dashboard asks for (the API rejects `first` above 100 with BAD_USER_INPUT). */
export const PAGE_SIZES = {
  clusters: 50,
  snapshotsPerCluster: 20,
  snapshotItems: 100,
  /** The reachability form's workload picker loads every workload, this many per request. */
  workloadOptions: 100,
  connectivityRows: 50,
} as const;

const SNAPSHOT_SUMMARY = /* GraphQL */ `
  fragment SnapshotSummary on Snapshot {
    id
    capturedAt
    contentSha256
    counts { namespaces pods workloads policies }
  }
`;

const NAMESPACE_ROW = /* GraphQL */ `
  fragment NamespaceRow on Namespace { name labels { key value } }
`;
const WORKLOAD_ROW = /* GraphQL */ `
  fragment WorkloadRow on Workload { namespace kind name replicas labels { key value } }
`;
const POLICY_ROW = /* GraphQL */ `
  fragment PolicyRow on Policy { namespace kind name policyTypes }
`;

export const CLUSTERS_QUERY = /* GraphQL */ `
  query DashboardClusters($first: Int!, $after: String, $snapshotsFirst: Int!) {
    clusters(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node {
          name
          snapshots(first: $snapshotsFirst) {
            totalCount
            edges { node { ...SnapshotSummary } }
          }
        }
      }
    }
  }
  ${SNAPSHOT_SUMMARY}
`;

export const CLUSTER_QUERY = /* GraphQL */ `
  query DashboardCluster($name: String!, $first: Int!, $after: String) {
    cluster(name: $name) {
      name
      provider
      cni
      createdAt
      labels { key value }
      snapshots(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { ...SnapshotSummary } }
      }
    }
  }
  ${SNAPSHOT_SUMMARY}
`;

export const SNAPSHOT_QUERY = /* GraphQL */ `
  query DashboardSnapshot($id: ID!, $first: Int!) {
    snapshot(id: $id) {
      ...SnapshotSummary
      uploadedAt
      source
      cluster { name }
      namespaces(first: $first) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { ...NamespaceRow } }
      }
      workloads(first: $first) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { ...WorkloadRow } }
      }
      policies(first: $first) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { ...PolicyRow } }
      }
    }
  }
  ${SNAPSHOT_SUMMARY}
  ${NAMESPACE_ROW}
  ${WORKLOAD_ROW}
  ${POLICY_ROW}
`;

// Next pages of one list of a snapshot ("Show more"); `$after` is the previous page's endCursor.
export const SNAPSHOT_NAMESPACES_PAGE_QUERY = /* GraphQL */ `
  query DashboardSnapshotNamespaces($id: ID!, $first: Int!, $after: String) {
    snapshot(id: $id) {
      id
      namespaces(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { ...NamespaceRow } }
      }
    }
  }
  ${NAMESPACE_ROW}
`;

export const SNAPSHOT_WORKLOADS_PAGE_QUERY = /* GraphQL */ `
  query DashboardSnapshotWorkloads($id: ID!, $first: Int!, $after: String) {
    snapshot(id: $id) {
      id
      workloads(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { ...WorkloadRow } }
      }
    }
  }
  ${WORKLOAD_ROW}
`;

export const SNAPSHOT_POLICIES_PAGE_QUERY = /* GraphQL */ `
  query DashboardSnapshotPolicies($id: ID!, $first: Int!, $after: String) {
    snapshot(id: $id) {
      id
      policies(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { ...PolicyRow } }
      }
    }
  }
  ${POLICY_ROW}
`;

// The heading of a snapshot's analysis pages (reachability, exposure, connectivity).
export const SNAPSHOT_HEADER_QUERY = /* GraphQL */ `
  query DashboardSnapshotHeader($id: ID!) {
    snapshot(id: $id) { id capturedAt cluster { name } }
  }
`;

// The reachability form's workload picker: every workload of the snapshot, page by page.
export const WORKLOAD_OPTIONS_QUERY = /* GraphQL */ `
  query DashboardWorkloadOptions($id: ID!, $first: Int!, $after: String) {
    snapshot(id: $id) {
      id
      workloads(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { namespace kind name } }
      }
    }
  }
`;

const PORT_RANGE = /* GraphQL */ `
  fragment PortRangeParts on PortRange { protocol from to name }
`;

const SIDE_EXPLANATION = /* GraphQL */ `
  fragment SideExplanationParts on SideExplanation {
    allowed
    checked
    isolated
    subject
    policies
    allowedBy { namespace policy rule ports { ...PortRangeParts } }
    denials { namespace policy rule reason ports { ...PortRangeParts } }
  }
`;

export const REACHABILITY_QUERY = /* GraphQL */ `
  query DashboardReachability($id: ID!, $from: PeerInput!, $to: PeerInput!, $port: Port!, $protocol: Protocol!) {
    reachability(snapshotId: $id, from: $from, to: $to, port: $port, protocol: $protocol) {
      allowed
      explanation {
        summary
        egress { ...SideExplanationParts }
        ingress { ...SideExplanationParts }
      }
    }
  }
  ${SIDE_EXPLANATION}
  ${PORT_RANGE}
`;

export const EXPOSURE_QUERY = /* GraphQL */ `
  query DashboardExposure($id: ID!) {
    exposure(snapshotId: $id) {
      internetExposed { workload { namespace kind name } ipRanges portsText }
      clusterWideExposed { workload { namespace kind name } portsText }
      unprotected { workload { namespace kind name } ingress egress }
    }
  }
`;

export const NAMESPACE_MATRIX_QUERY = /* GraphQL */ `
  query DashboardNamespaceMatrix($id: ID!) {
    namespaceMatrix(snapshotId: $id) {
      namespaces { name workloads reachableFromIpRanges reachingIpRanges }
      cells { from to allowedPairs allPortsPairs possiblePairs }
    }
  }
`;

const NETWORK_PEER = /* GraphQL */ `
  fragment NetworkPeerParts on NetworkPeer { type namespace name kind ipRange }
`;

export const CONNECTIVITY_QUERY = /* GraphQL */ `
  query DashboardConnectivity($id: ID!, $first: Int!, $after: String, $filter: ConnectivityFilter) {
    connectivity(snapshotId: $id, first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { from { ...NetworkPeerParts } to { ...NetworkPeerParts } portsText } }
    }
  }
  ${NETWORK_PEER}
`;
