// YAML reader: multi-document text → plain data, with the hostile-input guards (alias count, depth,
// duplicate keys, `__proto__` keys) and the marks needed to reject YAML 1.1 scalars later.
// Parsed with the YAML 1.2 core schema; we build the values ourselves (not `toJS`) to count alias
// expansions, cap depth and keep null-prototype objects.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Document, Node as YamlNode, Pair, YAMLMap } from 'yaml';
import type { Limits } from './limits.js';
import { formatPath, type FieldPath, type PathSegment } from './path.js';
import { FORBIDDEN_KEY, newPlainObject, type PlainObject } from './plain-data.js';
import type { RawDocument, ReadOutcome } from './raw-document.js';
import type { Issue, IssueCode } from './types.js';
import { isYaml11Ambiguous } from './yaml11.js';
import { excessiveYamlNesting } from './yaml-depth-scan.js';

/** Errors at the first of these stop the document (it is not handed on). */
class DocumentAbort extends Error {
  constructor(
    readonly code: IssueCode,
    message: string,
    readonly offset: number | undefined,
    readonly path: FieldPath,
  ) {
    super(message);
  }
}

const MAX_SYNTAX_ISSUES_PER_DOCUMENT = 10;
/** The library reports its own stack overflow as a document error (the nesting scan should have refused it first). */
const STACK_EXHAUSTED = /^Maximum call stack size exceeded/;

export function readYaml(file: string, text: string, limits: Limits): ReadOutcome {
  const lineCounter = new LineCounter();
  const lineOf = (offset: number): number => lineCounter.linePos(offset).line;
  const issues: Issue[] = [];
  const documents: RawDocument[] = [];
  const tooDeep = excessiveYamlNesting(text, limits.maxDepth);
  if (tooDeep) {
    // Refused before the library's recursive parser sees it (past a few hundred levels it exhausts the stack).
    issues.push({
      code: 'DEPTH_LIMIT',
      severity: 'error',
      message: `nesting deeper than ${limits.maxDepth} levels`,
      file,
      document: tooDeep.document,
      path: '',
      ...linePosition(text, tooDeep.offset),
    });
    return { documents, issues };
  }
  let parsed: ReturnType<typeof parseAllDocuments>;
  try {
    parsed = parseAllDocuments(text, {
      schema: 'core',
      version: '1.2',
      lineCounter,
      prettyErrors: false,
      // Duplicates are found by the converter (YamlConverter.map: one Set lookup per key, with the key's path): the
      // library's own check compares each key with every earlier one, quadratic (8,000 keys in one map took 10 s).
      uniqueKeys: false,
      merge: false,
    });
  } catch (error) {
    // The composer recurses; absurd nesting can exhaust the stack before our own depth check runs.
    const code: IssueCode = error instanceof RangeError ? 'DEPTH_LIMIT' : 'SYNTAX';
    issues.push({ code, severity: 'error', message: `cannot parse YAML: ${String(error)}`, file, document: 0, path: '' });
    return { documents, issues };
  }
  if (!Array.isArray(parsed)) return { documents, issues };

  parsed.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      const openers = unclosedFlowOpeners(doc, text);
      for (const error of doc.errors.slice(0, MAX_SYNTAX_ISSUES_PER_DOCUMENT)) {
        const opener = openers.take(error);
        const at = opener ?? error.pos[0];
        issues.push({
          code: error.code === 'DUPLICATE_KEY' ? 'DUPLICATE_KEY' : STACK_EXHAUSTED.test(error.message) ? 'DEPTH_LIMIT' : 'SYNTAX',
          severity: 'error',
          message:
            error.code === 'DUPLICATE_KEY'
              ? `duplicate map key: ${error.message}`
              : opener !== undefined
                ? `${error.message}: this ${text[opener]} is never closed (the document ends first)`
                : error.message,
          file,
          document: index,
          path: '',
          line: lineOf(at),
          column: lineCounter.linePos(at).col,
        });
      }
      return;
    }
    if (doc.contents === null) return; // empty document (`---` alone, or only comments)
    const converter = new YamlConverter(doc, limits);
    try {
      const value = converter.convert(doc.contents as YamlNode, [], 0);
      for (const soft of converter.softIssues) {
        issues.push({ ...soft, file, document: index, line: soft.offset === undefined ? undefined : lineOf(soft.offset) });
      }
      documents.push(new YamlDocument(file, index, value, doc, lineOf, converter.yaml11Values, converter.yaml11Keys));
    } catch (error) {
      if (!(error instanceof DocumentAbort)) throw error;
      issues.push({
        code: error.code,
        severity: 'error',
        message: error.message,
        file,
        document: index,
        path: formatPath(error.path),
        line: error.offset === undefined ? undefined : lineOf(error.offset),
      });
    }
  });
  return { documents, issues };
}

/** 1-based line and column of `offset` (the library's LineCounter is filled only by a parse). */
function linePosition(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The library's error for a flow collection (`[80, 443`, `{name: a`) that is never closed. */
const UNCLOSED_FLOW = /^Flow (sequence|map) (in block collection )?must (be sufficiently indented and )?end with a [\]}]$/;

/**
 * Where the unclosed `[` / `{` of each unclosed-flow error opens, for the errors the library places at the end of the
 * document (end of file, or the next `---`): that position says nothing about where the mistake is, the opening
 * bracket does. An unclosed collection ends (range[1]) where its error is reported; nested ones that share the end are
 * handed out innermost first, as the library reports them. Errors placed elsewhere keep the library's position.
 */
function unclosedFlowOpeners(doc: Document, text: string): { take(error: { readonly message: string; readonly pos: readonly [number, number] }): number | undefined } {
  const atDocumentEnd = (offset: number) => /^(?:\s|#[^\n]*)*(?:(?:---|\.\.\.)[\s\S]*)?$/.test(text.slice(offset, Math.max(offset, doc.range?.[2] ?? text.length)));
  const wanted = doc.errors.filter((e) => UNCLOSED_FLOW.test(e.message) && atDocumentEnd(e.pos[0]));
  const openers: { start: number; end: number; bracket: string }[] = [];
  if (wanted.length > 0) {
    const ends = new Set(wanted.map((e) => e.pos[0]));
    // Iterative walk (a hostile document may nest deeply); aliases are not followed.
    const stack: unknown[] = [doc.contents];
    while (stack.length > 0) {
      const node = stack.pop();
      if (isMap(node) || isSeq(node)) {
        const range = node.range;
        if (node.flow && range && ends.has(range[1]) && (text[range[0]] === '[' || text[range[0]] === '{')) {
          openers.push({ start: range[0], end: range[1], bracket: text[range[0]]! });
        }
        for (const item of node.items as unknown[]) {
          if (item && typeof item === 'object' && 'key' in item && 'value' in item) stack.push((item as Pair).key, (item as Pair).value);
          else stack.push(item);
        }
      }
    }
    openers.sort((a, b) => b.start - a.start);
  }
  return {
    take(error) {
      if (!wanted.includes(error as (typeof wanted)[number])) return undefined;
      const bracket = error.message.endsWith(']') ? '[' : '{';
      const index = openers.findIndex((o) => o.end === error.pos[0] && o.bracket === bracket);
      if (index < 0) return undefined;
      return openers.splice(index, 1)[0]!.start;
    },
  };
}

interface SoftIssue {
  readonly code: IssueCode;
  readonly severity: 'error';
  readonly message: string;
  readonly path: string;
  readonly offset: number | undefined;
}

class YamlConverter {
  /** Path → plain source of each scalar YAML 1.1 reads differently. */
  readonly yaml11Values = new Map<string, string>();
  readonly yaml11Keys = new Set<string>();
  readonly softIssues: SoftIssue[] = [];
  private aliasCount = 0;
  private readonly anchors = new Map<string, YamlNode>();

  constructor(
    private readonly doc: Document,
    private readonly limits: Limits,
  ) {}

  convert(node: YamlNode | null, path: PathSegment[], depth: number): unknown {
    if (node === null) return null;
    if (isAlias(node)) return this.expandAlias(node.source, node.range?.[0], path, depth);
    if (node.anchor) this.anchors.set(node.anchor, node);
    if (isScalar(node)) return this.scalar(node, path);
    if (depth >= this.limits.maxDepth) {
      throw new DocumentAbort(
        'DEPTH_LIMIT',
        `nesting deeper than ${this.limits.maxDepth} levels`,
        node.range?.[0],
        path,
      );
    }
    if (isSeq(node)) {
      const out: unknown[] = [];
      node.items.forEach((item, i) => {
        path.push(i);
        out.push(this.convert(item as YamlNode | null, path, depth + 1));
        path.pop();
      });
      return out;
    }
    if (isMap(node)) return this.map(node.items as Pair<YamlNode | null, YamlNode | null>[], path, depth);
    throw new DocumentAbort('SYNTAX', 'unsupported YAML node', undefined, path);
  }

  private expandAlias(anchor: string, offset: number | undefined, path: PathSegment[], depth: number): unknown {
    this.aliasCount += 1;
    if (this.aliasCount > this.limits.maxAliases) {
      throw new DocumentAbort(
        'ALIAS_LIMIT',
        `more than ${this.limits.maxAliases} alias expansions in one document (alias bomb guard)`,
        offset,
        path,
      );
    }
    const target = this.anchors.get(anchor);
    if (!target) throw new DocumentAbort('SYNTAX', `unknown alias *${anchor}`, offset, path);
    return this.convert(target, path, depth);
  }

  private scalar(node: import('yaml').Scalar, path: PathSegment[]): unknown {
    const value = node.value;
    if (node.type === 'PLAIN' && (typeof value === 'boolean' || isYaml11Ambiguous(String(node.source)))) {
      this.yaml11Values.set(formatPath(path), String(node.source));
    }
    if (typeof value === 'number' && !Number.isFinite(value)) {
      this.softIssues.push({
        code: 'INVALID_VALUE',
        severity: 'error',
        message: `${String(node.source)} is not representable in JSON (Kubernetes objects are JSON)`,
        path: formatPath(path),
        offset: node.range?.[0],
      });
      return null;
    }
    if (value === undefined || value === null) return null;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    if (typeof value === 'bigint') return Number(value);
    return String(value);
  }

  private map(pairs: Pair<YamlNode | null, YamlNode | null>[], path: PathSegment[], depth: number): PlainObject {
    const out = newPlainObject();
    for (const pair of pairs) {
      const keyNode = pair.key;
      let key: string;
      if (keyNode === null) key = '';
      else if (isScalar(keyNode)) key = keyNode.value === null ? 'null' : String(keyNode.value);
      else throw new DocumentAbort('SYNTAX', 'map keys must be scalars', keyNode.range?.[0], path);
      const keyOffset = keyNode?.range?.[0];
      if (isScalar(keyNode) && keyNode.type === 'PLAIN' && key === '<<') {
        // kubectl (YAML 1.1) merges the mapping in; YAML 1.2 reads a key "<<". Neither reading is silently taken.
        throw new DocumentAbort('YAML11_SCALAR', 'YAML merge keys (<<) are not supported: expand them', keyOffset, [...path, key]);
      }
      if (key === FORBIDDEN_KEY) {
        this.softIssues.push({
          code: 'FORBIDDEN_KEY',
          severity: 'error',
          message: `the key "${FORBIDDEN_KEY}" is not allowed`,
          path: formatPath([...path, key]),
          offset: keyOffset,
        });
        continue;
      }
      if (Object.hasOwn(out, key)) {
        // A key seen before in this map (the library's uniqueKeys check is off), or distinct YAML keys (`1` and "1")
        // that become the same JSON key.
        throw new DocumentAbort('DUPLICATE_KEY', `duplicate map key "${key}"`, keyOffset, [...path, key]);
      }
      path.push(key);
      if (isScalar(keyNode) && keyNode.type === 'PLAIN' && isYaml11Ambiguous(String(keyNode.source))) {
        this.yaml11Keys.add(formatPath(path));
      }
      out[key] = this.convert(pair.value, path, depth + 1);
      path.pop();
    }
    return out;
  }
}

class YamlDocument implements RawDocument {
  private readonly pairsByKey = new WeakMap<YAMLMap, Map<string, Pair>>();

  constructor(
    readonly file: string,
    readonly index: number,
    readonly value: unknown,
    private readonly doc: Document,
    private readonly lineOf: (offset: number) => number,
    private readonly yaml11Values: ReadonlyMap<string, string>,
    private readonly yaml11Keys: ReadonlySet<string>,
  ) {}

  lineAt(path: FieldPath): number | undefined {
    let node: unknown = this.doc.contents;
    let offset = (node as YamlNode | null)?.range?.[0];
    for (const segment of path) {
      node = this.deref(node);
      if (isMap(node) && typeof segment === 'string') {
        const pair = this.pairOf(node, segment);
        if (!pair) break;
        offset = (pair.key as YamlNode).range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
        node = node.items[segment];
        offset = (node as YamlNode | null)?.range?.[0] ?? offset;
      } else break;
    }
    return offset === undefined ? undefined : this.lineOf(offset);
  }

  isYaml11Value(path: FieldPath): boolean {
    return this.yaml11Values.size > 0 && this.yaml11Values.has(formatPath(path));
  }

  yaml11Source(path: FieldPath): string | undefined {
    return this.yaml11Values.size > 0 ? this.yaml11Values.get(formatPath(path)) : undefined;
  }

  isYaml11Key(path: FieldPath): boolean {
    return this.yaml11Keys.size > 0 && this.yaml11Keys.has(formatPath(path));
  }

  /**
   * The first pair of `map` with this key. Each map's pairs are indexed on its first lookup: a document with an issue
   * per key (40,000 invalid labels) asks once per key, and a scan per ask was quadratic (25 s for 1.2 MB).
   */
  private pairOf(map: YAMLMap, key: string): Pair | undefined {
    let index = this.pairsByKey.get(map);
    if (!index) {
      index = new Map();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const text = String(pair.key.value);
        if (!index.has(text)) index.set(text, pair);
      }
      this.pairsByKey.set(map, index);
    }
    return index.get(key);
  }

  private deref(node: unknown): unknown {
    // Bounded: an alias chain cannot be longer than the number of anchors.
    for (let hops = 0; isAlias(node) && hops < 1000; hops++) node = node.resolve(this.doc);
    return node;
  }
}
