// The engine's input and issue contract. Every ingest path (CLI, REST, GraphQL) hands the engine
// `{ path, text }` documents and gets plain data back: objects with their source location, and issues.

/** One input file (or request body): `path` is a display name (file path, or e.g. `request-body`). */
export interface SourceDocument {
  readonly path: string;
  readonly text: string;
}

export type IssueSeverity = 'error' | 'warning';

/**
 * A located problem, plain data in the style of zod / k8s field.ErrorList.
 * - `document`: 0-based index of the YAML document within `file` (JSON: always 0).
 * - `path`: field path inside the object, e.g. `spec.ingress[0].from[1].ipBlock.except[0]`; '' for the document itself.
 *   For an item of a `List`, the path starts with `items[3]`.
 * - `line`: 1-based line in the file, when known.
 */
export interface Issue {
  readonly code: IssueCode;
  readonly severity: IssueSeverity;
  readonly message: string;
  readonly file?: string;
  readonly document: number;
  readonly path: string;
  readonly line?: number;
  /** 1-based column, where the parser knows it (YAML syntax errors). */
  readonly column?: number;
}

/** Codes are stable API: tests, the REST body and the CLI print them. */
export type IssueCode =
  // the text cannot be parsed at all (→ HTTP 400, CLI exit 2)
  | 'SYNTAX'
  | 'DUPLICATE_KEY'
  | 'ALIAS_LIMIT'
  | 'DEPTH_LIMIT'
  | 'SIZE_LIMIT'
  // it parses but is not acceptable (→ HTTP 422, CLI exit 2)
  | 'NOT_AN_OBJECT'
  | 'MISSING_FIELD'
  | 'WRONG_TYPE'
  | 'INVALID_VALUE'
  | 'YAML11_SCALAR'
  | 'FORBIDDEN_KEY'
  // a field the kind's schema does not have (kubectl's strict field validation), e.g. `podSelector.matchLabel`
  | 'UNKNOWN_FIELD'
  // NUL or an unpaired surrogate in a key or string
  | 'INVALID_CHARACTER'
  // more objects than MAX_OBJECTS (→ HTTP 413)
  | 'OBJECT_LIMIT'
  // the bytes are not UTF-8 (→ HTTP 400)
  | 'INVALID_ENCODING'
  // warnings: the document is skipped or only partly modelled (UNKNOWN_KIND is an error when the kind is a typo
  // of a kind read in the same API group, e.g. networking.k8s.io/v1 NetworkPolicie)
  | 'UNKNOWN_KIND'
  | 'NOT_MODELLED'
  | 'IGNORED_DOCUMENT'
  | 'OVERRIDDEN_VALUE'
  // model-level (buildSnapshot): pods of one owner whose label difference a selector reads (error, as np-guard);
  // a NetworkPolicy defined twice (error); a hostNetwork pod selected by a policy (warning: CNIs differ)
  | 'INCONSISTENT_LABELS'
  | 'INCONSISTENT_NAMED_PORTS'
  | 'DUPLICATE_OBJECT'
  | 'HOST_NETWORK'
  // two policies of one tier with the same priority where the API leaves the outcome undefined (warning)
  | 'EQUAL_PRIORITY';

/** Issue codes that mean "could not parse" (HTTP 400) rather than "parsed but invalid" (HTTP 422). */
export const SYNTAX_ISSUE_CODES: ReadonlySet<IssueCode> = new Set([
  'SYNTAX',
  'DUPLICATE_KEY',
  'ALIAS_LIMIT',
  'DEPTH_LIMIT',
  'SIZE_LIMIT',
  'INVALID_ENCODING',
]);

/** Where an object came from. For `List` items `pathPrefix` is `items[i]`. */
export interface SourceLocation {
  readonly file: string;
  readonly document: number;
  readonly pathPrefix: string;
  readonly line?: number;
}

/**
 * A Kubernetes object as parsed: plain JSON data (null-prototype-safe: no `__proto__` / `constructor`
 * keys ever reach an object prototype), after List flattening (items without `kind` take the list's
 * kind minus `List`).
 */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly ownerReferences?: ReadonlyArray<{
      readonly apiVersion?: string;
      readonly kind?: string;
      readonly name: string;
      readonly uid?: string;
      readonly controller?: boolean;
    }>;
    readonly uid?: string;
    readonly [key: string]: unknown;
  };
  readonly spec?: unknown;
  readonly [key: string]: unknown;
}

export interface ParsedObject {
  readonly object: KubeObject;
  readonly source: SourceLocation;
}

export interface ParseOptions {
  /** Max YAML alias resolutions per document (alias-bomb guard). Default 100. */
  readonly maxAliases?: number;
  /** Max nesting depth of any value. Default 64. */
  readonly maxDepth?: number;
  /** Max objects (after List flattening) per parse. Default MAX_OBJECTS (limits.ts). */
  readonly maxObjects?: number;
  /** YAML texts at least this long try the fast reader first (yaml-fast-reader.ts). Default 256 KiB; Infinity: never. */
  readonly fastYamlMinLength?: number;
  /**
   * Each ParsedObject.object is the object's projection (projection.ts: the fields analysis reads, as the server
   * stores them), taken as the object is read, so a big List's full objects die young. For callers that only
   * analyse; buildSnapshot of the projections gives the same analysis. Default false (the objects as written).
   */
  readonly project?: boolean;
  /**
   * A JSON List is read and collected item by item (default). false: the whole text is read first, then collected
   * (the reference the differential tests compare with; same objects and issues).
   */
  readonly jsonListByItem?: boolean;
}

export interface ParseResult {
  /** Objects that passed validation, in input order (file order, then document order, then List item order). */
  readonly objects: readonly ParsedObject[];
  /** Errors and warnings, in input order. Any `severity: 'error'` means the input is unusable as a whole. */
  readonly issues: readonly Issue[];
}
