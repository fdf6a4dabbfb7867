// Fast path for large YAML manifests (issue 13), used only where it gives exactly what the locating reader
// (yaml-reader.ts, on `yaml`'s CST) gives. Each document (chunk between `---` markers) is read by the first tier
// that vouches for it: (1) the block reader (yaml-block-reader.ts), a hand-written reader of the block-style
// subset kubectl/helm emit (~10x js-yaml); (2) `js-yaml`, after screening that document for every construct
// whose handling differs or needs a guard — anchors, aliases, tags, directives, explicit or collection keys,
// merge keys, YAML 1.1 words and numbers, `...` markers. A screen match, any js-yaml error (syntax, duplicate
// key), `__proto__` key, non-finite number or nesting at the depth limit sends the WHOLE file to the locating
// reader, which reports it with its line. Screening is conservative: a match inside a quoted string only costs
// the slow path. Lines: a document's own line is computed from the text; any deeper path is located by the
// locating reader on that one document, on demand.
import { CORE_SCHEMA, load } from 'js-yaml';
import type { Limits } from './limits.js';
import { formatPath, type FieldPath, type PathSegment } from './path.js';
import { FORBIDDEN_KEY } from './plain-data.js';
import type { RawDocument, ReadOutcome } from './raw-document.js';
import { BlockYamlReader } from './yaml-block-reader.js';
import { readYaml } from './yaml-reader.js';

/** Below this size the locating reader is fast enough (and every small hostile input takes it). */
export const FAST_YAML_MIN_LENGTH = 256 * 1024;

// At the start of a plain scalar or key (after indentation, `- `, `: `, `? ` or a flow indicator), and at its end.
const SCALAR_START = String.raw`(?:^[ \t]*|[-:?][ \t]+|[\[{,][ \t]*)`;
const SCALAR_END = String.raw`(?=[ \t]*(?:\r?$|[,\]}:#]))`;
const NEEDS_LOCATING_READER = new RegExp(
  [
    String.raw`(?:^|[\s\[{,:?-])[&*!]`, // anchors, aliases, tags (conservatively: after any separator)
    String.raw`^%`, // directives
    String.raw`^[ \t]*(?:- )*\?(?:[ \t]|\r?$)`, // explicit keys
    String.raw`^[ \t]*(?:- )*[\[{].*[\]}][ \t]*:(?:[ \t]|\r?$)`, // flow collections as keys
    String.raw`<<`, // merge keys
    String.raw`^\.\.\.`, // document end markers
    String.raw`^---[ \t]*[^\s#]`, // content on a document marker line
    `${SCALAR_START}(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)${SCALAR_END}`, // YAML 1.1 booleans
    `${SCALAR_START}(?:[-+]?0b[01_]+|[-+]?[0-9][0-9_]*_[0-9_]*(?:\\.[0-9_]*)?)${SCALAR_END}`, // YAML 1.1 binary and digit-separated numbers
    `${SCALAR_START}[-+]?0[0-7]+${SCALAR_END}`, // leading-zero integers (YAML 1.1 octal)
  ].join('|'),
  'm',
);
const DOCUMENT_MARKER = /^---[ \t]*(?:#.*)?\r?$/gm;
const CONTENT_LINE = /^[ \t]*[^\s#]/m;

/** The documents of `text` when the fast reader can vouch for them; undefined: use the locating reader. */
export function readYamlFast(file: string, text: string, limits: Limits): ReadOutcome | undefined {
  const chunks: { start: number; end: number }[] = [];
  let start = 0;
  for (const marker of text.matchAll(DOCUMENT_MARKER)) {
    chunks.push({ start, end: marker.index });
    start = marker.index + marker[0].length;
  }
  chunks.push({ start, end: text.length });
  // Text before the first marker is a document only when it holds content (not just comments).
  if (chunks.length > 1 && !CONTENT_LINE.test(text.slice(chunks[0].start, chunks[0].end))) chunks.shift();
  const documents: RawDocument[] = [];
  let line = 1;
  let counted = 0;
  const lineAtOffset = (offset: number) => {
    for (let i = text.indexOf('\n', counted); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
    counted = Math.max(counted, offset);
    return line;
  };
  const blockReader = new BlockYamlReader(text, limits.maxDepth);
  for (let index = 0; index < chunks.length; index++) {
    const { start: chunkStart, end: chunkEnd } = chunks[index];
    const block = blockReader.read(chunkStart, chunkEnd);
    let value: unknown;
    let rootOffset: number;
    let booleans: ReadonlySet<string>;
    let octals: ReadonlyMap<string, string> | undefined;
    let charactersScreened = false;
    if (block) {
      ({ value, rootOffset, booleans, octals } = block);
      charactersScreened = true;
    } else {
      // The second tier, for this document alone: js-yaml after the screen.
      const chunk = text.slice(chunkStart, chunkEnd);
      if (NEEDS_LOCATING_READER.test(chunk)) return undefined;
      try {
        value = load(chunk, { schema: CORE_SCHEMA, filename: file });
      } catch {
        return undefined;
      }
      const marks = new FastMarks(limits.maxDepth);
      if (value !== undefined && value !== null && !marks.visit(value, [], 0)) return undefined;
      rootOffset = chunkStart + (CONTENT_LINE.exec(chunk)?.index ?? 0);
      booleans = marks.booleans;
    }
    if (value === undefined || value === null) continue; // an empty document
    const chunkLine = lineAtOffset(chunkStart);
    const rootLine = lineAtOffset(rootOffset);
    documents.push(new FastYamlDocument(file, index, value, text, chunkStart, chunkEnd, rootLine, chunkLine, booleans, limits, charactersScreened, octals));
  }
  return { documents, issues: [] };
}

/** In-place null prototypes, and what the locating reader would have marked or refused. */
class FastMarks {
  /** Paths of booleans: plain scalars, which a string field must not hold (as the locating reader marks them). */
  readonly booleans = new Set<string>();

  constructor(private readonly maxDepth: number) {}

  /** False when the locating reader must read the file (a forbidden key, a non-finite number, the depth limit). */
  visit(value: unknown, path: PathSegment[], depth: number): boolean {
    if (typeof value === 'boolean') this.booleans.add(formatPath(path));
    if (typeof value === 'number') return Number.isFinite(value);
    if (typeof value !== 'object' || value === null) return true;
    if (depth >= this.maxDepth) return false;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        const ok = this.visit(value[i], path, depth + 1);
        path.pop();
        if (!ok) return false;
      }
      return true;
    }
    if (Object.getPrototypeOf(value) !== Object.prototype) return false; // a tagged type: cannot happen untagged
    Object.setPrototypeOf(value, null);
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key === FORBIDDEN_KEY) return false;
      path.push(key);
      const ok = this.visit(object[key], path, depth + 1);
      path.pop();
      if (!ok) return false;
    }
    return true;
  }
}

class FastYamlDocument implements RawDocument {
  private located: RawDocument | undefined;

  constructor(
    readonly file: string,
    readonly index: number,
    readonly value: unknown,
    private readonly text: string,
    private readonly chunkStart: number,
    private readonly chunkEnd: number,
    private readonly rootLine: number,
    private readonly chunkLine: number,
    private readonly booleans: ReadonlySet<string>,
    private readonly limits: Limits,
    /** True for the block reader's documents (see yaml-block-reader.ts). */
    readonly charactersScreened: boolean,
    private readonly octals: ReadonlyMap<string, string> | undefined,
  ) {}

  lineAt(path: FieldPath): number | undefined {
    if (path.length === 0) return this.rootLine;
    // Deeper paths (issues, List items): the locating reader on this document alone, once.
    this.located ??= readYaml(this.file, this.text.slice(this.chunkStart, this.chunkEnd), this.limits).documents[0];
    const line = this.located?.lineAt(path);
    return line === undefined ? this.rootLine : line + this.chunkLine - 1;
  }

  isYaml11Value(path: FieldPath): boolean {
    return this.booleans.size > 0 && this.booleans.has(formatPath(path));
  }

  yaml11Source(path: FieldPath): string | undefined {
    return this.octals !== undefined && this.octals.size > 0 ? this.octals.get(formatPath(path)) : undefined;
  }

  isYaml11Key(): boolean {
    return false; // keys that YAML 1.1 reads differently sent the file to the locating reader
  }
}
