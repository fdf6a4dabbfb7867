import type { ReactNode } from 'react';

/** The page's one h1; focusable so that client-side navigation can move focus to it (screen readers). */
export function PageHeading({ children }: { children: ReactNode }) {
  return (
    <h1 tabIndex={-1} className="page-heading">
      {children}
    </h1>
  );
}
