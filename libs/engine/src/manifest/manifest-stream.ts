// Streaming counterpart of parseManifests for one uploaded body, fed in chunks. A body up to WHOLE_TEXT_CHARS is kept
// as text and read whole at the end by parseManifests' own readers (a JSON List item by item, each object mapped by
// `keep` as it is read). A longer JSON List (a body limit raised past it) is split item by item (JsonListSplitter)
// from there on, each item read by the same JSON reader and validated by the same object layer, and only what `keep`
// returns is held, never the text: no string nears V8's maximum length. Measured on the L dump (126 MB, 2026-12-07,
// server ingest): read whole 825-852 MiB peak RSS, split as it arrives 923-1035 MiB, wall and CPU the same within
// noise (ProjectedUploadStream alone: 5.3-6.0 against 6.3-6.4 s CPU). YAML and JSON that is not an object with a
// top-level `items` array are always read whole. Same results either way.
import { readJson, readJsonListElement } from './json-reader.js';
import { JsonListSplitter, type SplitItem } from './json-list-splitter.js';
import { isListKind } from './kinds.js';
import { resolveLimits, type Limits } from './limits.js';
import {
  CollectState,
  collectManifests,
  collectValue,
  identify,
  itemInheritance,
  type Inherited,
} from './parse-manifests.js';
import { formatPath, type FieldPath } from './path.js';
import { FORBIDDEN_KEY, isPlainObject, newPlainObject } from './plain-data.js';
import type { RawDocument } from './raw-document.js';
import type { Issue, ParsedObject, ParseOptions } from './types.js';

export interface ManifestStreamResult<T> {
  /** `keep` of every valid object, in text order (empty when the body is rejected as unparseable). */
  readonly kept: T[];
  /** The issues parseManifests would report for the whole text (located: `items[i]…`, lines of the body). */
  readonly issues: Issue[];
  /** True when the body was split item by item; false when it went through parseManifests whole. */
  readonly streamed: boolean;
}

/** Bodies up to this many characters are read whole at the end (256 Mi: a one-byte string of 256 MB). */
export const WHOLE_TEXT_CHARS = 256 * 2 ** 20;

export interface ManifestStreamOptions extends ParseOptions {
  /** Split a JSON List item by item once the body passes this many characters (default WHOLE_TEXT_CHARS). */
  readonly streamAfterChars?: number;
}

/** How bad a problem that stops the read is: the whole-text reader finds syntax first, then depth, then duplicates. */
const FATAL_RANK: Partial<Record<Issue['code'], number>> = { SYNTAX: 3, DEPTH_LIMIT: 2, SIZE_LIMIT: 2, DUPLICATE_KEY: 1 };

interface Pending {
  readonly index: number;
  readonly document: RawDocument;
}

export class ManifestStream<T> {
  private readonly limits: Limits;
  private readonly splitter: JsonListSplitter;
  private mode: 'undecided' | 'json-object' | 'text' = 'undecided';
  private started = false;
  /** The text so far, until the body is known to be a big List (then dropped). */
  private retained: string[] | undefined = [];
  private retainedChars = 0;
  private readonly fatal: Issue[] = [];
  private readonly readIssues: Issue[] = [];
  private readonly itemIssues: { index: number; issue: Issue }[] = [];
  private readonly kept: { index: number; value: T }[] = [];
  private readonly pending: Pending[] = [];
  private earlyInherited: Inherited | undefined;
  private state: CollectState;
  /** Chunks (BOM dropped) the splitter has not seen: while the body may still be read whole, it is not split. */
  private unsplit: string[] = [];

  constructor(
    private readonly file: string,
    private readonly keep: (parsed: ParsedObject) => T,
    private readonly options?: ManifestStreamOptions,
  ) {
    this.limits = resolveLimits(options);
    this.state = new CollectState(this.limits.maxObjects);
    this.splitter = new JsonListSplitter(file, this.limits.maxDepth);
  }

  write(chunk: string): void {
    if (this.retained) {
      this.retained.push(chunk);
      this.retainedChars += chunk.length;
    }
    if (!this.started && chunk !== '') {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1); // a BOM, as parseManifests drops it
    }
    if (this.mode === 'undecided') {
      const first = /[^ \t\r\n]/.exec(chunk)?.[0];
      if (first !== undefined) this.mode = first === '{' ? 'json-object' : 'text';
    }
    if (this.mode === 'text' || this.splitter.failed) return;
    const splitFrom = this.options?.streamAfterChars ?? WHOLE_TEXT_CHARS;
    if (this.retained && this.retainedChars <= splitFrom) {
      this.unsplit.push(chunk);
      return;
    }
    // Past the whole-text size: the splitter catches up on what it has not seen, then takes each chunk as it comes.
    const chunks = this.unsplit.length > 0 ? [...this.unsplit, chunk] : [chunk];
    this.unsplit = [];
    for (const part of chunks) {
      if (this.splitter.failed) break;
      const seen = this.splitter.problems.length;
      for (const item of this.splitter.write(part)) this.item(item);
      this.fatal.push(...this.splitter.problems.slice(seen));
    }
    if (this.retained && this.splitter.itemsStarted && !this.splitter.failed) {
      this.retained = undefined; // a big List: from here on only items and the small header are kept
    }
  }

  end(): ManifestStreamResult<T> {
    if (this.retained) {
      const text = this.retained.join('');
      this.retained = undefined; // the chunks are garbage once joined
      this.unsplit = [];
      const parsed = collectManifests([{ path: this.file, text }], this.options, this.keep);
      return { kept: parsed.kept, issues: parsed.issues, streamed: false };
    }
    const seen = this.splitter.problems.length;
    this.splitter.end();
    this.fatal.push(...this.splitter.problems.slice(seen));
    const header = this.readHeader();
    const fatal = this.worstFatal();
    if (fatal) return { kept: [], issues: [fatal], streamed: true };

    const headerIssues: Issue[] = [];
    const list = identify(header, header.value, [], {}, headerIssues);
    const readIssues = [...this.readIssues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    if (!list) return { kept: [], issues: [...readIssues, ...headerIssues], streamed: true };
    if (!isListKind(list.kind)) {
      const issue: Issue = {
        code: 'INVALID_VALUE',
        severity: 'error',
        message: `a JSON object with a top-level items array must be a List (kind List or …List), not ${list.kind}`,
        file: this.file,
        document: 0,
        path: 'kind',
        line: header.lineAt(['kind']),
      };
      return { kept: [], issues: [...readIssues, issue], streamed: true };
    }
    const inherited = itemInheritance(list);
    for (const pending of this.pending) this.collect(pending.index, pending.document, inherited);
    const byIndex = <E extends { index: number }>(a: E, b: E) => a.index - b.index;
    if (this.pending.length > 0) {
      this.kept.sort(byIndex);
      this.itemIssues.sort(byIndex);
    }
    return {
      kept: this.kept.map((entry) => entry.value),
      issues: [...readIssues, ...headerIssues, ...this.itemIssues.map((entry) => entry.issue)],
      streamed: true,
    };
  }

  /** Reads one item with the JSON reader; validates it now unless it needs the List's kind, not read yet. */
  private item(item: SplitItem): void {
    const prefix: FieldPath = ['items', item.index];
    // The splitter scanned the element already: read it without a second scan, unless that is not exact.
    const read = readJsonListElement(this.file, item.text, item.keyCount) ?? readJson(this.file, item.text, this.limits);
    for (const issue of read.issues) this.readIssue(embeddedIssue(issue, prefix, item.line));
    const inner = read.documents[0];
    if (!inner || this.fatal.length > 0) return; // only looking for a worse problem now
    const document = new EmbeddedDocument(inner, prefix, item.line);
    const value = inner.value;
    const selfIdentified = !isPlainObject(value) || (value['apiVersion'] != null && value['kind'] != null);
    const inherited = selfIdentified ? {} : this.inheritedSoFar();
    if (inherited) this.collect(item.index, document, inherited);
    else this.pending.push({ index: item.index, document });
  }

  private collect(index: number, document: RawDocument, inherited: Inherited): void {
    const objects: ParsedObject[] = [];
    const issues: Issue[] = [];
    collectValue(document, document.value, ['items', index], inherited, objects, issues, this.state);
    for (const parsed of objects) this.kept.push({ index, value: this.keep(parsed) });
    for (const issue of issues) this.itemIssues.push({ index, issue });
  }

  private readIssue(issue: Issue): void {
    if (FATAL_RANK[issue.code] !== undefined) this.fatal.push(issue);
    else this.readIssues.push(issue);
  }

  /** What items inherit, when the List's apiVersion and kind came before `items` (API server order). */
  private inheritedSoFar(): Inherited | undefined {
    if (this.earlyInherited) return this.earlyInherited;
    const field = (key: string) => {
      const found = this.splitter.header.find((f) => f.key === key);
      try {
        return found ? (JSON.parse(found.text) as unknown) : undefined;
      } catch {
        return undefined;
      }
    };
    const apiVersion = field('apiVersion');
    const kind = field('kind');
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !isListKind(kind)) return undefined;
    return (this.earlyInherited = kind === 'List' ? {} : { apiVersion, kind: kind.slice(0, -'List'.length) });
  }

  /** The top-level members other than `items`, each read by the JSON reader, as one document. */
  private readHeader(): HeaderDocument {
    const header = new HeaderDocument(this.file, this.splitter.rootLine, this.splitter.itemsKeyLine);
    for (const field of this.splitter.header) {
      if (field.key === FORBIDDEN_KEY) {
        this.readIssues.push({
          code: 'FORBIDDEN_KEY',
          severity: 'error',
          message: `the key "${FORBIDDEN_KEY}" is not allowed`,
          file: this.file,
          document: 0,
          path: formatPath([field.key]),
          line: field.keyLine,
        });
        continue;
      }
      const read = readJson(this.file, field.text, { ...this.limits, maxDepth: Math.max(1, this.limits.maxDepth - 1) });
      for (const issue of read.issues) this.readIssue(embeddedIssue(issue, [field.key], field.valueLine));
      const inner = read.documents[0];
      if (inner) header.add(field.key, field.keyLine, new EmbeddedDocument(inner, [field.key], field.valueLine));
    }
    if (this.splitter.itemsStarted) header.value['items'] = []; // streamed: the List's items are checked one by one
    return header;
  }

  private worstFatal(): Issue | undefined {
    let worst: Issue | undefined;
    for (const issue of this.fatal) {
      if (!worst || FATAL_RANK[issue.code]! > FATAL_RANK[worst.code]!) worst = issue;
    }
    return worst;
  }
}

/** An issue of an embedded value's reader, located in the whole text (a syntax error is on the whole body: path ''). */
function embeddedIssue(issue: Issue, prefix: FieldPath, firstLine: number): Issue {
  const line = issue.line === undefined ? firstLine : issue.line + firstLine - 1;
  if (issue.code === 'SYNTAX' || issue.code === 'DEPTH_LIMIT') return { ...issue, path: '', line };
  const head = formatPath(prefix);
  const path = issue.path === '' ? head : issue.path.startsWith('[') ? head + issue.path : `${head}.${issue.path}`;
  return { ...issue, path, line };
}

/** A value read on its own (an item, a header field), seen at `prefix` of the whole text from line `firstLine`. */
class EmbeddedDocument implements RawDocument {
  readonly index = 0;
  readonly file: string;
  readonly value: unknown;
  readonly yaml11Free = true;
  readonly charactersScreened: boolean;

  constructor(
    private readonly inner: RawDocument,
    private readonly prefix: FieldPath,
    private readonly firstLine: number,
  ) {
    this.file = inner.file;
    this.value = inner.value;
    this.charactersScreened = inner.charactersScreened === true;
  }

  lineAt(path: FieldPath): number | undefined {
    const line = this.inner.lineAt(path.slice(this.prefix.length));
    return line === undefined ? undefined : line + this.firstLine - 1;
  }

  isYaml11Value(): boolean {
    return false;
  }

  isYaml11Key(): boolean {
    return false;
  }
}

/** The List's top level without its items: locates `apiVersion`, `kind`, … on their key lines. */
class HeaderDocument implements RawDocument {
  readonly index = 0;
  readonly yaml11Free = true;
  readonly value = newPlainObject();
  private readonly fields = new Map<string, { keyLine: number; document: RawDocument }>();

  constructor(
    readonly file: string,
    private readonly rootLine: number,
    private readonly itemsKeyLine: number,
  ) {}

  add(key: string, keyLine: number, document: RawDocument): void {
    this.value[key] = document.value;
    this.fields.set(key, { keyLine, document });
  }

  lineAt(path: FieldPath): number | undefined {
    const key = path[0];
    if (key === undefined) return this.rootLine;
    if (key === 'items') return this.itemsKeyLine;
    const field = typeof key === 'string' ? this.fields.get(key) : undefined;
    if (!field) return this.rootLine;
    return path.length === 1 ? field.keyLine : field.document.lineAt(path);
  }

  isYaml11Value(): boolean {
    return false;
  }

  isYaml11Key(): boolean {
    return false;
  }
}
