import type { Label } from '../api/types.js';

/** Kubernetes labels as `key=value` chips (the API sorts them by key). */
export function LabelList({ labels }: { labels: readonly Label[] }) {
  if (labels.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="labels">
      {labels.map((label) => (
        <li key={label.key}>
          <code>
            {label.key}={label.value}
          </code>
        </li>
      ))}
    </ul>
  );
}
