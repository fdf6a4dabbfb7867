// How a report's evidence rows read on the dashboard. The report itself (signed, canonical) stays as the engine
// wrote it; only its display changes here.

/** A lint finding behind a compliance control, read back from its evidence row. */
export interface LintEvidence {
  /** The lint severity: the lint-errors check writes errors as `fail` rows and warnings as `info` rows (a warning
   *  does not fail the control), so `info` here is a warning, not lint's own `info` severity (left out of reports). */
  readonly severity: 'error' | 'warning';
  readonly rule: string;
  /** The rest of the detail: the message and its fix. */
  readonly text: string;
  readonly kind: string;
  /** '' for a cluster-scoped object. */
  readonly namespace: string;
  readonly name: string;
  /** The object's place in the snapshot's stored content, counted from 1 as a reader counts (the report's `[16]` is
   *  its 0-based index); null when the subject has none. */
  readonly objectNumber: number | null;
  /** The field inside the object (`spec.ingress[0]`), '' for the object itself. */
  readonly fieldPath: string;
}

/**
 * The lint finding of an evidence row (`kind` finding, detail `[rule] message. Fix: …`, subject
 * `Kind namespace/name [16].spec.ingress[0]`), or undefined for any other row.
 */
export function lintEvidence(row: { kind: string; status: string; subject: string; detail: string }): LintEvidence | undefined {
  if (row.kind !== 'finding') return undefined;
  const detail = /^\[([a-z0-9-]+)\] (.*)$/s.exec(row.detail);
  const subject = /^(\S+) (?:([^/\s]+)\/)?(\S+?)(?: \[(\d+)\](?:\.(\S+))?)?$/.exec(row.subject);
  if (!detail || !subject) return undefined;
  return {
    severity: row.status === 'fail' ? 'error' : 'warning',
    rule: detail[1] ?? '',
    text: detail[2] ?? '',
    kind: subject[1] ?? '',
    namespace: subject[2] ?? '',
    name: subject[3] ?? '',
    objectNumber: subject[4] === undefined ? null : Number(subject[4]) + 1,
    fieldPath: subject[5] ?? '',
  };
}
