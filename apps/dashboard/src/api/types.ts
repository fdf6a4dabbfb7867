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
