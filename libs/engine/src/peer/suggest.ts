// "Did you mean …": the known names closest to what was typed (edit distance), for peers, clusters and refs.

/** Levenshtein distance, case-insensitive. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length];
}

/**
 * The candidates within `threshold` edits of `typed` (default: a third of its length, at least 2), nearest first,
 * then by name.
 */
export function closestNames(typed: string, candidates: Iterable<string>, limit = 3, threshold = Math.max(2, Math.floor(typed.length / 3))): string[] {
  return [...new Set(candidates)]
    .map((name) => ({ name, distance: editDistance(typed, name) }))
    .filter((c) => c.distance <= threshold)
    .sort((a, b) => a.distance - b.distance || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, limit)
    .map((c) => c.name);
}

/** `; did you mean a or b?` (the CLI's and the API's wording), or '' when there is nothing close. */
export function didYouMean(names: readonly string[]): string {
  if (names.length === 0) return '';
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  return `; did you mean ${list}?`;
}
