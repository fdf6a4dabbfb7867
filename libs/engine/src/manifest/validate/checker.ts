// Typed access to one object's fields that records located issues instead of throwing. Paths given to
// the methods are relative to the object; issues carry the full path (with a List's `items[i]` prefix).
import { formatPath, type FieldPath } from '../path.js';
import { describeType, isPlainObject, type PlainObject } from '../plain-data.js';
import type { RawDocument } from '../raw-document.js';
import type { Issue, IssueCode, IssueSeverity } from '../types.js';
import { yaml11Octal } from '../yaml11.js';
import { labelValue, qualifiedName } from './names.js';

const YAML11_TRUE = /^(?:y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/;

export class Checker {
  errorCount = 0;
  /** JSON has no YAML 1.1 look-alikes: skip building a full path per field just to ask (and validators may take
   *  a path-free fast check of a clean entry, see workloads.ts). */
  readonly yaml11Free: boolean;

  constructor(
    private readonly doc: RawDocument,
    private readonly base: FieldPath,
    private readonly issues: Issue[],
  ) {
    this.yaml11Free = doc.yaml11Free === true;
  }

  report(code: IssueCode, severity: IssueSeverity, path: FieldPath, message: string): void {
    const full = [...this.base, ...path];
    if (severity === 'error') this.errorCount++;
    this.issues.push({
      code,
      severity,
      message,
      file: this.doc.file,
      document: this.doc.index,
      path: formatPath(full),
      line: this.doc.lineAt(full),
    });
  }

  error(code: IssueCode, path: FieldPath, message: string): void {
    this.report(code, 'error', path, message);
  }

  /** One INVALID_VALUE issue listing every problem found; true when there were none. */
  problems(path: FieldPath, problems: readonly string[], subject: string, severity: IssueSeverity = 'error'): boolean {
    if (problems.length === 0) return true;
    this.report('INVALID_VALUE', severity, path, `${subject}: ${problems.join('; ')}`);
    return false;
  }

  missing(path: FieldPath, what = 'this field'): void {
    this.error('MISSING_FIELD', path, `${what} is required`);
  }

  /**
   * An optional map: undefined when absent (or null), reported when of another type. A list item (a path ending in
   * an index) is never absent: null there is WRONG_TYPE (`matchExpressions: [null]` would reach the compilers).
   */
  object(value: unknown, path: FieldPath): PlainObject | undefined {
    if (value === undefined) return undefined;
    if (value === null) return this.nullItem(path, 'an object');
    if (isPlainObject(value)) return value;
    this.wrongType(value, path, 'an object');
    return undefined;
  }

  array(value: unknown, path: FieldPath): readonly unknown[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value)) return value;
    this.wrongType(value, path, 'a list');
    return undefined;
  }

  /** A field Kubernetes types as string: also rejects YAML 1.1 scalars that kubectl would not read as this string. */
  string(value: unknown, path: FieldPath): string | undefined {
    if (value === undefined) return undefined;
    if (value === null) return this.nullItem(path, 'a string');
    if (this.yaml11(value, path, 'a string')) return undefined;
    if (typeof value === 'string') return value;
    this.wrongType(value, path, 'a string', true);
    return undefined;
  }

  integer(value: unknown, path: FieldPath): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isInteger(value)) return this.octal(value, path) ? undefined : value;
    this.wrongType(value, path, 'an integer');
    return undefined;
  }

  boolean(value: unknown, path: FieldPath): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string' && !this.yaml11Free && this.doc.isYaml11Value([...this.base, ...path])) {
      this.error(
        'YAML11_SCALAR',
        path,
        `"${value}" is a string in YAML 1.2 but kubectl (YAML 1.1) reads it as a boolean: write ${YAML11_TRUE.test(value)}`,
      );
      return undefined;
    }
    this.wrongType(value, path, 'a boolean');
    return undefined;
  }

  /** IntOrString (ports, targetPort). */
  intOrString(value: unknown, path: FieldPath): number | string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isInteger(value)) return this.octal(value, path) ? undefined : value;
    if (this.yaml11(value, path, 'a port name')) return undefined;
    if (typeof value === 'string') return value;
    this.wrongType(value, path, 'an integer or a string');
    return undefined;
  }

  /** map[string]string whose keys are label keys and values label values (labels, matchLabels, selectors). */
  labels(value: unknown, path: FieldPath): Record<string, string> | undefined {
    const map = this.object(value, path);
    if (!map) return undefined;
    let valid = true;
    for (const key of Object.keys(map)) {
      // The common case (JSON, valid key and string value) reports nothing: skip building its path.
      const entry = map[key];
      if (this.yaml11Free && typeof entry === 'string' && qualifiedName(key).length === 0 && labelValue(entry).length === 0) continue;
      const entryPath = [...path, key];
      if (!this.yaml11Free && this.doc.isYaml11Key([...this.base, ...entryPath])) {
        this.error('YAML11_SCALAR', entryPath, `label key "${key}" is not a string for kubectl (YAML 1.1): quote it`);
        valid = false;
      }
      if (!this.problems(entryPath, qualifiedName(key), `invalid label key "${key}"`)) valid = false;
      const labelText = this.string(map[key], entryPath);
      if (labelText === undefined) {
        if (map[key] === undefined || map[key] === null) this.wrongType(map[key], entryPath, 'a string', true);
        valid = false;
        continue;
      }
      if (!this.problems(entryPath, labelValue(labelText), `invalid label value "${labelText}"`)) valid = false;
    }
    return valid ? (map as Record<string, string>) : undefined;
  }

  /**
   * A null field is an absent one (undefined); a null list item is WRONG_TYPE. Kubernetes would decode it as the zero
   * value (`{}`, `""`), which no manifest means: refused, located, before the compilers and lint rules read the list.
   */
  private nullItem(path: FieldPath, expected: string): undefined {
    if (typeof path[path.length - 1] === 'number') this.error('WRONG_TYPE', path, `expected ${expected}, got null (a list item may not be null)`);
    return undefined;
  }

  private yaml11(value: unknown, path: FieldPath, expected: string): boolean {
    if (typeof value === 'object' || this.yaml11Free || !this.doc.isYaml11Value([...this.base, ...path])) return false;
    if (typeof value === 'number' && this.octal(value, path, true)) return true;
    const text = String(value);
    const meaning = typeof value === 'boolean' || /^[a-zA-Z]+$/.test(text) ? 'a boolean' : 'a number';
    this.error(
      'YAML11_SCALAR',
      path,
      `${text} is ${expected} here, but kubectl (YAML 1.1) reads the plain scalar ${text} as ${meaning}: quote it ("${text}")`,
    );
    return true;
  }

  /**
   * A leading-zero integer (`0120`): kubectl (YAML 1.1) reads it as octal 80, YAML 1.2 as 120. Refused rather than
   * analysed with either reading. `asString`: the field wants a string, so quoting is the fix.
   */
  private octal(value: number, path: FieldPath, asString = false): boolean {
    if (this.yaml11Free || !this.doc.isYaml11Value([...this.base, ...path])) return false;
    const source = this.doc.yaml11Source?.([...this.base, ...path]) ?? `${value < 0 ? '-' : ''}0${Math.abs(value)}`;
    const kubectl = yaml11Octal(source);
    if (kubectl === undefined) return false;
    const fix = asString ? `quote it ("${source}")` : `write ${kubectl} (what kubectl applies) or ${value}`;
    this.error('YAML11_SCALAR', path, `${source} is ${kubectl} to kubectl (YAML 1.1 octal) and ${value} to YAML 1.2: ${fix}`);
    return true;
  }

  private wrongType(value: unknown, path: FieldPath, expected: string, quoteHint = false): void {
    const hint = quoteHint && (typeof value === 'number' || typeof value === 'boolean') ? ` (quote it: "${String(value)}")` : '';
    this.error('WRONG_TYPE', path, `expected ${expected}, got ${describeType(value)}${hint}`);
  }
}
