// "Did you mean …" in CLI messages; the matching itself is the engine's (closestNames).
export { closestNames } from '@netpol-atlas/engine';

/** `; did you mean a or b?`, or '' when there is nothing close. */
export function didYouMean(names: readonly string[]): string {
  if (names.length === 0) return '';
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  return `; did you mean ${list}?`;
}
