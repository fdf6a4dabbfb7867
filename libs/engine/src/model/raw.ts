// Defensive readers for parsed manifest data (plain JSON whose shape the parser validated for the modelled
// kinds; anything unexpected reads as absent rather than throwing).

export type RawObject = Readonly<Record<string, unknown>>;

export function asObject(value: unknown): RawObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as RawObject) : undefined;
}

export function asArray(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Follows a path of keys through nested objects. */
export function dig(value: unknown, ...keys: string[]): unknown {
  let current: unknown = value;
  for (const key of keys) {
    const o = asObject(current);
    if (!o || !Object.prototype.hasOwnProperty.call(o, key)) return undefined;
    current = o[key];
  }
  return current;
}

/** String-valued entries only, in a fresh null-prototype record. */
export function stringRecord(value: unknown): Record<string, string> {
  const out = nullPrototypeRecord();
  const o = asObject(value);
  if (!o) return out;
  for (const key of Object.keys(o)) {
    const v = o[key];
    if (typeof v === 'string') out[key] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[key] = String(v);
  }
  return out;
}

/** An empty null-prototype record that V8 keeps in fast mode: `Object.create(null)` makes a dictionary-mode
 *  object, slower to read (namespace labels are matched by every namespace selector) and to enumerate. */
export function nullPrototypeRecord(): Record<string, string> {
  return Object.setPrototypeOf({}, null) as Record<string, string>;
}

const EMPTY_LABELS: Readonly<Record<string, string>> = Object.freeze(Object.create(null) as Record<string, string>);

/** Labels as given when every value is a string (the parser guarantees it), else a string-only copy. */
export function labelRecord(value: unknown): Readonly<Record<string, string>> {
  const o = asObject(value);
  if (!o) return EMPTY_LABELS;
  for (const key in o) if (typeof o[key] !== 'string') return stringRecord(o);
  return o as Readonly<Record<string, string>>;
}
