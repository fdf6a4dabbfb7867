import type { WorkloadRef } from '../api/types.js';

/** A workload column set: namespace, name (the row header), kind. */
export function workloadColumns<TRow>(workloadOf: (row: TRow) => WorkloadRef) {
  return [
    { header: 'Namespace', cell: (row: TRow) => workloadOf(row).namespace },
    { header: 'Workload', rowHeader: true, cell: (row: TRow) => workloadOf(row).name },
    { header: 'Kind', cell: (row: TRow) => workloadOf(row).kind },
  ];
}

export function workloadKey(workload: WorkloadRef): string {
  return `${workload.namespace}/${workload.kind}/${workload.name}`;
}
