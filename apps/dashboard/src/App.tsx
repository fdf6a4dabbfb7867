import { useEffect, useRef, type ReactNode } from 'react';
import { ClusterPage } from './pages/ClusterPage.js';
import { ClustersPage } from './pages/ClustersPage.js';
import { ConnectivityPage } from './pages/ConnectivityPage.js';
import { ExposurePage } from './pages/ExposurePage.js';
import { NotFoundPage } from './pages/NotFoundPage.js';
import { ReachabilityPage } from './pages/ReachabilityPage.js';
import { SnapshotPage } from './pages/SnapshotPage.js';
import { usePathname } from './router/history.js';
import { Link } from './router/Link.js';
import { findRoute, type Route, type RouteParams } from './router/match.js';
import { paths, routePatterns } from './routes.js';

type View = (params: RouteParams) => { title: string; content: ReactNode };

// The route table: add a page by adding a pattern to routes.ts and a line here. Pages are keyed by their
// parameters so that moving between two snapshots starts a fresh page (no stale data or paging state).
const routes: Route<View>[] = [
  { pattern: routePatterns.clusters, view: () => ({ title: 'Clusters', content: <ClustersPage /> }) },
  {
    pattern: routePatterns.cluster,
    view: ({ name = '' }) => ({ title: `Cluster ${name}`, content: <ClusterPage key={name} name={name} /> }),
  },
  {
    pattern: routePatterns.snapshot,
    view: ({ id = '' }) => ({ title: 'Snapshot', content: <SnapshotPage key={id} id={id} /> }),
  },
  {
    pattern: routePatterns.reachability,
    view: ({ id = '' }) => ({ title: 'Reachability', content: <ReachabilityPage key={id} id={id} /> }),
  },
  {
    pattern: routePatterns.exposure,
    view: ({ id = '' }) => ({ title: 'Exposure', content: <ExposurePage key={id} id={id} /> }),
  },
  {
    pattern: routePatterns.connectivity,
    view: ({ id = '' }) => ({ title: 'Connectivity', content: <ConnectivityPage key={id} id={id} /> }),
  },
];

export function App() {
  const pathname = usePathname();
  const match = findRoute(routes, pathname);
  const { title, content } = match
    ? match.route.view(match.params)
    : { title: 'Page not found', content: <NotFoundPage pathname={pathname} /> };

  useDocumentTitle(title);
  useFocusOnNavigation(pathname);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link to={paths.clusters()} className="brand">
          Netpol Atlas
        </Link>
        <nav aria-label="Main">
          <Link to={paths.clusters()} aria-current={match?.route.pattern === routePatterns.clusters ? 'page' : undefined}>
            Clusters
          </Link>
        </nav>
      </header>
      <main id="main">{content}</main>
    </>
  );
}

function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Netpol Atlas`;
  }, [title]);
}

// After a client-side navigation (not the first load), start at the top and move focus to the new page's h1.
function useFocusOnNavigation(pathname: string): void {
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    window.scrollTo(0, 0);
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [pathname]);
}
