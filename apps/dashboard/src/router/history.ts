// Client-side routing on the History API, no extra dependency. The server answers every client route with
// index.html (SPA fallback), so any path here can also be loaded directly.
import { useSyncExternalStore } from 'react';

const NAVIGATE_EVENT = 'netpol:navigate';

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

/** The current path (without query or hash); re-renders on link clicks and back/forward. */
export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

/** The current query string (with its `?`, or ""); re-renders when a navigation changes it. */
export function useSearch(): string {
  return useSyncExternalStore(subscribe, () => window.location.search);
}
