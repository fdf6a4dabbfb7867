import { Link } from '../router/Link.js';
import { paths } from '../routes.js';

export type SnapshotView = 'overview' | 'reachability' | 'exposure' | 'connectivity';

const TABS: ReadonlyArray<[SnapshotView, string, (id: string) => string]> = [
  ['overview', 'Overview', paths.snapshot],
  ['reachability', 'Reachability', (id) => paths.reachability(id)],
  ['exposure', 'Exposure', paths.exposure],
  ['connectivity', 'Connectivity', (id) => paths.connectivity(id)],
];

/** The views of one snapshot, as links (each is its own URL); the current one is marked for assistive tech. */
export function SnapshotTabs({ id, current }: { id: string; current: SnapshotView }) {
  return (
    <nav aria-label="Snapshot views" className="tabs">
      <ul>
        {TABS.map(([view, label, path]) => (
          <li key={view}>
            <Link to={path(id)} aria-current={view === current ? 'page' : undefined}>
              {label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
