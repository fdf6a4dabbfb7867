import { graphql } from '../gql/index.js';

// Every GraphQL document the dashboard sends, in one place. The contract is the API's schema
// (apps/api/schema.graphql): connections are Relay-style, page sizes are capped at 100 per request.

/** Page sizes the dashboard asks for (the API rejects `first` above 100 with BAD_USER_INPUT). */
export const PAGE_SIZES = {
  clusters: 50,
  snapshotsPerCluster: 20,
  snapshotItems: 100,
  /** The reachability form's workload picker: a select up to this many workloads, else a search. */
  workloadOptions: 100,
  workloadSearch: 20,
  connectivityRows: 50,
} as const;

export const SNAPSHOT_SUMMARY_FRAGMENT = graphql(`
  fragment SnapshotSummary on Snapshot {
    id
    capturedAt
    contentSha256
    counts { namespaces pods workloads policies }
  }
`);

export const NAMESPACE_ROW_FRAGMENT = graphql(`
  fragment NamespaceRow on Namespace { name labels { key value } }
`);
export const WORKLOAD_ROW_FRAGMENT = graphql(`
  fragment WorkloadRow on Workload { namespace kind name replicas labels { key value } }
`);
export const POLICY_ROW_FRAGMENT = graphql(`
  fragment PolicyRow on Policy { namespace kind apiVersion name policyTypes }
`);

export const CLUSTERS_QUERY = graphql(`
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
`);

export const CLUSTER_QUERY = graphql(`
  query DashboardCluster($name: String!, $first: Int!, $after: String) {
    cluster(name: $name) {
      name
      provider
      cni
      cniSource
      createdAt
      labels { key value }
      snapshots(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { ...SnapshotSummary } }
      }
    }
  }
`);

export const SNAPSHOT_QUERY = graphql(`
  query DashboardSnapshot($id: ID!, $first: Int!, $namespace: String, $search: String) {
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
      workloads(first: $first, namespace: $namespace, search: $search) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { ...WorkloadRow } }
      }
      policies(first: $first, namespace: $namespace, search: $search) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { ...PolicyRow } }
      }
    }
  }
`);

// Next pages of one list of a snapshot ("Show more"); `$after` is the previous page's endCursor.
export const SNAPSHOT_NAMESPACES_PAGE_QUERY = graphql(`
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
`);

export const SNAPSHOT_WORKLOADS_PAGE_QUERY = graphql(`
  query DashboardSnapshotWorkloads($id: ID!, $first: Int!, $after: String, $namespace: String, $search: String) {
    snapshot(id: $id) {
      id
      workloads(first: $first, after: $after, namespace: $namespace, search: $search) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { ...WorkloadRow } }
      }
    }
  }
`);

export const SNAPSHOT_POLICIES_PAGE_QUERY = graphql(`
  query DashboardSnapshotPolicies($id: ID!, $first: Int!, $after: String, $namespace: String, $search: String) {
    snapshot(id: $id) {
      id
      policies(first: $first, after: $after, namespace: $namespace, search: $search) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { ...PolicyRow } }
      }
    }
  }
`);

// The heading of a snapshot's analysis pages (reachability, exposure, connectivity).
export const SNAPSHOT_HEADER_QUERY = graphql(`
  query DashboardSnapshotHeader($id: ID!) {
    snapshot(id: $id) { id capturedAt cluster { name } }
  }
`);

// The reachability form's workload picker: the first page of the snapshot's workloads, or those matching a search
// (`namespace/name` contains) when the snapshot has more than one page.
export const WORKLOAD_OPTIONS_QUERY = graphql(`
  query DashboardWorkloadOptions($id: ID!, $first: Int!, $search: String) {
    snapshot(id: $id) {
      id
      workloads(first: $first, search: $search) {
        totalCount
        edges { node { namespace kind name } }
      }
    }
  }
`);

export const PORT_RANGE_FRAGMENT = graphql(`
  fragment PortRangeParts on PortRange { protocol from to name }
`);

export const SIDE_EXPLANATION_FRAGMENT = graphql(`
  fragment SideExplanationParts on SideExplanation {
    allowed
    checked
    isolated
    subject
    policies
    allowedBy { namespace policy rule ports { ...PortRangeParts } icmp }
    denials { namespace policy rule reason ports { ...PortRangeParts } icmp }
    steps { tier kind apiVersion namespace name priority rule ruleName action text }
  }
`);

export const REACHABILITY_QUERY = graphql(`
  query DashboardReachability($id: ID!, $from: PeerInput!, $to: PeerInput!, $port: Port!, $protocol: Protocol!) {
    reachability(snapshotId: $id, from: $from, to: $to, port: $port, protocol: $protocol) {
      allowed
      cniProfile
      cniProfileNote
      explanation {
        summary
        egress { ...SideExplanationParts }
        ingress { ...SideExplanationParts }
      }
    }
  }
`);

export const EXPOSURE_QUERY = graphql(`
  query DashboardExposure($id: ID!, $first: Int!) {
    exposure(snapshotId: $id) {
      internetExposed { workload { namespace kind name } ipRanges publicRanges portsText }
      clusterWideExposed { workload { namespace kind name } portsText exceptHostNetwork }
      unprotected { workload { namespace kind name } ingress egress }
      selectorExposedWorkloads
      selectorExposedPage(first: $first) { ...SelectorExposurePageParts }
    }
  }
`);

/** The next pages of "Exposed by selector" (tens of thousands of rows at 50k pods). */
export const SELECTOR_EXPOSURE_PAGE_QUERY = graphql(`
  query DashboardSelectorExposurePage($id: ID!, $first: Int!, $after: String) {
    exposure(snapshotId: $id) {
      selectorExposedPage(first: $first, after: $after) { ...SelectorExposurePageParts }
    }
  }
`);

export const SELECTOR_EXPOSURE_PAGE_FRAGMENT = graphql(`
  fragment SelectorExposurePageParts on SelectorExposureConnection {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { workload { namespace kind name } direction peer namespaces pods portsText } }
  }
`);

export const NAMESPACE_MATRIX_QUERY = graphql(`
  query DashboardNamespaceMatrix($id: ID!, $heatmapNamespaces: Int!) {
    namespaceMatrix(snapshotId: $id) {
      cniProfile
      cniProfileNote
      namespaces { name workloads reachableFromIpRanges reachingIpRanges }
      busiestNamespaces(first: $heatmapNamespaces)
      cells(amongBusiest: $heatmapNamespaces) { from to allowedPairs allPortsPairs possiblePairs }
    }
  }
`);

export const NETWORK_PEER_FRAGMENT = graphql(`
  fragment NetworkPeerParts on NetworkPeer { type namespace name kind ipRange }
`);

export const CONNECTIVITY_QUERY = graphql(`
  query DashboardConnectivity($id: ID!, $first: Int!, $after: String, $filter: ConnectivityFilter) {
    connectivity(snapshotId: $id, first: $first, after: $after, filter: $filter, mergeIpRanges: true) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { from { ...NetworkPeerParts } to { ...NetworkPeerParts } portsText } }
    }
  }
`);

/** Who the kept token is (the sign-in gate, auth/AuthGate.tsx). */
export const VIEWER_QUERY = graphql(`
  query DashboardViewer {
    viewer { auth authenticated name role }
  }
`);
