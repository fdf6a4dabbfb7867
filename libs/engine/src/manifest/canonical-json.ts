// RFC 8785 JSON Canonicalization Scheme (JCS): keys sorted by UTF-16 code units, ECMAScript number
// text, minimal string escaping, no whitespace. The API hashes exactly this text.

export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`JCS cannot represent ${value}`);
      return Object.is(value, -0) ? '0' : String(value); // Number::toString is JCS's number format
    case 'string':
      return canonicalString(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
      const entries = value as Record<string, unknown>;
      // Default sort compares UTF-16 code units, which is what RFC 8785 section 3.2.3 asks for.
      const keys = Object.keys(entries).filter((key) => entries[key] !== undefined).sort();
      return `{${keys.map((key) => `${canonicalString(key)}:${canonicalJson(entries[key])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`JCS cannot represent a ${typeof value}`);
  }
}

const SHORT_ESCAPES: Readonly<Record<number, string>> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r', 34: '\\"', 92: '\\\\' };

function canonicalString(text: string): string {
  let out = '"';
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let escape: string | undefined;
    if (code < 0x20 || code === 34 || code === 92) escape = SHORT_ESCAPES[code] ?? `\\u${hex4(code)}`;
    else if (code >= 0xd800 && code <= 0xdfff) {
      // A well-formed surrogate pair stays literal; a lone surrogate is escaped as JSON.stringify does.
      const pairs = code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1));
      if (pairs) {
        i++;
        continue;
      }
      escape = `\\u${hex4(code)}`;
    }
    if (escape === undefined) continue;
    out += text.slice(runStart, i) + escape;
    runStart = i + 1;
  }
  return `${out}${text.slice(runStart)}"`;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function hex4(code: number): string {
  return code.toString(16).padStart(4, '0');
}
