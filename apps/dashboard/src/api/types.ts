// Names for the response shapes the pages use. Every shape comes from the documents' generated types
// (src/gql, GraphQL Code Generator over apps/api/schema.graphql); only the generic paging shapes are written here.
import type * as G from '../gql/graphql.js';

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<TNode> {
  totalCount: number;
  edges: Array<{ cursor?: string; node: TNode }>;
}

export interface PagedConnection<TNode> extends Connection<TNode> {
  pageInfo: PageInfo;
}

export type Protocol = G.Protocol;
export type Label = { key: string; value: string };
export type SnapshotSummary = G.SnapshotSummaryFragment;
export type SnapshotCounts = SnapshotSummary['counts'];
export type NamespaceRow = G.NamespaceRowFragment;
export type WorkloadRow = G.WorkloadRowFragment;
export type PolicyRow = G.PolicyRowFragment;

export type ClustersData = G.DashboardClustersQuery;
export type ClusterSummary = ClustersData['clusters']['edges'][number]['node'];
export type ClusterData = G.DashboardClusterQuery;
export type ClusterDetail = NonNullable<ClusterData['cluster']>;
export type SnapshotData = G.DashboardSnapshotQuery;
export type SnapshotDetail = NonNullable<SnapshotData['snapshot']>;
/** The answer of a SNAPSHOT_*_PAGE_QUERY: one list of a snapshot. */
export type SnapshotListPage<TKey extends 'namespaces' | 'workloads' | 'policies'> = {
  snapshot: ({ id: string } & Pick<SnapshotDetail, TKey>) | null;
};

export type SnapshotHeaderData = G.DashboardSnapshotHeaderQuery;
export type WorkloadRef = { namespace: string; kind: string; name: string };
export type WorkloadOptionsData = G.DashboardWorkloadOptionsQuery;

export type PortRangeValue = G.PortRangePartsFragment;
export type SideExplanation = G.SideExplanationPartsFragment;
export type AllowedBy = SideExplanation['allowedBy'][number];
export type Denial = SideExplanation['denials'][number];
export type DecisionStep = SideExplanation['steps'][number];
export type ReachabilityData = G.DashboardReachabilityQuery;
export type Reachability = ReachabilityData['reachability'];

export type ExposureData = G.DashboardExposureQuery;
export type Exposure = ExposureData['exposure'];
export type InternetExposedWorkload = Exposure['internetExposed'][number];
export type ExposedWorkload = Exposure['clusterWideExposed'][number];
export type UnprotectedWorkload = Exposure['unprotected'][number];

export type NamespaceMatrixData = G.DashboardNamespaceMatrixQuery;
export type NamespaceMatrix = NamespaceMatrixData['namespaceMatrix'];
export type NamespaceSummary = NamespaceMatrix['namespaces'][number];
export type NamespaceCell = NamespaceMatrix['cells'][number];

export type NetworkPeer = G.NetworkPeerPartsFragment;
export type ConnectivityData = G.DashboardConnectivityQuery;
export type ConnectivityRow = ConnectivityData['connectivity']['edges'][number]['node'];
