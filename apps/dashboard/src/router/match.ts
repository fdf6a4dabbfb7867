// Route patterns are literal segments and `:name` parameters, e.g. `/snapshots/:id`.

export type RouteParams = Record<string, string>;

export interface Route<TView> {
  pattern: string;
  view: TView;
}

export function matchPath(pattern: string, pathname: string): RouteParams | undefined {
  const patternParts = splitPath(pattern);
  const pathParts = splitPath(pathname);
  if (patternParts.length !== pathParts.length) return undefined;
  const params: RouteParams = {};
  for (const [index, part] of patternParts.entries()) {
    const actual = pathParts[index] as string;
    if (part.startsWith(':')) {
      const value = safeDecode(actual);
      if (value === undefined || value === '') return undefined;
      params[part.slice(1)] = value;
    } else if (part !== actual) {
      return undefined;
    }
  }
  return params;
}

/** The first route whose pattern matches, with its parameters. */
export function findRoute<TView>(
  routes: readonly Route<TView>[],
  pathname: string,
): { route: Route<TView>; params: RouteParams } | undefined {
  for (const route of routes) {
    const params = matchPath(route.pattern, pathname);
    if (params) return { route, params };
  }
  return undefined;
}

/** Builds a path from a pattern, encoding each parameter. */
export function buildPath(pattern: string, params: RouteParams = {}): string {
  const parts = splitPath(pattern).map((part) => {
    if (!part.startsWith(':')) return part;
    const value = params[part.slice(1)];
    if (value === undefined) throw new Error(`Missing route parameter ${part} for ${pattern}`);
    return encodeURIComponent(value);
  });
  return `/${parts.join('/')}`;
}

// A trailing slash is ignored: `/snapshots/x/` matches `/snapshots/:id`.
function splitPath(path: string): string[] {
  return path.split('/').filter((part) => part !== '');
}

function safeDecode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}
