import { Fragment, type ReactNode } from 'react';
import { Link } from '../router/Link.js';

export interface Crumb {
  /** A link, except for the current page (the last crumb). */
  readonly to?: string;
  readonly label: ReactNode;
}

/** The trail above every page heading: `Clusters › demo › Snapshot … › Reachability`. */
export function Breadcrumb({ trail }: { trail: readonly Crumb[] }) {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      {trail.map((crumb, i) => (
        <Fragment key={i}>
          {i > 0 && (
            <>
              {' '}
              <span aria-hidden="true">›</span>{' '}
            </>
          )}
          {crumb.to ? <Link to={crumb.to}>{crumb.label}</Link> : crumb.label}
        </Fragment>
      ))}
    </nav>
  );
}
