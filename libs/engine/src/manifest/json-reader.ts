// JSON reader (`kubectl get … -o json`): one light scan for depth, duplicate keys and List item lines, then
// JSON.parse for speed (not the YAML parser: 50k pods are 200+ MB; a List item by item), then an in-place switch
// to null-prototype objects that drops `__proto__` keys. Measured on 126 MB / 50k pods: ~1.7 s CPU in all.
import {
  type JsonStructure,
  firstNonWhitespace,
  forEachJsonMember,
  jsonElementOffsets,
  scanJsonStructure,
  skipJsonValue,
  skipWhitespace,
} from './json-scan.js';
import type { Limits } from './limits.js';
import { LineIndex } from './line-index.js';
import { formatPath, type FieldPath, type PathSegment } from './path.js';
import { FORBIDDEN_KEY, isPlainObject, type PlainObject } from './plain-data.js';
import type { RawDocument, ReadOutcome } from './raw-document.js';
import type { Issue } from './types.js';

export function readJson(file: string, text: string, limits: Limits): ReadOutcome {
  const lines = new LineIndex(text);
  const fail = (issue: Omit<Issue, 'file' | 'document' | 'severity'>): ReadOutcome => ({
    documents: [],
    issues: [{ ...issue, severity: 'error', file, document: 0 }],
  });

  const syntaxError = (error: unknown): ReadOutcome => {
    const message = error instanceof Error ? error.message : String(error);
    return fail({ code: 'SYNTAX', message: `invalid JSON: ${message}`, path: '', line: syntaxErrorLine(message, lines) });
  };

  const scan = scanJsonStructure(text, limits.maxDepth);
  if (!scan.ok) {
    try {
      JSON.parse(text); // a syntax error is reported first
    } catch (error) {
      return syntaxError(error);
    }
    return fail({ code: 'DEPTH_LIMIT', message: `nesting deeper than ${limits.maxDepth} levels`, path: '', line: lines.lineOf(scan.depthExceededAt) });
  }
  let read = readListByItems(text, scan);
  if (!read) {
    // The whole text at once: also the one place syntax errors are reported (with JSON.parse's own position).
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return syntaxError(error);
    }
    const conversion = new NullPrototypeConversion();
    read = { value: conversion.convert(parsed), conversion };
  }
  const { value, conversion } = read;
  const document = new JsonDocument(file, text, value, lines, scan, screenCharacters(text));
  if (conversion.keyCount !== scan.keyCount) {
    const duplicate = findDuplicateKey(text, document.rootOffset);
    if (duplicate) {
      return fail({
        code: 'DUPLICATE_KEY',
        message: `duplicate key "${duplicate.key}"`,
        path: formatPath(duplicate.path),
        line: lines.lineOf(duplicate.offset),
      });
    }
  }
  const issues: Issue[] = conversion.forbidden.map((path) => ({
    code: 'FORBIDDEN_KEY',
    severity: 'error',
    message: `the key "${FORBIDDEN_KEY}" is not allowed`,
    file,
    document: 0,
    path: formatPath(path),
    line: document.lineAt(path),
  }));
  return { documents: [document], issues };
}

/**
 * One element of a List whose splitter already checked its brackets, bounded its depth and counted its keys
 * (json-list-splitter.ts): JSON.parse, then the null-prototype switch, without readJson's second scan. Undefined
 * whenever that would not be exactly readJson's outcome — the text does not parse, holds a `__proto__` key, or a
 * duplicate key (JSON.parse keeps fewer keys than the splitter counted) — and then readJson reads it, reporting.
 */
export function readJsonListElement(file: string, text: string, keyCount: number): ReadOutcome | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const conversion = new NullPrototypeConversion();
  if (!conversion.convertItem(value) || conversion.keyCount !== keyCount) return undefined;
  const structure: JsonStructure = { keyCount, itemOffsets: [], itemLines: [], itemKeyCounts: [], itemsEndKeyCount: 0 };
  return { documents: [new JsonDocument(file, text, value, new LineIndex(text), structure, screenCharacters(text))], issues: [] };
}

interface ReadValue {
  readonly value: unknown;
  readonly conversion: NullPrototypeConversion;
}

/**
 * A List (`kubectl get -o json`) parsed item by item: each item is parsed and turned null-prototype while it is
 * still young and in cache (~10% less CPU than one JSON.parse of 126 MB and a walk over the whole tree after it).
 * Undefined (then the whole text is parsed as before) unless the items are objects separated by commas and
 * whitespace only, every item parses alone, the rest of the text parses with the items array emptied, and no
 * `__proto__` key turns up: then the value is exactly JSON.parse's. Duplicate keys are left to the caller's key count.
 */
function readListByItems(text: string, structure: JsonStructure): ReadValue | undefined {
  const starts = structure.itemOffsets;
  if (starts.length === 0) return undefined;
  const open = previousNonWhitespace(text, starts[0]!);
  if (text.charCodeAt(open) !== OPEN_BRACKET) return undefined;
  const conversion = new NullPrototypeConversion();
  const items: unknown[] = new Array<unknown>(starts.length);
  let close = -1;
  for (let i = 0; i < starts.length; i++) {
    let end: number;
    if (i + 1 < starts.length) {
      end = previousNonWhitespace(text, starts[i + 1]!);
      if (text.charCodeAt(end) !== COMMA) return undefined;
    } else {
      end = skipWhitespace(text, skipJsonValue(text, starts[i]!));
      if (text.charCodeAt(end) !== CLOSE_BRACKET) return undefined;
      close = end;
    }
    let item: unknown;
    try {
      item = JSON.parse(text.slice(starts[i], end));
    } catch {
      return undefined;
    }
    // A `__proto__` key anywhere: read such a text the slow way (the keys are reported in whole-tree order).
    if (!conversion.convertItem(item)) return undefined;
    items[i] = item;
  }
  const root = parseEmptiedList(text, open, close);
  if (!root) return undefined;
  conversion.convert(root);
  if (conversion.forbidden.length > 0) return undefined;
  root['items'] = items;
  return { value: root, conversion };
}

/** The List without its items (the text between `[` at `open` and `]` at `close` left out), or undefined. */
function parseEmptiedList(text: string, open: number, close: number): PlainObject | undefined {
  let root: unknown;
  try {
    root = JSON.parse(text.slice(0, open + 1) + text.slice(close));
  } catch {
    return undefined;
  }
  return isPlainObject(root) && Array.isArray(root['items']) && root['items'].length === 0 ? root : undefined;
}

/** What readItem returns when the item cannot be read the quick way: then the whole text is read as before. */
export const READ_WHOLE_TEXT: unique symbol = Symbol('read the whole text');

/**
 * A List (`kubectl get -o json`) opened for reading one item at a time, so each item can go through validation
 * (and be projected) before the next is parsed: a full item is garbage as soon as what is kept of it is taken.
 * `document.value` is the List with its `items` array empty; `document.lineAt` locates any path in the whole text.
 */
export interface JsonListItems {
  readonly document: RawDocument;
  readonly itemCount: number;
  /**
   * Item i parsed and null-prototype, or READ_WHOLE_TEXT when the quick read would not give exactly what readJson
   * gives: it does not parse alone, holds a `__proto__` key (reported in whole-tree order) or a duplicate key (its
   * key count differs from the scan's). Then the caller drops what it collected and reads the whole text.
   */
  readItem(index: number): unknown;
}

/**
 * The List opened item by item, or undefined (read the whole text with readJson) unless the text scans within the
 * depth limit, its `items` are objects separated by commas and whitespace only, the rest of the text parses with
 * the items array emptied, and that rest has neither a duplicate nor a `__proto__` key.
 */
export function openJsonListItems(file: string, text: string, limits: Limits): JsonListItems | undefined {
  const scan = scanJsonStructure(text, limits.maxDepth);
  if (!scan.ok) return undefined;
  const starts = scan.itemOffsets;
  if (starts.length === 0) return undefined;
  const open = previousNonWhitespace(text, starts[0]!);
  if (text.charCodeAt(open) !== OPEN_BRACKET) return undefined;
  const ends = new Array<number>(starts.length);
  for (let i = 0; i + 1 < starts.length; i++) {
    const end = previousNonWhitespace(text, starts[i + 1]!);
    if (text.charCodeAt(end) !== COMMA) return undefined;
    ends[i] = end;
  }
  const close = skipWhitespace(text, skipJsonValue(text, starts[starts.length - 1]!));
  if (text.charCodeAt(close) !== CLOSE_BRACKET) return undefined;
  ends[starts.length - 1] = close;
  const root = parseEmptiedList(text, open, close);
  if (!root) return undefined;
  const conversion = new NullPrototypeConversion();
  conversion.convert(root);
  const itemKeys = scan.itemsEndKeyCount - scan.itemKeyCounts[0]!;
  if (conversion.forbidden.length > 0 || conversion.keyCount !== scan.keyCount - itemKeys) return undefined;
  const document = new JsonDocument(file, text, root, new LineIndex(text), scan, screenCharacters(text), true);
  return {
    document,
    itemCount: starts.length,
    readItem(index: number): unknown {
      let item: unknown;
      try {
        item = JSON.parse(text.slice(starts[index], ends[index]));
      } catch {
        return READ_WHOLE_TEXT;
      }
      const before = conversion.keyCount;
      if (!conversion.convertItem(item)) return READ_WHOLE_TEXT;
      const keys = (index + 1 < starts.length ? scan.itemKeyCounts[index + 1]! : scan.itemsEndKeyCount) - scan.itemKeyCounts[index]!;
      return conversion.keyCount - before === keys ? item : READ_WHOLE_TEXT;
    },
  };
}

export function previousNonWhitespace(text: string, offset: number): number {
  let i = offset - 1;
  for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(--i));
  return i;
}

const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;

/**
 * True when no parsed key or string can hold NUL or an unpaired surrogate: JSON.parse refuses raw control
 * characters in strings, so such a character comes from a `\u` escape or from an unpaired surrogate in the text
 * itself (a raw pair stays a pair: nothing can come between its halves). Conservative on escapes (an escaped backslash
 * before `u` fails the screen): then every object is walked as before. The escape search is ~0.05 s on 126 MB, and
 * isWellFormed takes no time on a one-byte string (one holds no surrogate); walking every value of 50k objects ~0.5 s.
 */
function screenCharacters(text: string): boolean {
  return text.indexOf('\\u') < 0 && isWellFormed(text);
}

/** ES2024's String.prototype.isWellFormed (Node 20 has it; the workspace's lib is ES2023): no unpaired surrogate. */
const isWellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

const SURROGATE_FROM = /[\ud800-\udfff]/g;

/** screenCharacters over `text[start, end)` (one slice of a List read by two threads), stricter: any surrogate fails. */
export function screenCharacterRange(text: string, start: number, end: number): boolean {
  const escape = text.indexOf('\\u', start);
  if (escape >= 0 && escape < end) return false;
  SURROGATE_FROM.lastIndex = start;
  const surrogate = SURROGATE_FROM.exec(text);
  return surrogate === null || surrogate.index >= end;
}

/** V8 messages carry `position N` (and on newer versions `line L column C`). */
function syntaxErrorLine(message: string, lines: LineIndex): number | undefined {
  const line = /line (\d+)/.exec(message);
  if (line) return Number(line[1]);
  const position = /position (\d+)/.exec(message);
  return position ? lines.lineOf(Number(position[1])) : undefined;
}

/**
 * Turns JSON.parse's result into null-prototype data IN PLACE (setPrototypeOf is ~4x cheaper than a copy
 * on 100+ MB bodies, and the objects stay fast to read), drops `__proto__` keys (JSON.parse makes them own
 * data properties, harmless until someone copies the object with Object.assign), and counts keys.
 */
export class NullPrototypeConversion {
  keyCount = 0;
  readonly forbidden: FieldPath[] = [];
  private readonly path: PathSegment[] = [];

  convert(input: unknown): unknown {
    if (typeof input === 'object' && input !== null) this.visit(input);
    return input;
  }

  /**
   * A List item, without tracking paths (~0.2 s less on 50k pods): false as soon as a `__proto__` key turns up,
   * whose path only the whole-tree walk above reports. The item is then left half converted.
   */
  convertItem(input: unknown): boolean {
    return typeof input !== 'object' || input === null || this.visitItem(input);
  }

  private visit(input: object): void {
    if (Array.isArray(input)) {
      for (let i = 0; i < input.length; i++) {
        const item: unknown = input[i];
        if (typeof item === 'object' && item !== null) this.nested(item, i);
      }
      return;
    }
    Object.setPrototypeOf(input, null);
    const object = input as PlainObject;
    // for-in, not Object.keys: no key array per object (the prototype is null now: own keys only, same order).
    for (const key in object) {
      this.keyCount++;
      if (key === FORBIDDEN_KEY) {
        this.forbidden.push([...this.path, key]);
        delete object[key];
        continue;
      }
      const item = object[key];
      if (typeof item === 'object' && item !== null) this.nested(item, key);
    }
  }

  private visitItem(input: object): boolean {
    if (Array.isArray(input)) {
      for (let i = 0; i < input.length; i++) {
        const item: unknown = input[i];
        if (typeof item === 'object' && item !== null && !this.visitItem(item)) return false;
      }
      return true;
    }
    Object.setPrototypeOf(input, null);
    const object = input as PlainObject;
    let keys = 0;
    for (const key in object) {
      keys++;
      if (key === FORBIDDEN_KEY) return false;
      const item = object[key];
      if (typeof item === 'object' && item !== null && !this.visitItem(item)) return false;
    }
    this.keyCount += keys;
    return true;
  }

  private nested(item: object, segment: PathSegment): void {
    this.path.push(segment);
    this.visit(item);
    this.path.pop();
  }
}

interface DuplicateKey {
  readonly key: string;
  readonly path: FieldPath;
  readonly offset: number;
}

/** Slow path, only when the counts disagree: walk the text and return the first repeated key. */
function findDuplicateKey(text: string, start: number): DuplicateKey | undefined {
  const visit = (offset: number, path: PathSegment[]): DuplicateKey | undefined => {
    const c = text[offset];
    if (c === '{') {
      const seen = new Set<string>();
      let found: DuplicateKey | undefined;
      forEachJsonMember(text, offset, (key, keyOffset, valueOffset) => {
        if (seen.has(key)) found = { key, path: [...path, key], offset: keyOffset };
        else {
          seen.add(key);
          found = visit(valueOffset, [...path, key]);
        }
        return found !== undefined;
      });
      return found;
    }
    if (c === '[') {
      const elements = jsonElementOffsets(text, offset);
      for (let i = 0; i < elements.length; i++) {
        const found = visit(elements[i]!, [...path, i]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return visit(start, []);
}

export class JsonDocument implements RawDocument {
  readonly index = 0;
  readonly yaml11Free = true;
  readonly rootOffset: number;
  private itemOffsets: readonly number[] | undefined;
  private readonly itemLines: readonly number[] | undefined;
  /** Member offsets of each object and element offsets of each array lineAt looked into, by the value's offset. */
  private readonly membersAt = new Map<number, Map<string, { keyOffset: number; valueOffset: number }>>();
  private readonly elementsAt = new Map<number, readonly number[]>();

  constructor(
    readonly file: string,
    private readonly text: string,
    readonly value: unknown,
    private readonly lines: LineIndex,
    structure: JsonStructure,
    readonly charactersScreened: boolean,
    /** The caller checked that every item is an object (openJsonListItems: `value.items` is left empty). */
    itemsChecked = false,
  ) {
    this.rootOffset = firstNonWhitespace(text);
    // The scan's item offsets hold when every item is an object (always, for a real List).
    const items = isPlainObject(value) ? value['items'] : undefined;
    if (itemsChecked || (Array.isArray(items) && items.length === structure.itemOffsets.length)) {
      this.itemOffsets = structure.itemOffsets;
      this.itemLines = structure.itemLines;
    }
  }

  lineAt(path: FieldPath): number | undefined {
    // The root's own line (every object read alone, a List element in a stream), without building the line index.
    if (path.length === 0 && this.rootOffset === 0) return 1;
    // Fast path for every List item's own location, without building the line index.
    if (path.length === 2 && path[0] === 'items' && typeof path[1] === 'number' && this.itemLines) {
      const line = this.itemLines[path[1]];
      if (line !== undefined) return line;
    }
    let offset = this.rootOffset;
    let rest = path;
    // `items[i]` of a List: jump straight to the item (one pass over the array, done once).
    if (path[0] === 'items' && typeof path[1] === 'number' && isPlainObject(this.value)) {
      const items = (this.itemOffsets ??= this.findItemOffsets());
      const itemOffset = items[path[1]];
      if (itemOffset !== undefined) {
        offset = itemOffset;
        rest = path.slice(2);
      }
    }
    for (let k = 0; k < rest.length; k++) {
      const segment = rest[k]!;
      const next = this.step(offset, segment);
      if (next === undefined) break; // missing field: the nearest ancestor's line
      // A map key is reported on its key's line; an array element on its first line.
      offset = k === rest.length - 1 && typeof segment === 'string' ? next.keyOffset : next.valueOffset;
    }
    return this.lines.lineOf(offset);
  }

  isYaml11Value(): boolean {
    return false;
  }

  isYaml11Key(): boolean {
    return false;
  }

  private step(offset: number, segment: PathSegment): { keyOffset: number; valueOffset: number } | undefined {
    const c = this.text[offset];
    if (c === '{' && typeof segment === 'string') {
      // Each object's members are indexed on its first lookup: an issue per member (10,000 invalid labels) asks once
      // per member, and a scan of the object per ask was quadratic (132 s for 300 KB).
      let members = this.membersAt.get(offset);
      if (!members) {
        const found = new Map<string, { keyOffset: number; valueOffset: number }>();
        forEachJsonMember(this.text, offset, (key, keyOffset, valueOffset) => {
          found.set(key, { keyOffset, valueOffset }); // last one wins, as in JSON.parse
        });
        this.membersAt.set(offset, found);
        members = found;
      }
      return members.get(segment);
    }
    if (c === '[' && typeof segment === 'number') {
      // The same for arrays (an issue per element).
      let elements = this.elementsAt.get(offset);
      if (!elements) {
        elements = jsonElementOffsets(this.text, offset);
        this.elementsAt.set(offset, elements);
      }
      const element = elements[segment];
      return element === undefined ? undefined : { keyOffset: element, valueOffset: element };
    }
    return undefined;
  }

  private findItemOffsets(): number[] {
    let itemsOffset: number | undefined;
    forEachJsonMember(this.text, this.rootOffset, (key, _keyOffset, valueOffset) => {
      if (key === 'items') itemsOffset = valueOffset;
    });
    return itemsOffset !== undefined && this.text[itemsOffset] === '[' ? jsonElementOffsets(this.text, itemsOffset) : [];
  }
}
