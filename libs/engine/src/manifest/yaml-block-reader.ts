// Fastest tier of the YAML fast path (issue 13): a reader for the block-style subset that kubectl, helm, kustomize
// and `yaml.stringify` emit — block maps and sequences (compact `- key: v` items included), one-line plain,
// single- and double-quoted scalars, comments, and the empty flow collections `[]` and `{}`. It builds the
// same plain data as the locating reader (YAML 1.2 core schema, null prototypes) and gives up ("bails") on
// anything else: multi-line or block scalars, flow collections, anchors, aliases, tags, directives, explicit
// or non-string keys, YAML 1.1 words and numbers, numbers in any but the plainest decimal form, duplicate or
// `__proto__` keys, the depth limit, tabs, CR, control characters. A bail is never an error: the caller reads
// that document with the next tier (yaml-fast-reader.ts), which keeps every hostile-input behaviour.
import { formatPath, type PathSegment } from './path.js';
import { FORBIDDEN_KEY, type PlainObject } from './plain-data.js';
import { isYaml11Ambiguous } from './yaml11.js';

/** One document read by the block reader. */
export interface BlockDocument {
  readonly value: unknown;
  /** Offset of the document's first content line (its root node). */
  readonly rootOffset: number;
  /** Paths (formatted) of plain booleans and leading-zero octals: the locating reader marks them (isYaml11Value). */
  readonly booleans: ReadonlySet<string>;
  /** The source of each leading-zero octal among them (`0644`), for the message that names both readings. */
  readonly octals: ReadonlyMap<string, string>;
}

/** Thrown (one shared instance, no stack capture) when the text leaves the subset. */
const BAIL: unknown = Object.freeze({ bail: true });

/**
 * Characters the subset never holds: tabs, CR, C0/C1 controls (NUL among them), DEL, BOM, non-characters and
 * unpaired surrogates. With `\u` escapes of NUL or surrogates refused too, no key or string of an accepted document
 * can hold what validate/characters.ts looks for: its documents are `charactersScreened`.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's purpose
const OUTSIDE_BLOCK_SUBSET = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const SIMPLE_INT = /^-?(?:0|[1-9][0-9]*)$/;
const LEADING_ZERO_INT = /^0[0-9]+$/;
const SIMPLE_FLOAT = /^-?(?:0|[1-9][0-9]*)\.[0-9]+$/;
/** Every other plain scalar the 1.2 core schema reads as a number (or YAML 1.1 would): left to the next tier. */
const OTHER_NUMBER = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

const MAX_IMPLICIT_KEY = 1024;
const MERGE_KEY = '<<';
const NO_BOOLEANS: Set<string> = new Set();
const NO_OCTALS: Map<string, string> = new Map();
const SPACE = 32;
const HASH = 35;
const COLON = 58;
const DASH = 45;

/** Reads the documents (chunks between `---` markers) of one text, in order of their offsets. */
export class BlockYamlReader {
  /** Offset of the next character outside the subset at or after the last chunk read (one forward scan in all). */
  private outsideAt = -1;
  private readonly cache: (string | undefined)[] = new Array<string | undefined>(CACHE_MASK + 1).fill(undefined);

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  /**
   * The document in `text[start, end)`, or undefined when it leaves the subset. A chunk with only comments and
   * blank lines gives `{ value: null }`. Chunks must be read in increasing offsets for the scan to stay linear.
   */
  read(start: number, end: number): BlockDocument | undefined {
    const { text } = this;
    if (this.outsideAt < start) {
      OUTSIDE_BLOCK_SUBSET.lastIndex = start;
      this.outsideAt = OUTSIDE_BLOCK_SUBSET.exec(text)?.index ?? text.length;
    }
    if (this.outsideAt < end) return undefined;
    const parser = new BlockParser(text, start, end, this.maxDepth, this.cache);
    try {
      parser.advance();
      if (parser.indent === -1) return { value: null, rootOffset: start, booleans: parser.booleans, octals: parser.octals };
      const rootOffset = parser.content;
      const value = parser.block(0);
      if (parser.indent !== -1) return undefined; // a line less indented than the root
      return { value, rootOffset, booleans: parser.booleans, octals: parser.octals };
    } catch (error) {
      if (error === BAIL) return undefined;
      throw error;
    }
  }
}

/** Strings up to this length are shared through a small cache: keys and common values repeat across documents. */
const CACHED_MAX_LENGTH = 32;
const CACHE_MASK = 4095;

class BlockParser {
  /** Column of the current line's content; -1 past the last line. */
  indent = -1;
  /** Offset of the current line's content (or, for a compact map in a sequence item, of its first key). */
  content = 0;
  private lineEnd = 0;
  private next: number;
  /** Created on the first boolean: most documents hold none. */
  booleans: Set<string> = NO_BOOLEANS;
  /** Created on the first leading-zero octal (`defaultMode: 0644`). */
  octals: Map<string, string> = NO_OCTALS;
  private readonly path: PathSegment[] = [];

  constructor(
    private readonly text: string,
    start: number,
    private readonly end: number,
    private readonly maxDepth: number,
    private readonly cache: (string | undefined)[],
  ) {
    this.next = start;
  }

  /** text.slice(at, end), the same string object as last time when it repeats (fewer allocations, interned keys). */
  private slice(at: number, end: number): string {
    const { text } = this;
    const length = end - at;
    if (length > CACHED_MAX_LENGTH || length === 0) return text.slice(at, end);
    const slot = (length * 31 + text.charCodeAt(at) * 7 + text.charCodeAt(end - 1) * 131 + text.charCodeAt(at + (length >> 1)) * 17) & CACHE_MASK;
    const cached = this.cache[slot];
    if (cached !== undefined && cached.length === length && text.startsWith(cached, at)) return cached;
    const fresh = text.slice(at, end);
    this.cache[slot] = fresh;
    return fresh;
  }

  /** Moves to the next line holding content (not blank, not a comment). */
  advance(): void {
    const { text, end } = this;
    let lineStart = this.next;
    while (lineStart < end) {
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd === -1 || lineEnd > end) lineEnd = end;
      let q = lineStart;
      while (q < lineEnd && text.charCodeAt(q) === SPACE) q++;
      if (q < lineEnd && text.charCodeAt(q) !== HASH) {
        // At column 0, `---`/`...` lines are markers (the caller split on the plain ones) and `%` a directive.
        if (q === lineStart && (text.startsWith('---', q) || text.startsWith('...', q) || text.charCodeAt(q) === 37)) throw BAIL;
        this.indent = q - lineStart;
        this.content = q;
        this.lineEnd = lineEnd;
        this.next = lineEnd + 1;
        return;
      }
      lineStart = lineEnd + 1;
    }
    this.indent = -1;
    this.next = end;
  }

  /** The node starting on the current line (a map or a sequence; a scalar there would be multi-line). */
  block(depth: number): unknown {
    return this.isSequenceEntry(this.content) ? this.sequence(this.indent, depth) : this.map(this.indent, depth);
  }

  private map(indent: number, depth: number): PlainObject {
    if (depth >= this.maxDepth) throw BAIL;
    const out = Object.setPrototypeOf({}, null) as PlainObject;
    const { path } = this;
    while (this.indent === indent) {
      const at = this.content;
      if (this.isSequenceEntry(at)) throw BAIL;
      const key = this.key(at);
      if (key === undefined || key === FORBIDDEN_KEY || key in out) throw BAIL;
      path.push(key);
      out[key] = this.entryValue(this.afterKey, indent, depth + 1);
      path.pop();
    }
    if (this.indent > indent) throw BAIL; // e.g. the continuation of a multi-line plain scalar
    return out;
  }

  private sequence(indent: number, depth: number): unknown[] {
    if (depth >= this.maxDepth) throw BAIL;
    const out: unknown[] = [];
    const { path, text } = this;
    while (this.indent === indent && this.isSequenceEntry(this.content)) {
      path.push(out.length);
      const dash = this.content;
      let q = dash + 1;
      while (q < this.lineEnd && text.charCodeAt(q) === SPACE) q++;
      let item: unknown;
      if (q === this.lineEnd || text.charCodeAt(q) === HASH) {
        this.advance();
        item = this.indent > indent ? this.block(depth + 1) : null;
      } else if (this.isSequenceEntry(q)) {
        throw BAIL; // `- - x`
      } else if (this.key(q) !== undefined) {
        // A compact map: its keys line up with the first one, after the dash.
        this.indent += q - dash;
        this.content = q;
        item = this.map(this.indent, depth + 1);
      } else {
        item = this.inlineValue(q, depth + 1);
        this.advance();
      }
      path.pop();
      out.push(item);
    }
    if (this.indent > indent) throw BAIL;
    return out;
  }

  /** The value of a map entry whose `:` ends before `at`; its lines are consumed. */
  private entryValue(at: number, indent: number, depth: number): unknown {
    const { text } = this;
    let q = at;
    while (q < this.lineEnd && text.charCodeAt(q) === SPACE) q++;
    if (q === this.lineEnd || text.charCodeAt(q) === HASH) {
      this.advance();
      if (this.indent > indent) return this.block(depth);
      // A sequence may sit at its key's own indentation.
      if (this.indent === indent && this.isSequenceEntry(this.content)) return this.sequence(indent, depth);
      return null;
    }
    const value = this.inlineValue(q, depth);
    this.advance();
    return value;
  }

  /** `-` followed by a space or the end of the line. */
  private isSequenceEntry(at: number): boolean {
    if (this.text.charCodeAt(at) !== DASH) return false;
    return at + 1 === this.lineEnd || this.text.charCodeAt(at + 1) === SPACE;
  }

  /** Set by key(): the offset just after the key's `:`. */
  private afterKey = 0;

  /** The key of a `key: value` line starting at `at` (a plain or quoted string), or undefined when it is none. */
  private key(at: number): string | undefined {
    const { text, lineEnd } = this;
    const first = text.charCodeAt(at);
    if (first === 34 || first === 39) {
      const key = first === 34 ? this.doubleQuoted(at) : this.singleQuoted(at);
      let q = this.quotedEnd;
      while (q < lineEnd && text.charCodeAt(q) === SPACE) q++;
      if (q < lineEnd && text.charCodeAt(q) === COLON && (q + 1 === lineEnd || text.charCodeAt(q + 1) === SPACE)) {
        if (this.quotedEnd - at > MAX_IMPLICIT_KEY) throw BAIL;
        this.afterKey = q + 1;
        return key;
      }
      return undefined;
    }
    if (startsWithIndicator(text, at, lineEnd)) return undefined;
    for (let i = at + 1; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (c === COLON) {
        if (i + 1 !== lineEnd && text.charCodeAt(i + 1) !== SPACE) continue;
        let keyEnd = i;
        while (text.charCodeAt(keyEnd - 1) === SPACE) keyEnd--;
        const key = this.slice(at, keyEnd);
        // Only keys the core schema reads as strings (resolvePlain bails on YAML 1.1 words such as `on:`, which the
        // locating reader marks; `true:` resolves to a boolean); YAML caps implicit keys at 1024 characters.
        if (keyEnd - at > MAX_IMPLICIT_KEY || resolvePlain(key) !== key) throw BAIL;
        if (key === MERGE_KEY) throw BAIL; // refused by the locating reader
        this.afterKey = i + 1;
        return key;
      }
      if (c === HASH && text.charCodeAt(i - 1) === SPACE) return undefined;
    }
    return undefined;
  }

  /** A value that ends on this line: a scalar or an empty flow collection; the rest of the line must be a comment. */
  private inlineValue(at: number, depth: number): unknown {
    const { text, lineEnd } = this;
    const first = text.charCodeAt(at);
    if (first === 34 || first === 39) {
      const value = first === 34 ? this.doubleQuoted(at) : this.singleQuoted(at);
      this.expectLineEnd(this.quotedEnd);
      return value;
    }
    if ((first === 91 && text.charCodeAt(at + 1) === 93) || (first === 123 && text.charCodeAt(at + 1) === 125)) {
      if (depth >= this.maxDepth) throw BAIL;
      this.expectLineEnd(at + 2);
      return first === 91 ? [] : Object.setPrototypeOf({}, null);
    }
    if (startsWithIndicator(text, at, lineEnd)) throw BAIL;
    let end = lineEnd;
    for (let i = at + 1; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (c === HASH && text.charCodeAt(i - 1) === SPACE) {
        end = i;
        break;
      }
      if (c === COLON && (i + 1 === lineEnd || text.charCodeAt(i + 1) === SPACE)) throw BAIL; // `a: b: c`
    }
    while (text.charCodeAt(end - 1) === SPACE) end--;
    const source = this.slice(at, end);
    const value = resolvePlain(source);
    if (typeof value === 'boolean') {
      if (this.booleans === NO_BOOLEANS) this.booleans = new Set();
      this.booleans.add(formatPath(this.path));
    }
    if (typeof value === 'number' && source.charCodeAt(0) === 48 && source.length > 1 && isYaml11Ambiguous(source)) {
      // Read as YAML 1.2 does; marked (as the locating reader marks it) so that a field the analysis reads refuses it.
      if (this.booleans === NO_BOOLEANS) this.booleans = new Set();
      if (this.octals === NO_OCTALS) this.octals = new Map();
      const path = formatPath(this.path);
      this.booleans.add(path);
      this.octals.set(path, source);
    }
    return value;
  }

  /** After a quoted scalar or `[]`/`{}`: only spaces, then the end of the line or a comment. */
  private expectLineEnd(from: number): void {
    const { text, lineEnd } = this;
    let q = from;
    while (q < lineEnd && text.charCodeAt(q) === SPACE) q++;
    if (q === lineEnd || (q > from && text.charCodeAt(q) === HASH)) return;
    throw BAIL;
  }

  /** Set by the quoted readers: the offset after the closing quote. */
  private quotedEnd = 0;

  private doubleQuoted(at: number): string {
    const { text, lineEnd } = this;
    let out = '';
    let from = at + 1;
    for (let i = from; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        this.quotedEnd = i + 1;
        return out === '' ? this.slice(from, i) : out + text.slice(from, i);
      }
      if (c !== 92) continue;
      out += text.slice(from, i);
      const escape = text[i + 1];
      switch (escape) {
        case '"':
        case '\\':
        case '/':
          out += escape;
          break;
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u': {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw BAIL;
          const code = parseInt(hex, 16);
          if (code === 0 || (code >= 0xd800 && code <= 0xdfff)) throw BAIL; // left to validate/characters.ts
          out += String.fromCharCode(code);
          i += 4;
          break;
        }
        default:
          throw BAIL; // rarer escapes (`\x`, `\U`, `\N`, `\e`, line continuations, ...)
      }
      i++;
      from = i + 1;
    }
    throw BAIL; // continues on the next line
  }

  private singleQuoted(at: number): string {
    const { text, lineEnd } = this;
    let out = '';
    let from = at + 1;
    for (let i = from; i < lineEnd; i++) {
      if (text.charCodeAt(i) !== 39) continue;
      if (text.charCodeAt(i + 1) === 39 && i + 1 < lineEnd) {
        out += text.slice(from, i + 1);
        i++;
        from = i + 1;
        continue;
      }
      this.quotedEnd = i + 1;
      return out === '' ? this.slice(from, i) : out + text.slice(from, i);
    }
    throw BAIL;
  }
}

/** A plain scalar cannot start with these (`-`, `?`, `:` only when a space or the line end follows). */
function startsWithIndicator(text: string, at: number, lineEnd: number): boolean {
  const c = text.charCodeAt(at);
  switch (c) {
    case 45: // -
    case 63: // ?
    case 58: // :
      return at + 1 === lineEnd || text.charCodeAt(at + 1) === SPACE;
    case 44: // ,
    case 91: // [
    case 93: // ]
    case 123: // {
    case 125: // }
    case 35: // #
    case 38: // &
    case 42: // *
    case 33: // !
    case 124: // |
    case 62: // >
    case 39: // '
    case 34: // "
    case 37: // %
    case 64: // @
    case 96: // `
      return true;
    default:
      return false;
  }
}

/** A one-line plain scalar under the YAML 1.2 core schema; bails on the forms left to the next tier. */
function resolvePlain(source: string): unknown {
  const c = source.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) {
    if (SIMPLE_INT.test(source)) {
      const n = parseInt(source, 10);
      if (!Number.isFinite(n)) throw BAIL;
      return n;
    }
    if (SIMPLE_FLOAT.test(source)) {
      const n = parseFloat(source);
      if (!Number.isFinite(n)) throw BAIL;
      return n;
    }
    if (LEADING_ZERO_INT.test(source)) {
      // `0644` (common in `defaultMode`): decimal 644 to the 1.2 core schema; the caller marks it.
      const n = parseInt(source, 10);
      if (!Number.isFinite(n)) throw BAIL;
      return n;
    }
    if (OTHER_NUMBER.test(source) || isYaml11Ambiguous(source)) throw BAIL;
    return source;
  }
  switch (source) {
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    // YAML 1.1 booleans (yaml11.ts): the locating reader marks them; left to the next tier.
    case 'y':
    case 'Y':
    case 'yes':
    case 'Yes':
    case 'YES':
    case 'n':
    case 'N':
    case 'no':
    case 'No':
    case 'NO':
    case 'on':
    case 'On':
    case 'ON':
    case 'off':
    case 'Off':
    case 'OFF':
      throw BAIL;
  }
  return source;
}
