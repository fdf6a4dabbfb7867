// Helpers over JSON text that JSON.parse already accepted. JSON.parse silently keeps the last of
// duplicate keys and has no depth limit, so one cheap pass here counts the keys the text holds (one ':'
// per key outside strings), enforces the depth limit, and notes where each item of a top-level `items`
// array starts (offset and line: JSON strings hold no raw newlines, so every '\n' is seen here).
// Strings are skipped with indexOf, which keeps the pass cheap on 100+ MB bodies.

export interface JsonStructure {
  readonly keyCount: number;
  /** Offsets and 1-based lines of the objects directly inside the root object's `items` array. */
  readonly itemOffsets: number[];
  readonly itemLines: number[];
  /** Keys counted before each item (same index), and before the `items` array closes: the keys of item i are
   *  the difference of consecutive entries, so an item read alone can be checked for duplicate keys exactly. */
  readonly itemKeyCounts: number[];
  readonly itemsEndKeyCount: number;
}

export type JsonScanResult =
  | ({ readonly ok: true } & JsonStructure)
  | { readonly ok: false; readonly depthExceededAt: number };

const QUOTE = 34; // "
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COLON = 58;
const COMMA = 44;
const NEWLINE = 10;
const SPACE = 32;

/** Index just past the closing quote of the string opening at `start`. */
export function skipJsonString(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1);
  for (;;) {
    if (quote < 0) return text.length;
    let backslashes = 0;
    for (let k = quote - 1; text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    quote = text.indexOf('"', quote + 1);
  }
}

export function scanJsonStructure(text: string, maxDepth: number): JsonScanResult {
  const scan = scanJsonSlice(text, maxDepth, 0, text.length, { depth: 0, inItems: false, line: 1 });
  if (!scan.ok) return scan;
  const { keyCount, itemOffsets, itemLines, itemKeyCounts, itemsEndKeyCount } = scan;
  return { ok: true, keyCount, itemOffsets, itemLines, itemKeyCounts, itemsEndKeyCount: Math.max(0, itemsEndKeyCount) };
}

/** Where a scan stands between two characters: nesting depth, inside the root's `items` array, 1-based line. */
export interface JsonScanState {
  readonly depth: number;
  readonly inItems: boolean;
  readonly line: number;
}

export type JsonSliceScanResult =
  | ({
      readonly ok: true;
      /** -1 when the `items` array does not close inside the slice. */
      readonly itemsEndKeyCount: number;
      /** The state at `end`; `crossedEnd`: a string runs on past `end` (then `end` is no place to split). */
      readonly endState: JsonScanState;
      readonly crossedEnd: boolean;
    } & Omit<JsonStructure, 'itemsEndKeyCount'>)
  | { readonly ok: false; readonly depthExceededAt: number };

/**
 * scanJsonStructure over `text[start, end)` from the state the whole-text scan has at `start` (two threads scan
 * two halves of a List; joined at a point between items, the halves give exactly the whole scan's items and keys).
 */
export function scanJsonSlice(text: string, maxDepth: number, start: number, end: number, from: JsonScanState): JsonSliceScanResult {
  let keyCount = 0;
  let depth = from.depth;
  let line = from.line;
  let lastRootString = -1;
  let inItems = from.inItems;
  const itemOffsets: number[] = [];
  const itemLines: number[] = [];
  const itemKeyCounts: number[] = [];
  let itemsEndKeyCount = -1;
  let i = start;
  // Branches in order of frequency (strings, keys' colons, brackets); a key's colon is taken right after its string,
  // and a line's indentation in one tight loop (`kubectl -o json` indents by 4: most of its characters are spaces).
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      if (depth === 1) lastRootString = i;
      i = skipJsonString(text, i);
      if (text.charCodeAt(i) === COLON) keyCount++;
      else i--;
    } else if (c === COLON) {
      keyCount++;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) return { ok: false, depthExceededAt: i };
      if (depth === 2 && c === OPEN_BRACKET) inItems = text.startsWith('"items"', lastRootString);
      else if (depth === 3 && inItems && c === OPEN_BRACE) {
        itemOffsets.push(i);
        itemLines.push(line);
        itemKeyCounts.push(keyCount);
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (depth-- === 2 && inItems) {
        inItems = false;
        itemsEndKeyCount = keyCount;
      }
    } else if (c === NEWLINE) {
      line++;
      while (text.charCodeAt(i + 1) === SPACE) i++;
    }
  }
  return { ok: true, keyCount, itemOffsets, itemLines, itemKeyCounts, itemsEndKeyCount, endState: { depth, inItems, line }, crossedEnd: i > end };
}

const WHITESPACE = /[ \t\r\n]*/y;

export function skipWhitespace(text: string, i: number): number {
  WHITESPACE.lastIndex = i;
  WHITESPACE.test(text);
  return WHITESPACE.lastIndex;
}

/** Index just past the JSON value starting at `start` (text already known to be valid JSON). */
export function skipJsonValue(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === QUOTE) return skipJsonString(text, start);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let i = start;
    while (i < text.length && !',]} \t\r\n'.includes(text[i]!)) i++;
    return i;
  }
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) i = skipJsonString(text, i) - 1;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}

/** Calls `visit(key, keyOffset, valueOffset)` for each member of the object at `start`; stops on `true`. */
export function forEachJsonMember(
  text: string,
  start: number,
  visit: (key: string, keyOffset: number, valueOffset: number) => boolean | void,
): void {
  let i = skipWhitespace(text, start + 1);
  while (i < text.length && text.charCodeAt(i) === QUOTE) {
    const keyEnd = skipJsonString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    const valueOffset = skipWhitespace(text, skipWhitespace(text, keyEnd) + 1);
    if (visit(key, i, valueOffset) === true) return;
    i = skipWhitespace(text, skipJsonValue(text, valueOffset));
    if (text.charCodeAt(i) === COMMA) i = skipWhitespace(text, i + 1);
  }
}

/** Offset of element `index` of the array at `start`, or undefined. */
export function jsonElementOffset(text: string, start: number, index: number): number | undefined {
  let i = skipWhitespace(text, start + 1);
  for (let n = 0; i < text.length && text.charCodeAt(i) !== CLOSE_BRACKET; n++) {
    if (n === index) return i;
    i = skipWhitespace(text, skipJsonValue(text, i));
    if (text.charCodeAt(i) === COMMA) i = skipWhitespace(text, i + 1);
  }
  return undefined;
}

/** Offsets of every element of the array at `start`, in one pass. */
export function jsonElementOffsets(text: string, start: number): number[] {
  const offsets: number[] = [];
  let i = skipWhitespace(text, start + 1);
  while (i < text.length && text.charCodeAt(i) !== CLOSE_BRACKET) {
    offsets.push(i);
    i = skipWhitespace(text, skipJsonValue(text, i));
    if (text.charCodeAt(i) === COMMA) i = skipWhitespace(text, i + 1);
  }
  return offsets;
}

export function firstNonWhitespace(text: string): number {
  return skipWhitespace(text, 0);
}
