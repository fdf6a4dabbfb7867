import { Link } from '../router/Link.js';
import { paths } from '../routes.js';

export type SnapshotView = 'overview' | 'map' | 'connectivity' | 'exposure' | 'reachability' | 'whatIf' | 'findings';

// The snapshot's analysis views.
const TABS: ReadonlyArray<[SnapshotView, string, (id: string) => string]> = [
  ['overview', 'Explorer', (id) => paths.snapshot(id)],
  ['map', 'Service map', (id) => paths.map(id)],
  ['connectivity', 'Connectivity', (id) => paths.connectivity(id)],
  ['exposure', 'Exposure', paths.exposure],
  ['reachability', 'Reachability', (id) => paths.reachability(id)],
  ['whatIf', 'What-if', (id) => paths.whatIf(id)],
  ['findings', 'Findings', (id) => paths.findings(id)],
];

/** The views of one snapshot, as links (each is its own URL); the current one is marked for assistive tech. */
export function SnapshotTabs({ id, current }: { id: string; current: SnapshotView | undefined }) {
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
