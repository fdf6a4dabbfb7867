// ObjectMeta checks shared by every kept kind.
import { isPlainObject, type PlainObject } from '../plain-data.js';
import type { Checker } from './checker.js';
import { dns1123Label, dns1123Subdomain, qualifiedName } from './names.js';

export type NameRule = 'dns1123-label' | 'dns1123-subdomain' | 'dns1035-label' | 'any';

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

function nameProblems(name: string, rule: NameRule): readonly string[] {
  switch (rule) {
    case 'dns1123-label':
      return dns1123Label(name);
    case 'dns1123-subdomain':
      return dns1123Subdomain(name);
    case 'dns1035-label':
      return DNS1035_LABEL.test(name) && name.length <= 63
        ? []
        : ["a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with a letter and end with an alphanumeric character (at most 63)"];
    case 'any':
      return name.length > 0 ? [] : ['must not be empty'];
  }
}

/** Checks metadata; returns the name when the object can be identified. */
export function checkMetadata(c: Checker, object: PlainObject, rule: NameRule): string | undefined {
  const metadata = c.object(object['metadata'], ['metadata']);
  if (!metadata) {
    if (object['metadata'] === undefined || object['metadata'] === null) c.missing(['metadata', 'name'], 'metadata.name');
    return undefined;
  }
  const name = c.string(metadata['name'], ['metadata', 'name']);
  if (metadata['name'] === undefined || metadata['name'] === null) c.missing(['metadata', 'name'], 'metadata.name');
  if (name !== undefined) {
    const problems = nameProblems(name, rule);
    // The API server refuses these names. One exception, a warning: a name whose only fault is `_`, which
    // np-guard accepts and its conformance corpus uses (a NetworkPolicy `use_common_labels_same_values`).
    const underscoreOnly = rule === 'dns1123-subdomain' && problems.length > 0 && name.includes('_') && nameProblems(name.replaceAll('_', '-'), rule).length === 0;
    c.problems(['metadata', 'name'], problems, `the API server would refuse the name "${name}"`, underscoreOnly ? 'warning' : 'error');
  }
  const namespace = c.string(metadata['namespace'], ['metadata', 'namespace']);
  if (namespace !== undefined && rule !== 'any') {
    c.problems(['metadata', 'namespace'], dns1123Label(namespace), `invalid namespace "${namespace}"`);
  }
  if (rule !== 'any') c.labels(metadata['labels'], ['metadata', 'labels']);
  checkAnnotations(c, metadata['annotations']);
  c.string(metadata['uid'], ['metadata', 'uid']);
  checkOwnerReferences(c, metadata);
  return name;
}

/** As the API server: the total size of the annotation keys and values (UTF-8 bytes), 256 KiB at most. */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

const utf8 = new TextEncoder();

function checkAnnotations(c: Checker, value: unknown): void {
  const annotations = c.object(value, ['metadata', 'annotations']);
  if (!annotations) return;
  let total = 0;
  for (const key of Object.keys(annotations)) {
    c.problems(['metadata', 'annotations', key], qualifiedName(key), `invalid annotation key "${key}"`);
    const text = annotations[key];
    if (typeof text !== 'string') {
      if (text !== null) c.error('WRONG_TYPE', ['metadata', 'annotations', key], 'expected a string');
      continue;
    }
    total += utf8.encode(key).length + utf8.encode(text).length;
  }
  if (total > MAX_ANNOTATIONS_BYTES) {
    c.error('INVALID_VALUE', ['metadata', 'annotations'], `too long: ${total} bytes, must have at most ${MAX_ANNOTATIONS_BYTES} bytes`);
  }
}

function checkOwnerReferences(c: Checker, metadata: PlainObject): void {
  const refs = c.array(metadata['ownerReferences'], ['metadata', 'ownerReferences']);
  refs?.forEach((entry, i) => {
    if (c.yaml11Free && isCleanOwnerReference(entry)) return; // nothing to report: no path built
    const path = ['metadata', 'ownerReferences', i];
    const ref = c.object(entry, path);
    if (!ref) return;
    for (const field of ['apiVersion', 'kind', 'name', 'uid']) {
      c.string(ref[field], [...path, field]);
    }
    if (ref['name'] === undefined || ref['name'] === null) c.missing([...path, 'name']);
    c.boolean(ref['controller'], [...path, 'controller']);
  });
}

/** True when checkOwnerReferences reports nothing for this entry (asked only when no YAML 1.1 look-alike can be in play). */
function isCleanOwnerReference(entry: unknown): boolean {
  if (!isPlainObject(entry)) return false;
  if (typeof entry['name'] !== 'string') return false;
  for (const field of OWNER_STRING_FIELDS) {
    const value = entry[field];
    if (value !== undefined && value !== null && typeof value !== 'string') return false;
  }
  const controller = entry['controller'];
  return controller === undefined || controller === null || typeof controller === 'boolean';
}

const OWNER_STRING_FIELDS = ['apiVersion', 'kind', 'uid'];
