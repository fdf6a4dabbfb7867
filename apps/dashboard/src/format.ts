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
