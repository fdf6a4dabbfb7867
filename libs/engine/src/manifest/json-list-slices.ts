// A big JSON List (`kubectl get -o json`) read in two slices at once (a host runs the tail in a worker thread while
// its main thread reads the head; the engine itself stays pure): findJsonListSplit picks an item to split at,
// readJsonListSlice reads one slice item by item (as parseManifests does, projected when asked), and
// mergeJsonListSlices checks the join against the scan and joins the results in item order, with the duplicate
// objects and the object count of the whole List. The result is exactly parseManifests' or undefined: any error, an
// item that needs the List's kind, a nested List, a split that is not between two items, anything the sequential
// read would report in another order: then the caller parses the whole text sequentially.
import { isListKind } from './kinds.js';
import { resolveLimits } from './limits.js';
import {
  JsonDocument,
  NullPrototypeConversion,
  previousNonWhitespace,
  screenCharacterRange,
} from './json-reader.js';
import { scanJsonSlice, skipJsonValue, skipWhitespace, type JsonScanState } from './json-scan.js';
import { LineIndex } from './line-index.js';
import { CollectState, collectValue, identify } from './parse-manifests.js';
import { isPlainObject, newPlainObject, type PlainObject } from './plain-data.js';
import type { Issue, KubeObject, ParsedObject, ParseOptions, ParseResult } from './types.js';

/** The part of a List text one thread reads: the head runs from the text's start to the split item, the tail from
 *  the split item to the end. */
export interface JsonListSlice {
  readonly part: 'head' | 'tail';
  /** Offset of the split item's `{` (the head's end, the tail's start). */
  readonly split: number;
}

/** What one slice read gives: plain data (a worker thread posts it), item paths with the slice's own indexes. */
export type JsonListSliceOutcome =
  | { readonly ok: false; readonly reason: string }
  | {
      readonly ok: true;
      readonly part: 'head' | 'tail';
      readonly split: number;
      /** The scan's state at the slice's end (head) or start (tail): the two must meet. */
      readonly joinState: JsonScanState;
      readonly itemCount: number;
      /** Keys the slice's scan counted outside its items (the List's own), to check against the List read alone. */
      readonly outsideKeyCount: number;
      /** head: offset of the `items` array's `[`; tail: of its `]`. */
      readonly bracket: number;
      /** Per item (slice index): the kept object (projected when asked) or null (an ignored kind). */
      readonly objects: readonly (ParsedObject | null)[];
      /** Warnings, each with its item's slice index, in the order the sequential read reports them. */
      readonly issues: readonly { readonly item: number; readonly issue: Issue }[];
    };

/** Lists smaller than this are not worth a second thread (the split and the merge cost ~tens of ms). */
export const JSON_LIST_SPLIT_MIN_LENGTH = 8 << 20;

/** How far to look for an item to split at (an item is rarely more than a few KB; 64 candidates). */
const SPLIT_CANDIDATES = 64;
const ITEM_START = /\}\s*,\s*(\{\s*"apiVersion"\s*:)/g;

/**
 * The offset of an item's `{` near the middle of a List text, or undefined. A guess the merge verifies: the next
 * `}, {"apiVersion":` whose object has apiVersion, kind and metadata (managedFields entries and owner references
 * start the same way but have no metadata).
 */
export function findJsonListSplit(text: string): number | undefined {
  ITEM_START.lastIndex = text.length >> 1;
  for (let n = 0; n < SPLIT_CANDIDATES; n++) {
    const match = ITEM_START.exec(text);
    if (!match) return undefined;
    const start = match.index + match[0].length - match[1]!.length;
    const end = skipJsonValue(text, start);
    let value: unknown;
    try {
      value = JSON.parse(text.slice(start, end));
    } catch {
      continue;
    }
    if (isPlainObject(value) && typeof value['kind'] === 'string' && isPlainObject(value['metadata'])) return start;
  }
  return undefined;
}

/** One slice read item by item, or why not (then the whole text is read sequentially). */
export function readJsonListSlice(file: string, text: string, slice: JsonListSlice, options?: ParseOptions): JsonListSliceOutcome {
  const limits = resolveLimits(options);
  const head = slice.part === 'head';
  const start = head ? 0 : slice.split;
  const end = head ? slice.split : text.length;
  const fail = (reason: string): JsonListSliceOutcome => ({ ok: false, reason });
  const tailStart: JsonScanState = { depth: 2, inItems: true, line: head ? 0 : lineAt(text, start) };
  const scan = scanJsonSlice(text, limits.maxDepth, start, end, head ? { depth: 0, inItems: false, line: 1 } : tailStart);
  if (!scan.ok) return fail('depth limit');
  if (scan.crossedEnd) return fail('a string crosses the split');
  const starts = scan.itemOffsets;
  if (starts.length === 0) return fail('no items');
  let bracket: number;
  const ends = new Array<number>(starts.length);
  for (let i = 0; i + 1 < starts.length; i++) {
    const itemEnd = previousNonWhitespace(text, starts[i + 1]!);
    if (text.charCodeAt(itemEnd) !== COMMA) return fail('not a list of objects');
    ends[i] = itemEnd;
  }
  let itemKeys: number;
  if (head) {
    const state = scan.endState;
    if (state.depth !== 2 || !state.inItems || scan.itemsEndKeyCount >= 0) return fail('the split is not between two items');
    bracket = previousNonWhitespace(text, starts[0]!);
    if (text.charCodeAt(bracket) !== OPEN_BRACKET) return fail('not a list of objects');
    const last = previousNonWhitespace(text, end);
    if (text.charCodeAt(last) !== COMMA) return fail('the split is not between two items');
    ends[starts.length - 1] = last;
    itemKeys = scan.keyCount - scan.itemKeyCounts[0]!;
  } else {
    if (starts[0] !== start || scan.endState.depth !== 0 || scan.itemsEndKeyCount < 0) return fail('the split is not between two items');
    bracket = skipWhitespace(text, skipJsonValue(text, starts[starts.length - 1]!));
    if (text.charCodeAt(bracket) !== CLOSE_BRACKET) return fail('not a list of objects');
    ends[starts.length - 1] = bracket;
    itemKeys = scan.itemsEndKeyCount - scan.itemKeyCounts[0]!;
  }
  const itemKeyCount = (i: number) => (i + 1 < starts.length ? scan.itemKeyCounts[i + 1]! : head ? scan.keyCount : scan.itemsEndKeyCount) - scan.itemKeyCounts[i]!;

  const placeholder = newPlainObject();
  const document = new JsonDocument(
    file,
    text,
    placeholder,
    new LineIndex(text),
    { keyCount: 0, itemOffsets: starts, itemLines: scan.itemLines, itemKeyCounts: [], itemsEndKeyCount: 0 },
    screenCharacterRange(text, start, end),
    true,
  );
  const state = new CollectState(Number.POSITIVE_INFINITY, options?.project === true);
  const objects: (ParsedObject | null)[] = new Array<ParsedObject | null>(starts.length);
  const issues: { item: number; issue: Issue }[] = [];
  const conversion = new NullPrototypeConversion();
  const kept: ParsedObject[] = [];
  const found: Issue[] = [];
  for (let i = 0; i < starts.length; i++) {
    let item: unknown;
    try {
      item = JSON.parse(text.slice(starts[i], ends[i]));
    } catch {
      return fail('an item does not parse');
    }
    const before = conversion.keyCount;
    if (!conversion.convertItem(item)) return fail('a `__proto__` key');
    if (conversion.keyCount - before !== itemKeyCount(i)) return fail('a duplicate key');
    // Items that take the List's apiVersion or kind, and nested Lists, are left to the sequential read.
    const value = item as PlainObject;
    if (value['apiVersion'] == null || value['kind'] == null) return fail('an item inherits from the List');
    if (typeof value['kind'] === 'string' && isListKind(value['kind'])) return fail('a nested List');
    collectValue(document, item, ['items', i], {}, kept, found, state);
    for (const issue of found) {
      // Errors, and messages that name an item (its index is the slice's), are left to the sequential read.
      if (issue.severity === 'error' || issue.message.includes('items[')) return fail('an item has an error');
      issues.push({ item: i, issue });
    }
    found.length = 0;
    objects[i] = kept.pop() ?? null;
  }
  const outsideKeyCount = scan.keyCount - itemKeys;
  const joinState = head ? scan.endState : tailStart;
  return { ok: true, part: slice.part, split: slice.split, joinState, itemCount: starts.length, outsideKeyCount, bracket, objects, issues };
}

/**
 * parseManifests' result for the List text from its head and tail read apart, or undefined (read the text
 * sequentially). `tail` may come from another thread: its objects are given null prototypes again here.
 */
export function mergeJsonListSlices(
  file: string,
  text: string,
  head: JsonListSliceOutcome,
  tail: JsonListSliceOutcome,
  options?: ParseOptions,
): ParseResult | undefined {
  if (!head.ok || !tail.ok || head.part !== 'head' || tail.part !== 'tail' || head.split !== tail.split) return undefined;
  // The tail was scanned from the state the head's scan ends in: inside the items array, on the same line.
  const join = head.joinState;
  if (join.depth !== 2 || !join.inItems || join.line !== tail.joinState.line) return undefined;
  const limits = resolveLimits(options);
  if (head.itemCount + tail.itemCount > limits.maxObjects) return undefined; // OBJECT_LIMIT: reported sequentially
  // The List without its items: parsed alone, with exactly the keys the scans counted outside the items.
  let root: unknown;
  try {
    root = JSON.parse(text.slice(0, head.bracket + 1) + text.slice(tail.bracket));
  } catch {
    return undefined;
  }
  if (!isPlainObject(root) || !Array.isArray(root['items']) || root['items'].length !== 0) return undefined;
  const conversion = new NullPrototypeConversion();
  conversion.convert(root);
  if (conversion.forbidden.length > 0 || conversion.keyCount !== head.outsideKeyCount + tail.outsideKeyCount) return undefined;
  const document = new JsonDocument(file, text, root, new LineIndex(text), { keyCount: 0, itemOffsets: [], itemLines: [], itemKeyCounts: [], itemsEndKeyCount: 0 }, true);
  const rootIssues: Issue[] = [];
  const identity = identify(document, root, [], {}, rootIssues);
  if (!identity || !isListKind(identity.kind) || rootIssues.length > 0) return undefined;

  const state = new CollectState(limits.maxObjects, options?.project === true);
  const objects: ParsedObject[] = [];
  const issues: Issue[] = [];
  const add = (outcome: typeof head, offset: number) => {
    let next = 0;
    for (let i = 0; i < outcome.itemCount; i++) {
      for (; next < outcome.issues.length && outcome.issues[next]!.item === i; next++) issues.push(reindexed(outcome.issues[next]!.issue, i, offset));
      state.admit(document, ['items', i + offset], issues);
      const parsed = outcome.objects[i];
      if (parsed) state.keep(offset === 0 ? parsed : reindexedObject(parsed, i, offset), objects, issues);
    }
  };
  add(head, 0);
  add(tail, head.itemCount);
  return { objects, issues };
}

/** The 1-based line of `offset` (the tail's scan starts there). */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function reindexedPath(path: string, index: number, offset: number): string {
  const prefix = `items[${index}]`;
  return path.startsWith(prefix) ? `items[${index + offset}]${path.slice(prefix.length)}` : path;
}

function reindexed(issue: Issue, index: number, offset: number): Issue {
  return offset === 0 ? issue : { ...issue, path: reindexedPath(issue.path, index, offset) };
}

/** A tail object with its List index, and null prototypes again (structured cloning gives objects Object.prototype). */
function reindexedObject(parsed: ParsedObject, index: number, offset: number): ParsedObject {
  return {
    object: withNullPrototypes(parsed.object) as KubeObject,
    source: { ...parsed.source, pathPrefix: reindexedPath(parsed.source.pathPrefix, index, offset) },
  };
}

function withNullPrototypes(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (const item of value) withNullPrototypes(item);
    return value;
  }
  if (Object.getPrototypeOf(value) !== null) Object.setPrototypeOf(value, null);
  for (const key in value) withNullPrototypes((value as PlainObject)[key]);
  return value;
}

const COMMA = 44;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
