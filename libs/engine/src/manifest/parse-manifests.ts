// The engine's one manifest parser: text → documents (YAML or JSON reader) → objects (List flattening,
// kind filtering) → validated ParsedObjects with located issues.
import { applyApiServerDefaults } from './api-server-defaults.js';
import { DuplicateTracker } from './duplicates.js';
import { openJsonListItems, READ_WHOLE_TEXT, readJson } from './json-reader.js';
import { classifyKind, isListKind } from './kinds.js';
import { resolveLimits, type Limits } from './limits.js';
import { projectObject } from './projection.js';
import { formatPath, type FieldPath } from './path.js';
import { describeType, isPlainObject, newPlainObject, type PlainObject } from './plain-data.js';
import type { RawDocument, ReadOutcome } from './raw-document.js';
import type { Issue, KubeObject, ParsedObject, ParseOptions, ParseResult, SourceDocument } from './types.js';
import { checkCharacters } from './validate/characters.js';
import { Checker } from './validate/checker.js';
import { validateObject } from './validate/index.js';
import { FAST_YAML_MIN_LENGTH, readYamlFast } from './yaml-fast-reader.js';
import { readYaml } from './yaml-reader.js';

/** Bodies this large that look like JSON are never retried as YAML (the YAML parser is far slower). */
export const YAML_FALLBACK_LIMIT = 1 << 20;

export function parseManifests(documents: readonly SourceDocument[], options?: ParseOptions): ParseResult {
  const { kept, issues } = collectManifests(documents, options, (parsed) => parsed);
  return { objects: kept, issues };
}

/**
 * parseManifests keeping `keepAs(parsed)` of each valid object as it is read, so a big List never holds all its full
 * objects at once (the server keeps each object's canonical projection). Same objects (mapped), same issues.
 */
export function collectManifests<T>(
  documents: readonly SourceDocument[],
  options: ParseOptions | undefined,
  keepAs: (parsed: ParsedObject) => T,
): { kept: T[]; issues: Issue[] } {
  const limits = resolveLimits(options);
  const kept: T[] = [];
  const issues: Issue[] = [];
  const state = new CollectState(limits.maxObjects, options?.project === true, keepAs);
  for (const source of documents) {
    if (state.overLimit) break;
    if (options?.jsonListByItem !== false && collectJsonListByItems(source, limits, kept, issues, state)) continue;
    const read = readText(source, limits, options?.fastYamlMinLength ?? FAST_YAML_MIN_LENGTH);
    issues.push(...read.issues);
    for (const document of read.documents) collectObjects(document, kept, issues, state);
  }
  return { kept, issues };
}

/**
 * What one parse carries from object to object: the duplicate index and the object count (bounded). It keeps
 * `keepAs(parsed)` of each valid object (the object itself unless the caller maps it).
 */
export class CollectState<T = ParsedObject> {
  private readonly duplicates = new DuplicateTracker();
  private count = 0;
  overLimit = false;

  /** `project`: keep each valid object's projection (projection.ts), not the object. */
  constructor(
    readonly maxObjects: number,
    readonly project = false,
    private readonly keepAs: (parsed: ParsedObject) => T = (parsed) => parsed as T,
  ) {}

  /** A point rollback(mark) returns the count and the duplicate index to. */
  mark(): { count: number; overLimit: boolean; duplicates: number } {
    return { count: this.count, overLimit: this.overLimit, duplicates: this.duplicates.mark() };
  }

  rollback(mark: ReturnType<CollectState['mark']>): void {
    this.count = mark.count;
    this.overLimit = mark.overLimit;
    this.duplicates.rollback(mark.duplicates);
  }

  release(): void {
    this.duplicates.release();
  }

  /** Counts one more object; false (after one OBJECT_LIMIT error) once past the limit. */
  admit(document: RawDocument, path: FieldPath, issues: Issue[]): boolean {
    if (this.overLimit) return false;
    if (++this.count <= this.maxObjects) return true;
    this.overLimit = true;
    issues.push({
      code: 'OBJECT_LIMIT',
      severity: 'error',
      message: `more than ${this.maxObjects} objects in one upload: split it`,
      file: document.file,
      document: document.index,
      path: formatPath(path),
      line: document.lineAt(path),
    });
    return false;
  }

  /** Adds a valid object, unless it is a duplicate (then reported). */
  keep(parsed: ParsedObject, objects: T[], issues: Issue[]): void {
    const duplicate = this.duplicates.add(parsed);
    if (duplicate) issues.push(duplicate);
    else objects.push(this.keepAs(parsed));
  }
}

/** The text without a leading BOM, and whether it is read as JSON first. */
function sourceText(source: SourceDocument): { text: string; json: boolean } {
  const text = source.text.charCodeAt(0) === 0xfeff ? source.text.slice(1) : source.text;
  const start = /^\s*(.)/.exec(text.slice(0, 4096))?.[1];
  return { text, json: source.path.toLowerCase().endsWith('.json') || start === '{' || start === '[' };
}

/**
 * A JSON List read and collected one item at a time (each item parsed, made null-prototype, validated, defaulted
 * and projected before the next is parsed): the same objects and issues as reading the whole text and then
 * collecting, which it falls back to (false, nothing added) whenever its quick read is not exact.
 */
function collectJsonListByItems<T>(source: SourceDocument, limits: Limits, objects: T[], issues: Issue[], state: CollectState<T>): boolean {
  const { text, json } = sourceText(source);
  if (!json) return false;
  const list = openJsonListItems(source.path, text, limits);
  if (!list) return false;
  const { document } = list;
  const objectsBefore = objects.length;
  const issuesBefore = issues.length;
  const mark = state.mark();
  try {
    // Only a List whose items inherit cleanly: a root that is not one (or fails to identify) is read as before.
    const identity = identify(document, document.value, [], {}, issues);
    if (!identity || !isListKind(identity.kind)) return rollback();
    const inherited = itemInheritance(identity);
    for (let i = 0; i < list.itemCount; i++) {
      const item = list.readItem(i);
      // Past the object limit items are still read: a syntax error, a duplicate or `__proto__` key outranks it.
      if (item === READ_WHOLE_TEXT) return rollback();
      collectValue(document, item, ['items', i], inherited, objects, issues, state);
    }
    return true;
  } finally {
    state.release();
  }

  function rollback(): false {
    objects.length = objectsBefore;
    issues.length = issuesBefore;
    state.rollback(mark);
    return false;
  }
}

function readText(source: SourceDocument, limits: Limits, fastYamlMinLength: number): ReadOutcome {
  const { text, json } = sourceText(source);
  if (json) {
    const json = readJson(source.path, text, limits);
    const syntaxFailed = json.documents.length === 0 && json.issues.some((i) => i.code === 'SYNTAX');
    // `{a: 1}` is YAML flow style, not JSON: give such small texts a second chance (not `.json` files).
    if (!syntaxFailed || source.path.toLowerCase().endsWith('.json') || text.length > YAML_FALLBACK_LIMIT) return json;
  }
  return (text.length >= fastYamlMinLength ? readYamlFast(source.path, text, limits) : undefined) ?? readYaml(source.path, text, limits);
}

function collectObjects<T>(document: RawDocument, objects: T[], issues: Issue[], state: CollectState<T>): void {
  if (document.value === null) return; // an empty document (`---` followed by nothing or comments)
  collectValue(document, document.value, [], {}, objects, issues, state);
}

/** What a List passes on to its items that lack their own apiVersion or kind. */
export interface Inherited {
  readonly apiVersion?: string;
  readonly kind?: string;
}

export interface Identity {
  readonly value: PlainObject;
  readonly apiVersion: string;
  readonly kind: string;
  /** Both apiVersion and kind are the value's own (nothing inherited). */
  readonly complete: boolean;
  readonly checker: Checker;
}

/**
 * The apiVersion and kind of the value at `path` (its own, else inherited), reporting problems; undefined when
 * it is not a usable Kubernetes object (then a warning or an error was reported).
 */
export function identify(document: RawDocument, value: unknown, path: FieldPath, inherited: Inherited, issues: Issue[]): Identity | undefined {
  const c = new Checker(document, path, issues);
  if (!isPlainObject(value)) {
    warn(document, issues, 'IGNORED_DOCUMENT', path, `not a Kubernetes object (${describeType(value)}): ignored`);
    return undefined;
  }
  const hasApiVersion = value['apiVersion'] !== undefined && value['apiVersion'] !== null;
  const hasKind = value['kind'] !== undefined && value['kind'] !== null;
  if (!hasApiVersion && !hasKind && !inherited.kind) {
    warn(document, issues, 'IGNORED_DOCUMENT', path, 'no apiVersion and no kind: not a Kubernetes object, ignored');
    return undefined;
  }
  const apiVersion = hasApiVersion ? c.string(value['apiVersion'], ['apiVersion']) : inherited.apiVersion;
  const kind = hasKind ? c.string(value['kind'], ['kind']) : inherited.kind;
  if (!hasApiVersion && !inherited.apiVersion) c.missing(['apiVersion'], 'apiVersion');
  if (!hasKind && !inherited.kind) c.missing(['kind'], 'kind');
  if (apiVersion === undefined || kind === undefined) return undefined;
  return { value, apiVersion, kind, complete: hasApiVersion && hasKind, checker: c };
}

/** Items without a kind take the list's kind minus `List` (and its apiVersion); a plain `List` gives nothing. */
export function itemInheritance(list: Identity): Inherited {
  return list.kind === 'List' ? {} : { apiVersion: list.apiVersion, kind: list.kind.slice(0, -'List'.length) };
}

/** Validates the value at `path` (a List: each of its items) and adds the objects analysis can use. */
export function collectValue<T>(
  document: RawDocument,
  value: unknown,
  path: FieldPath,
  inherited: Inherited,
  objects: T[],
  issues: Issue[],
  state: CollectState<T>,
): void {
  if (state.overLimit) return;
  const identity = identify(document, value, path, inherited, issues);
  if (!identity) return;
  if (isListKind(identity.kind)) {
    const items = identity.checker.array(identity.value['items'], ['items']);
    const itemInherited = itemInheritance(identity);
    items?.forEach((item, i) => collectValue(document, item, [...path, 'items', i], itemInherited, objects, issues, state));
    return;
  }
  if (!state.admit(document, path, issues)) return;
  collectObject(document, identity, path, objects, issues, state);
}

/** Validates one non-List object and adds it when it passes. */
export function collectObject<T>(
  document: RawDocument,
  identity: Identity,
  path: FieldPath,
  objects: T[],
  issues: Issue[],
  state: CollectState<T>,
): void {
  const { apiVersion, kind, checker: c } = identity;
  const support = classifyKind(apiVersion, kind);
  if (support.misspeltOf) {
    // kubectl refuses it too ("no matches for kind"); dropping it with a warning would analyse without the policy.
    const kindPath = [...path, 'kind'];
    issues.push({
      code: 'UNKNOWN_KIND',
      severity: 'error',
      message: `unknown kind "${kind}" in ${apiVersion}: did you mean \`${support.misspeltOf}\`?`,
      file: document.file,
      document: document.index,
      path: formatPath(kindPath),
      line: document.lineAt(kindPath),
    });
    return;
  }
  if (support.support === 'unknown') {
    warn(document, issues, 'UNKNOWN_KIND', path, `${apiVersion} ${kind} plays no part in the analysis: ignored${support.note ? ` (${support.note})` : ''}`);
    return;
  }
  const object = withIdentity(identity.value, apiVersion, kind, identity.complete);
  validateObject(c, kind, object, support.support === 'modelled');
  if (!document.charactersScreened) checkCharacters(c, object);
  if (c.errorCount > 0) return;
  if (support.support === 'modelled') applyApiServerDefaults(c, kind, object);
  if (support.support === 'not-modelled') {
    const scope = object['metadata'] && typeof (object['metadata'] as PlainObject)['namespace'] === 'string' ? `pods of namespace ${(object['metadata'] as PlainObject)['namespace'] as string}` : 'pods it may select';
    warn(document, issues, 'NOT_MODELLED', path, `${kind} (${apiVersion}) is kept but not analysed yet: verdicts for ${scope} ignore it and say so (caveats)`);
  }
  state.keep(
    {
      object: state.project ? projectObject(object as unknown as KubeObject) : (object as unknown as KubeObject),
      source: { file: document.file, document: document.index, pathPrefix: formatPath(path), line: document.lineAt(path) },
    },
    objects,
    issues,
  );
}

function warn(document: RawDocument, issues: Issue[], code: Issue['code'], path: FieldPath, message: string): void {
  issues.push({ code, severity: 'warning', message, file: document.file, document: document.index, path: formatPath(path), line: document.lineAt(path) });
}

/** The object with its (possibly inherited) apiVersion and kind first. */
function withIdentity(value: PlainObject, apiVersion: string, kind: string, complete: boolean): PlainObject {
  if (complete) return value;
  const out = newPlainObject();
  out['apiVersion'] = apiVersion;
  out['kind'] = kind;
  for (const key of Object.keys(value)) if (key !== 'apiVersion' && key !== 'kind') out[key] = value[key];
  return out;
}
