import { useEffect, useRef } from 'react';
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
  // On a phone the tabs are one row that scrolls sideways: bring the current one into that row's view (only the
  // row scrolls; the page stays where it is).
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    const row = list.current;
    const tab = row?.querySelector<HTMLElement>('[aria-current="page"]');
    if (!row || !tab || row.scrollWidth <= row.clientWidth) return;
    row.scrollLeft = Math.max(0, tab.offsetLeft - row.offsetLeft - (row.clientWidth - tab.offsetWidth) / 2);
  }, [current]);
  return (
    <nav aria-label="Snapshot views" className="tabs">
      <ul ref={list}>
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
