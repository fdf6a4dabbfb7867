import { lazy, Suspense, useEffect, useRef, useState, type ReactNode } from 'react';
import { ClusterPage } from './pages/ClusterPage.js';
import { ConnectivityPage } from './pages/ConnectivityPage.js';
import { DiffPage } from './pages/diff/DiffPage.js';
import { WhatIfPage } from './pages/diff/WhatIfPage.js';
import { CompliancePage } from './pages/compliance/CompliancePage.js';
import { ExposurePage } from './pages/ExposurePage.js';
import { FindingsPage } from './pages/findings/FindingsPage.js';
import { PolicyPage } from './pages/explorer/PolicyPage.js';
import { WorkloadPage } from './pages/explorer/WorkloadPage.js';
import { InventoryPage } from './pages/inventory/InventoryPage.js';
import { MapPage } from './pages/map/MapPage.js';
import { NotFoundPage } from './pages/NotFoundPage.js';
import { ReachabilityPage } from './pages/ReachabilityPage.js';
import { SnapshotPage } from './pages/SnapshotPage.js';
import { UploadPage } from './pages/upload/UploadPage.js';
import { usePathname } from './router/history.js';
import { Link } from './router/Link.js';
import { findRoute, type Route, type RouteParams } from './router/match.js';
import { parseKindSegment, paths, routePatterns } from './routes.js';

// GraphiQL (and its editor) is big: loaded only when /graphiql is opened.
const GraphiQLPage = lazy(() => import('./pages/graphiql/GraphiQLPage.js'));

type View = (params: RouteParams) => { title: string; content: ReactNode; layout?: 'wide' | 'full' };

// The route table: add a page by adding a pattern to routes.ts and a line here. Pages are keyed by their parameters so that
// moving between two snapshots starts a fresh page (no stale data or paging state).
const routes: Route<View>[] = [
  { pattern: routePatterns.inventory, view: () => ({ title: 'Inventory', content: <InventoryPage /> }) },
  { pattern: routePatterns.upload, view: () => ({ title: 'Upload', content: <UploadPage /> }) },
  { pattern: routePatterns.diff, view: () => ({ title: 'Diff', content: <DiffPage />, layout: 'wide' }) },
  {
    pattern: routePatterns.graphiql,
    view: () => ({
      title: 'GraphQL IDE',
      layout: 'full',
      content: (
        <Suspense fallback={<p role="status" className="status">Loading the GraphQL IDE…</p>}>
          <GraphiQLPage />
        </Suspense>
      ),
    }),
  },
  {
    pattern: routePatterns.cluster,
    view: ({ name = '' }) => ({ title: `Cluster ${name}`, content: <ClusterPage key={name} name={name} /> }),
  },
  {
    pattern: routePatterns.snapshot,
    view: ({ id = '' }) => ({ title: 'Snapshot', content: <SnapshotPage key={id} id={id} /> }),
  },
  {
    pattern: routePatterns.workload,
    view: ({ id = '', namespace = '', kind = '', name = '' }) => ({
      title: `Workload ${namespace}/${name}`,
      content: <WorkloadPage key={`${id}/${namespace}/${kind}/${name}`} id={id} workload={{ namespace, kind, name }} />,
    }),
  },
  {
    pattern: routePatterns.policy,
    view: ({ id = '', namespace = '', name = '' }) => ({
      title: `Policy ${namespace}/${name}`,
      content: <PolicyPage key={`${id}/${namespace}/${name}`} id={id} namespace={namespace} name={name} />,
    }),
  },
  {
    pattern: routePatterns.namespacedPolicy,
    view: ({ id = '', namespace = '', kind = '', name = '' }) => ({
      title: `${parseKindSegment(kind).kind} ${namespace}/${name}`,
      content: <PolicyPage key={`${id}/${namespace}/${kind}/${name}`} id={id} namespace={namespace} kind={kind} name={name} />,
    }),
  },
  {
    pattern: routePatterns.clusterPolicy,
    view: ({ id = '', kind = '', name = '' }) => ({
      title: `${parseKindSegment(kind).kind} ${name}`,
      content: <PolicyPage key={`${id}//${kind}/${name}`} id={id} namespace={null} kind={kind} name={name} />,
    }),
  },
  {
    pattern: routePatterns.map,
    view: ({ id = '' }) => ({ title: 'Service map', content: <MapPage key={id} id={id} />, layout: 'wide' }),
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
    view: ({ id = '' }) => ({ title: 'Connectivity', content: <ConnectivityPage key={id} id={id} />, layout: 'wide' }),
  },
  {
    pattern: routePatterns.findings,
    view: ({ id = '' }) => ({ title: 'Findings', content: <FindingsPage key={id} id={id} /> }),
  },
  {
    pattern: routePatterns.compliance,
    view: ({ name = '' }) => ({ title: `Compliance of ${name}`, content: <CompliancePage key={name} name={name} /> }),
  },
  {
    pattern: routePatterns.whatIf,
    view: ({ id = '' }) => ({ title: 'What-if', content: <WhatIfPage key={id} id={id} />, layout: 'wide' }),
  },
];

/** The main navigation (findings are a view of each snapshot, compliance a page of each cluster). */
const MAIN_NAV: ReadonlyArray<{ label: string; to: string; pattern: string }> = [
  { label: 'Inventory', to: paths.clusters(), pattern: routePatterns.inventory },
  { label: 'Upload', to: paths.upload(), pattern: routePatterns.upload },
  { label: 'Diff', to: paths.diff(), pattern: routePatterns.diff },
  { label: 'GraphQL IDE', to: paths.graphiql(), pattern: routePatterns.graphiql },
];

export function App() {
  const pathname = usePathname();
  const match = findRoute(routes, pathname);
  const { title, content, layout } = match
    ? match.route.view(match.params)
    : { title: 'Page not found', content: <NotFoundPage pathname={pathname} />, layout: undefined };

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
          {MAIN_NAV.map((item) => (
            <Link key={item.pattern} to={item.to} aria-current={match?.route.pattern === item.pattern ? 'page' : undefined}>
              {item.label}
            </Link>
          ))}
        </nav>
        <ThemeToggle />
      </header>
      <main id="main" className={layout}>
        {content}
      </main>
    </>
  );
}

const THEME_KEY = 'netpol-theme';

/** Light or dark: the system's choice until the reader picks one (kept in localStorage, a preference, not page state). */
function ThemeToggle() {
  const [theme, setTheme] = useState<'light' | 'dark'>(() => {
    const stored = localStorage.getItem(THEME_KEY);
    if (stored === 'light' || stored === 'dark') return stored;
    return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  });
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="theme-toggle"
      aria-label={`Switch to ${next} theme`}
      onClick={() => {
        localStorage.setItem(THEME_KEY, next);
        setTheme(next);
      }}
    >
      {theme === 'dark' ? '☀ Light' : '☾ Dark'}
    </button>
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
