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
