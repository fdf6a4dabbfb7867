// Pure helpers of the inventory: label filters as written in the URL, ages in words, sparkline geometry.

/** `env=prod, team` → [{key: env, value: prod}, {key: team, value: null}] (presence only); blanks dropped. */
export function parseLabelFilter(text: string): { key: string; value: string | null }[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const at = part.indexOf('=');
      return at < 0 ? { key: part, value: null } : { key: part.slice(0, at).trim(), value: part.slice(at + 1).trim() };
    });
}

/** Seconds → `45 s`, `12 min`, `5 h`, `3 d` (largest unit, rounded down). */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} d`;
}

/** SVG polyline points for values oldest → newest in a width × height box (flat in the middle when constant). */
export function sparklinePoints(values: readonly number[], width: number, height: number): string {
  if (values.length === 0) return '';
  const min = Math.min(...values);
  const max = Math.max(...values);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values
    .map((value, index) => {
      const x = values.length > 1 ? index * step : width / 2;
      const y = max === min ? height / 2 : height - ((value - min) / (max - min)) * (height - 2) - 1;
      return `${round(x)},${round(y)}`;
    })
    .join(' ');
}

const round = (n: number) => Math.round(n * 10) / 10;
