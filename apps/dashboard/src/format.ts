// Deterministic display formats: UTC timestamps, not the viewer's locale, so every reader sees the same text.

/** `2026-11-27T04:24:00.000Z` → `2026-11-27 04:24:00 UTC`; anything unparsable is shown as given. */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The first 12 hex digits, enough to tell snapshots apart at a glance (the full hash is in the title). */
export function shortHash(sha256: string): string {
  return sha256.slice(0, 12);
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/**
 * A manifest document's place for a reader: the API counts documents from 0, a reader reads "document 1" as the
 * first, so the dashboard writes ordinals counted from 1 (`0` → `1st document`), which no one reads as an index. The
 * engine's documentOrdinal (the CLI's locations, DUPLICATE_OBJECT messages) writes the same; the dashboard does not
 * bundle the engine, hence this copy (format.spec.ts and the CLI's issue-format.spec.ts pin the same table).
 */
export function documentOrdinal(index: number): string {
  const n = index + 1;
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix} document`;
}
