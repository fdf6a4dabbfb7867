import type { SnapshotCounts } from '../api/types.js';

export const COUNT_LABELS: ReadonlyArray<[keyof SnapshotCounts, string]> = [
  ['namespaces', 'Namespaces'],
  ['pods', 'Pods'],
  ['workloads', 'Workloads'],
  ['policies', 'Policies'],
];

/** The four counts as a description list (used on the snapshot page). */
export function CountsList({ counts }: { counts: SnapshotCounts }) {
  return (
    <dl className="counts">
      {COUNT_LABELS.map(([key, label]) => (
        <div key={key}>
          <dt>{label}</dt>
          <dd>{counts[key]}</dd>
        </div>
      ))}
    </dl>
  );
}
