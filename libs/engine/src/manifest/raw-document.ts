// What a reader (YAML or JSON) hands to the object layer: one document's plain data plus the means
// to locate a field path back in the text.
import type { FieldPath } from './path.js';

export interface RawDocument {
  readonly file: string;
  /** 0-based document index in the file (JSON: 0). */
  readonly index: number;
  /** Plain data: null-prototype objects, arrays, strings, finite numbers, booleans, null. */
  readonly value: unknown;
  /** 1-based line of the value at `path` (or of its nearest ancestor present in the text). */
  lineAt(path: FieldPath): number | undefined;
  /**
   * True when the value at `path` was a plain (unquoted) YAML scalar that kubectl, which reads YAML 1.1,
   * would not see as the same value (`on`, `yes`, `n`, `True`, ... booleans; `1_000` numbers; `0120`, octal 80 to kubectl).
   */
  isYaml11Value(path: FieldPath): boolean;
  /** The plain source of a value isYaml11Value marks (`0120` for the number 120), where the reader kept it. */
  yaml11Source?(path: FieldPath): string | undefined;
  /** Same for the map key of the entry at `path` (e.g. a label key written `on:`). */
  isYaml11Key(path: FieldPath): boolean;
  /** True when both lookups above are always false (JSON): the checker then skips building their paths. */
  readonly yaml11Free?: boolean;
  /** True when the reader screened the whole text: no key or string can hold NUL or an unpaired surrogate, so the
   *  per-object character walk (validate/characters.ts) is skipped. */
  readonly charactersScreened?: boolean;
}

/** The result of reading one file: its documents (those that could be read) and the problems found. */
export interface ReadOutcome {
  readonly documents: RawDocument[];
  readonly issues: import('./types.js').Issue[];
}
