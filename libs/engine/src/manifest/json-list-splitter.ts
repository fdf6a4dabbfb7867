// Incremental splitter for a top-level JSON object whose `items` array holds the objects (`kubectl get -o json`).
// Fed the text in chunks (split anywhere), it hands back each element of `items` as its exact JSON text with its
// index and 1-based starting line, so a 200 MB List is never one string nor one JSON.parse. It tracks strings,
// escapes and nesting across chunks, checks the structure between elements (brackets, commas, colons, the
// depth limit, duplicate top-level keys) and keeps the other top-level values (apiVersion, kind, metadata) as
// text, bounded in size. The element texts themselves are checked by whoever parses them (the JSON reader).
// String contents (most of a body) are skipped with indexOf, and lines are counted only where one is reported
// (1 + the newlines before that offset), so a 50 MB one-line body is not walked character by character.
import { formatPath } from './path.js';
import type { Issue } from './types.js';

export interface SplitItem {
  readonly index: number;
  /** 1-based line of the element's first character in the whole text. */
  readonly line: number;
  readonly text: string;
  /** Keys in the element (one ':' outside strings each), for the reader's duplicate-key check without a second scan. */
  readonly keyCount: number;
}

/** A top-level member other than `items`: its key, the lines of key and value, and the value's JSON text. */
export interface HeaderField {
  readonly key: string;
  readonly keyLine: number;
  readonly valueLine: number;
  readonly text: string;
}

/** Bytes of top-level values (other than `items`) kept; a List's header is a few hundred. */
export const MAX_HEADER_CHARS = 1 << 20;

type State =
  | 'root' // before the top-level `{`
  | 'key-or-end' // after `{`: a key or `}`
  | 'key' // after `,`: a key
  | 'key-text' // inside a key string
  | 'colon'
  | 'value' // before a top-level value
  | 'member-end' // after a top-level value: `,` or `}`
  | 'element-or-close' // after `items: [`
  | 'element' // after `,` in items
  | 'element-end' // after an element: `,` or `]`
  | 'capture' // inside a value being captured (an element or a header value)
  | 'done' // after the closing `}`: whitespace only
  | 'failed';

const WHITESPACE = new Set([32, 9, 10, 13]);
const QUOTE = 34;
const BACKSLASH = 92;

/** Backslashes right before `end`, not looking before `from` (what precedes `from` is consumed already). */
function backslashesBefore(text: string, end: number, from: number): number {
  let k = end - 1;
  while (k >= from && text.charCodeAt(k) === BACKSLASH) k--;
  return end - 1 - k;
}

export class JsonListSplitter {
  /** The first SYNTAX, DEPTH_LIMIT, SIZE_LIMIT or DUPLICATE_KEY problem (the latter does not stop the split). */
  readonly problems: Issue[] = [];
  readonly header: HeaderField[] = [];
  /** True once a top-level `items` array has begun. */
  itemsStarted = false;
  /** Lines of the top-level `{` and of the `items` key. */
  rootLine = 1;
  itemsKeyLine = 1;

  private state: State = 'root';
  /** 1 + the newlines before offset `lineCountedTo` of the current chunk. */
  private line = 1;
  private lineCountedTo = 0;
  /** The first newline at or after `lineCountedTo` in the current chunk: -1 none, undefined not looked for yet. */
  private nextNewline: number | undefined;
  private headerChars = 0;
  private readonly keys = new Set<string>();
  // the key being read
  private keyParts: string[] = [];
  private keyLine = 0;
  private key = '';
  // the value being captured
  private parts: string[] = [];
  private captureLine = 0;
  private captureIsItem = false;
  private captureKeep = true;
  private stack: number[] = []; // open brackets inside the captured value
  private captureKeys = 0; // colons outside strings in the captured value
  private inString = false;
  private escaped = false;
  private scalar = false;
  private itemIndex = 0;

  constructor(
    private readonly file: string,
    private readonly maxDepth: number,
  ) {}

  get failed(): boolean {
    return this.state === 'failed';
  }

  /** Feeds the next chunk; returns the elements of `items` it completed. */
  write(chunk: string): SplitItem[] {
    const out: SplitItem[] = [];
    const n = chunk.length;
    this.lineCountedTo = 0;
    this.nextNewline = undefined;
    let i = 0;
    while (i < n && this.state !== 'failed') {
      if (this.state === 'capture') {
        i = this.capture(chunk, i, out);
        continue;
      }
      if (this.state === 'key-text') {
        i = this.readKey(chunk, i);
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) {
        i++;
        continue;
      }
      this.countLines(chunk, i);
      this.structural(c, chunk[i]!);
      if ((this.state as State) !== 'capture') i++; // a captured value starts with this character
    }
    this.countLines(chunk, n);
    return out;
  }

  /** Brings `line` up to offset `to` of the chunk (never backwards). */
  private countLines(chunk: string, to: number): void {
    if (to <= this.lineCountedTo) return;
    let at = this.nextNewline ?? chunk.indexOf('\n', this.lineCountedTo);
    while (at !== -1 && at < to) {
      this.line++;
      at = chunk.indexOf('\n', at + 1);
    }
    this.nextNewline = at;
    this.lineCountedTo = to;
  }

  /** Call after the last chunk: reports a text that ended early. */
  end(): void {
    if (this.state === 'failed' || this.state === 'done') return;
    this.fail('SYNTAX', 'invalid JSON: unexpected end of input');
  }

  private structural(c: number, char: string): void {
    switch (this.state) {
      case 'root':
        if (char === '{') {
          this.rootLine = this.line;
          this.state = 'key-or-end';
        }
        else this.unexpected(char);
        return;
      case 'key-or-end':
      case 'key':
        if (c === QUOTE) {
          this.keyParts = ['"'];
          this.keyLine = this.line;
          this.inString = true;
          this.escaped = false;
          this.state = 'key-text';
        } else if (char === '}' && this.state === 'key-or-end') this.state = 'done';
        else this.unexpected(char);
        return;
      case 'colon':
        if (char === ':') this.state = 'value';
        else this.unexpected(char);
        return;
      case 'value':
        if (this.key === 'items' && char === '[') {
          this.itemsStarted = true;
          this.itemsKeyLine = this.keyLine;
          if (!this.checkDepth(2)) return;
          this.itemIndex = 0;
          this.state = 'element-or-close';
        } else this.startCapture(char, false);
        return;
      case 'member-end':
        if (char === ',') this.state = 'key';
        else if (char === '}') this.state = 'done';
        else this.unexpected(char);
        return;
      case 'element-or-close':
      case 'element':
        if (char === ']' && this.state === 'element-or-close') this.state = 'member-end';
        else this.startCapture(char, true);
        return;
      case 'element-end':
        if (char === ',') this.state = 'element';
        else if (char === ']') this.state = 'member-end';
        else this.unexpected(char);
        return;
      default:
        this.unexpected(char);
    }
  }

  /** Reads a key string (possibly across chunks); returns the next index. */
  private readKey(chunk: string, start: number): number {
    let i = start;
    const n = chunk.length;
    while (i < n) {
      const c = chunk.charCodeAt(i++);
      if (this.escaped) this.escaped = false;
      else if (c === BACKSLASH) this.escaped = true;
      else if (c === QUOTE) {
        this.keyParts.push(chunk.slice(start, i));
        this.endKey();
        return i;
      }
    }
    this.keyParts.push(chunk.slice(start, n));
    return n;
  }

  private endKey(): void {
    this.inString = false;
    let key: string;
    try {
      key = JSON.parse(this.keyParts.join('')) as string;
    } catch (error) {
      this.fail('SYNTAX', `invalid JSON: ${error instanceof Error ? error.message : String(error)}`, this.keyLine);
      return;
    }
    this.keyParts = [];
    if (this.keys.has(key) && !this.problems.some((p) => p.code === 'DUPLICATE_KEY')) {
      this.problems.push(this.issue('DUPLICATE_KEY', `duplicate key "${key}"`, this.keyLine, formatPath([key])));
    }
    this.keys.add(key);
    this.key = key;
    this.state = 'colon';
  }

  private startCapture(char: string, isItem: boolean): void {
    if (char === ']' || char === '}' || char === ',' || char === ':') {
      this.unexpected(char);
      return;
    }
    this.captureIsItem = isItem;
    this.captureKeep = true;
    this.captureLine = this.line;
    this.parts = [];
    this.stack = [];
    this.captureKeys = 0;
    this.inString = false;
    this.escaped = false;
    this.scalar = char !== '{' && char !== '[' && char !== '"';
    this.state = 'capture';
  }

  /**
   * Scans the captured value from `start`; returns the next index. The opening character is scanned here too
   * (the caller did not consume it), so a value is always the exact slice(s) of the text.
   */
  private capture(chunk: string, start: number, out: SplitItem[]): number {
    const n = chunk.length;
    const base = this.captureIsItem ? 2 : 1; // depth of the array or object holding the value
    let i = start;
    while (i < n) {
      if (this.inString) {
        i = this.skipStringContent(chunk, i);
        if (!this.inString && this.stack.length === 0 && !this.scalar) {
          this.keep(chunk.slice(start, i));
          this.finishCapture(out);
          return i;
        }
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (this.scalar) {
        if (c === 44 || c === 93 || c === 125 || WHITESPACE.has(c)) {
          this.keep(chunk.slice(start, i));
          this.finishCapture(out);
          return i; // the delimiter is read by the structural states
        }
        i++;
        continue;
      }
      if (c === QUOTE) {
        this.inString = true;
      } else if (c === 58) {
        this.captureKeys++;
      } else if (c === 123 || c === 91) {
        this.stack.push(c);
        if (this.stack.length + base > this.maxDepth) {
          this.countLines(chunk, i);
          this.checkDepth(base + this.stack.length);
          return n;
        }
      } else if (c === 125 || c === 93) {
        const open = this.stack.pop();
        if (open === undefined || (open === 123) !== (c === 125)) {
          this.countLines(chunk, i);
          this.unexpected(chunk[i]!);
          return n;
        }
        if (this.stack.length === 0) {
          this.keep(chunk.slice(start, i + 1));
          this.finishCapture(out);
          return i + 1;
        }
      }
      i++;
    }
    this.keep(chunk.slice(start, n));
    return n;
  }

  /**
   * Inside a string from `start`: the index just past its closing quote (and `inString` false), or the chunk's
   * end (a trailing odd run of backslashes escapes the next chunk's first character).
   */
  private skipStringContent(chunk: string, start: number): number {
    let from = start;
    if (this.escaped) {
      this.escaped = false;
      from++;
    }
    const n = chunk.length;
    for (;;) {
      const quote = chunk.indexOf('"', from);
      if (quote < 0) {
        this.escaped = from < n && backslashesBefore(chunk, n, from) % 2 === 1;
        return n;
      }
      if (backslashesBefore(chunk, quote, from) % 2 === 0) {
        this.inString = false;
        return quote + 1;
      }
      from = quote + 1;
    }
  }

  private keep(part: string): void {
    if (!this.captureKeep || part === '') return;
    if (!this.captureIsItem) {
      this.headerChars += part.length;
      if (this.headerChars > MAX_HEADER_CHARS) {
        this.fail('SIZE_LIMIT', `the top-level fields other than items exceed ${MAX_HEADER_CHARS} characters`, this.captureLine, formatPath([this.key]));
        return;
      }
    }
    this.parts.push(part);
  }

  private finishCapture(out: SplitItem[]): void {
    if (this.state === 'failed') return;
    const text = this.parts.join('');
    this.parts = [];
    if (this.captureIsItem) {
      out.push({ index: this.itemIndex++, line: this.captureLine, text, keyCount: this.captureKeys });
      this.state = 'element-end';
    } else {
      this.header.push({ key: this.key, keyLine: this.keyLine, valueLine: this.captureLine, text });
      this.state = 'member-end';
    }
  }

  private checkDepth(depth: number): boolean {
    if (depth <= this.maxDepth) return true;
    this.fail('DEPTH_LIMIT', `nesting deeper than ${this.maxDepth} levels`, this.line);
    return false;
  }

  private unexpected(char: string): void {
    this.fail('SYNTAX', `invalid JSON: unexpected ${JSON.stringify(char)}`, this.line);
  }

  private fail(code: Issue['code'], message: string, line = this.line, path = ''): void {
    this.problems.push(this.issue(code, message, line, path));
    this.state = 'failed';
  }

  private issue(code: Issue['code'], message: string, line: number, path: string): Issue {
    return { code, severity: 'error', message, file: this.file, document: 0, path, line };
  }
}
