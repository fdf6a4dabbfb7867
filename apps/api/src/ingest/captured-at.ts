// `capturedAt` query parameter: an RFC 3339 date-time (e.g. 2026-11-27T10:00:00Z, 2026-11-27T11:00:00.5+01:00).
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

/** The instant, or undefined when the text is not a valid RFC 3339 date-time (checked field by field). */
export function parseRfc3339(text: string): Date | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const offsetOk = m[9] === undefined || (Number(m[9]) <= 23 && Number(m[10]) <= 59);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 60 || !offsetOk) {
    return undefined;
  }
  // A leap second (:60) is stored as the last millisecond of :59; fractions beyond milliseconds are dropped.
  const normalized = second === 60 ? text.replace(/:60(\.\d+)?/, ':59.999') : text;
  const ms = Date.parse(normalized);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** How far in the future a capture time may be (clock skew between the collector and the server). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * A message when `capturedAt` lies further in the future than the allowed skew: such a snapshot would stay the
 * cluster's `latest` for good (and could turn a failing `check --against CLUSTER@latest` gate into a pass).
 */
export function futureCapturedAtProblem(capturedAt: Date, now = Date.now()): string | undefined {
  if (capturedAt.getTime() <= now + MAX_CLOCK_SKEW_MS) return undefined;
  return `capturedAt ${capturedAt.toISOString()} is in the future (the server's clock says ${new Date(now).toISOString()}; at most ${MAX_CLOCK_SKEW_MS / 60_000} minutes of clock skew are allowed)`;
}
