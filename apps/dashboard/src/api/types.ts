// Response shapes of the documents in queries.ts (only the fields the dashboard selects).

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

export interface Label {
  key: string;
  value: string;
}

export interface SnapshotCounts {
  namespaces: number;
  pods: number;
  workloads: number;
  policies: number;
}

export interface SnapshotSummary {
  id: string;
  capturedAt: string;
  contentSha256: string;
  counts: SnapshotCounts;
}

export interface ClusterSummary {
  name: string;
  snapshots: Connection<SnapshotSummary>;
}

export interface ClustersData {
  clusters: PagedConnection<ClusterSummary>;
}

export interface ClusterDetail {
  name: string;
  provider: string | null;
  cni: string | null;
  createdAt: string;
  labels: Label[];
  snapshots: PagedConnection<SnapshotSummary>;
}

export interface ClusterData {
  cluster: ClusterDetail | null;
}

export interface NamespaceRow {
  name: string;
  labels: Label[];
}

export interface WorkloadRow {
  namespace: string;
  kind: string;
  name: string;
  replicas: number | null;
  labels: Label[];
}

export interface PolicyRow {
  /** null for cluster-scoped policy kinds. */
  namespace: string | null;
  kind: string;
  name: string;
  policyTypes: string[];
}

export interface SnapshotDetail extends SnapshotSummary {
  uploadedAt: string;
  source: string;
  cluster: { name: string };
  namespaces: PagedConnection<NamespaceRow>;
  workloads: PagedConnection<WorkloadRow>;
  policies: PagedConnection<PolicyRow>;
}

export interface SnapshotData {
  snapshot: SnapshotDetail | null;
}

/** The answer of a SNAPSHOT_*_PAGE_QUERY: one list of a snapshot. */
export type SnapshotListPage<TKey extends 'namespaces' | 'workloads' | 'policies'> = {
  snapshot: ({ id: string } & Pick<SnapshotDetail, TKey>) | null;
};

// Analysis views (reachability, exposure, connectivity).

export interface SnapshotHeaderData {
  snapshot: { id: string; capturedAt: string; cluster: { name: string } } | null;
}

export interface WorkloadRef {
  namespace: string;
  kind: string;
  name: string;
}

export interface WorkloadOptionsData {
  snapshot: { id: string; workloads: PagedConnection<WorkloadRef> } | null;
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface PortRangeValue {
  protocol: Protocol;
  from: number;
  to: number;
  name: string | null;
}

export interface AllowedBy {
  namespace: string;
  policy: string;
  rule: string;
  ports: PortRangeValue[];
}

export interface Denial {
  namespace: string;
  policy: string;
  rule: string | null;
  reason: string;
  /** For `port-not-listed`: the ports the rule does allow. */
  ports?: PortRangeValue[] | null;
}

export interface SideExplanation {
  allowed: boolean;
  checked: boolean;
  isolated: boolean;
  subject: string | null;
  policies: string[];
  allowedBy: AllowedBy[];
  denials: Denial[];
}

export interface Reachability {
  allowed: boolean;
  explanation: { summary: string; egress: SideExplanation; ingress: SideExplanation };
}

export interface ReachabilityData {
  reachability: Reachability;
}

export interface ExposedWorkload {
  workload: WorkloadRef;
  portsText: string;
}

export interface InternetExposedWorkload extends ExposedWorkload {
  ipRanges: string[];
}

export interface UnprotectedWorkload {
  workload: WorkloadRef;
  ingress: boolean;
  egress: boolean;
}

export interface Exposure {
  internetExposed: InternetExposedWorkload[];
  clusterWideExposed: ExposedWorkload[];
  unprotected: UnprotectedWorkload[];
}

export interface ExposureData {
  exposure: Exposure;
}

export interface NamespaceSummary {
  name: string;
  workloads: number;
  reachableFromIpRanges: number;
  reachingIpRanges: number;
}

export interface NamespaceCell {
  from: string;
  to: string;
  allowedPairs: number;
  allPortsPairs: number;
  possiblePairs: number;
}

export interface NamespaceMatrix {
  namespaces: NamespaceSummary[];
  cells: NamespaceCell[];
}

export interface NamespaceMatrixData {
  namespaceMatrix: NamespaceMatrix;
}

export interface NetworkPeer {
  type: 'WORKLOAD' | 'IP_RANGE';
  namespace: string | null;
  name: string | null;
  kind: string | null;
  ipRange: string | null;
}

export interface ConnectivityRow {
  from: NetworkPeer;
  to: NetworkPeer;
  portsText: string;
}

export interface ConnectivityData {
  connectivity: PagedConnection<ConnectivityRow>;
}
