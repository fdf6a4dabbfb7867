/** Stored with each snapshot (jsonb) and returned by REST and GraphQL. See ingest/snapshot-counts.ts. */
export interface SnapshotCounts {
  readonly namespaces: number;
  readonly pods: number;
  readonly workloads: number;
  readonly policies: number;
}
