// Field paths in the style of Kubernetes' field.Path: `spec.ingress[0].from[1].ipBlock.except[0]`.

/** One step into a value: a map key or a 0-based array index. */
export type PathSegment = string | number;
export type FieldPath = readonly PathSegment[];

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/**
 * Formats segments: identifier-like keys as `.key`, indexes as `[0]`, other keys (label keys such as
 * `app.kubernetes.io/name`) as `[app.kubernetes.io/name]`, like field.Path's `Key()`.
 */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${segment}]`;
  }
  return out;
}

/**
 * A manifest document's place for a reader: `Issue.document` counts from 0 (as `-o json`, SARIF and the REST bodies
 * do), a reader counts from 1, so `1` → `2nd document`, which no one reads as an index (the dashboard says the same).
 */
export function documentOrdinal(index: number): string {
  const n = index + 1;
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix} document`;
}
