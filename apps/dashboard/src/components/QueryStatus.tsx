import type { ReactNode } from 'react';
import type { QueryState } from '../api/useQuery.js';

/** Renders loading and error states in one accessible way; `children` renders the data once it is there. */
export function QueryStatus<TData>({
  state,
  loadingLabel,
  notFound,
  errorTitle = 'Could not load the data.',
  children,
}: {
  state: QueryState<TData>;
  loadingLabel: string;
  /** Shown instead of the generic error when the API answers NOT_FOUND. */
  notFound?: ReactNode;
  /** The first words of the error alert. */
  errorTitle?: string;
  children: (data: TData) => ReactNode;
}) {
  if (state.status === 'loading') {
    return (
      <p role="status" className="status">
        {loadingLabel}
      </p>
    );
  }
  if (state.status === 'error') {
    if (state.error.code === 'LISTING_TOO_LARGE') {
      // Not a failure: the snapshot allows more workload pairs than the server lists (NETPOL_MAX_LISTED_ROWS).
      return (
        <div role="status" className="status">
          <p>
            <strong>Too many workload pairs to list.</strong> {state.error.message}
          </p>
          <p className="muted">Reachability, who can reach a workload, exposure and findings answer for this snapshot as always.</p>
        </div>
      );
    }
    if (notFound && state.error.code === 'NOT_FOUND') {
      return (
        <div role="alert" className="status status-error">
          {notFound}
        </div>
      );
    }
    return (
      <div role="alert" className="status status-error">
        <p>
          <strong>{errorTitle}</strong> {state.error.message}
        </p>
        <p className="muted">Error code: {state.error.code}</p>
      </div>
    );
  }
  return <>{children(state.data)}</>;
}
