// Reading our own versioned YAML files (SegmentationIntents, LintSuppressions) with the manifest reader's
// hostile-input guards, and validating them into located issues (file, document, field path, line).
import { resolveLimits } from '../manifest/limits.js';
import { formatPath, type FieldPath } from '../manifest/path.js';
import type { RawDocument } from '../manifest/raw-document.js';
import type { Issue, IssueCode, SourceDocument } from '../manifest/types.js';
import { readYaml } from '../manifest/yaml-reader.js';

export const NETPOL_ATLAS_API_VERSION = 'netpol-atlas/v1';

export class ConfigChecker {
  readonly issues: Issue[] = [];

  constructor(private readonly document: RawDocument | undefined, private readonly file: string) {}

  error(path: FieldPath, code: IssueCode, message: string): void {
    this.issues.push({
      code,
      severity: 'error',
      message,
      file: this.file,
      document: this.document?.index ?? 0,
      path: formatPath(path),
      ...(this.document?.lineAt(path) !== undefined ? { line: this.document.lineAt(path) } : {}),
    });
  }

  object(value: unknown, path: FieldPath): Record<string, unknown> | undefined {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    this.error(path, 'WRONG_TYPE', `${formatPath(path) || 'the document'} must be a mapping`);
    return undefined;
  }

  array(value: unknown, path: FieldPath, required = false): unknown[] {
    if (value === undefined && !required) return [];
    if (Array.isArray(value)) return value;
    if (value === undefined) this.error(path, 'MISSING_FIELD', `${formatPath(path)} is required`);
    else this.error(path, 'WRONG_TYPE', `${formatPath(path)} must be a list`);
    return [];
  }

  string(value: unknown, path: FieldPath, required = true): string | undefined {
    if (typeof value === 'string' && value.length > 0) return value;
    if (value === undefined && !required) return undefined;
    if (value === undefined) this.error(path, 'MISSING_FIELD', `${formatPath(path)} is required`);
    else this.error(path, 'WRONG_TYPE', `${formatPath(path)} must be a non-empty string`);
    return undefined;
  }

  /** A date `YYYY-MM-DD` (the end of that day, UTC) or an RFC 3339 time, as epoch milliseconds. */
  time(value: unknown, path: FieldPath): string | undefined {
    // YAML reads an unquoted 2026-12-31 as a string here (the reader keeps YAML 1.2 core scalars).
    const text = value instanceof Date ? value.toISOString() : value;
    if (typeof text === 'string' && parseExpiry(text) !== undefined) return text;
    this.error(path, 'INVALID_VALUE', `${formatPath(path)} must be a date (YYYY-MM-DD) or an RFC 3339 time`);
    return undefined;
  }

  unknownKeys(value: Record<string, unknown>, path: FieldPath, allowed: readonly string[]): void {
    for (const key of Object.keys(value).sort()) {
      if (!allowed.includes(key)) this.error([...path, key], 'INVALID_VALUE', `unknown field ${formatPath([...path, key])} (allowed: ${allowed.join(', ')})`);
    }
  }
}

/** Epoch ms of an expiry: a bare date means the end of that day (UTC). */
export function parseExpiry(text: string): number | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const ms = Date.parse(`${text}T23:59:59.999Z`);
    return Number.isNaN(ms) ? undefined : ms;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The one document of a config file with the expected kind, or the issues that stop it. */
export function readConfigDocument(
  source: SourceDocument,
  kind: string,
): { value?: Record<string, unknown>; checker: ConfigChecker } {
  const read = readYaml(source.path, source.text, resolveLimits(undefined));
  const documents = read.documents.filter((d) => d.value !== null);
  const checker = new ConfigChecker(documents[0], source.path);
  checker.issues.push(...read.issues);
  if (read.issues.some((i) => i.severity === 'error')) return { checker };
  if (documents.length !== 1) {
    checker.error([], 'INVALID_VALUE', `${source.path} must hold exactly one ${kind} document (found ${documents.length})`);
    return { checker };
  }
  const value = checker.object(documents[0].value, []);
  if (!value) return { checker };
  if (value.apiVersion !== NETPOL_ATLAS_API_VERSION) {
    checker.error(['apiVersion'], value.apiVersion === undefined ? 'MISSING_FIELD' : 'INVALID_VALUE', `apiVersion must be ${NETPOL_ATLAS_API_VERSION}`);
  }
  if (value.kind !== kind) checker.error(['kind'], value.kind === undefined ? 'MISSING_FIELD' : 'INVALID_VALUE', `kind must be ${kind}`);
  return { value, checker };
}
