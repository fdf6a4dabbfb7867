// metav1.LabelSelector validation (apimachinery ValidateLabelSelector, strict label values).
import type { FieldPath } from '../path.js';
import { isPlainObject } from '../plain-data.js';
import type { Checker } from './checker.js';
import { labelValue, qualifiedName } from './names.js';

const OPERATORS_WITH_VALUES = new Set(['In', 'NotIn']);
const OPERATORS_WITHOUT_VALUES = new Set(['Exists', 'DoesNotExist']);

export function checkLabelSelector(c: Checker, value: unknown, path: FieldPath): void {
  if (c.yaml11Free && isCleanSelector(value)) return; // nothing to report: no path built
  const selector = c.object(value, path);
  if (!selector) return;
  c.labels(selector['matchLabels'], [...path, 'matchLabels']);
  const expressions = c.array(selector['matchExpressions'], [...path, 'matchExpressions']);
  expressions?.forEach((entry, i) => checkRequirement(c, entry, [...path, 'matchExpressions', i]));
}

function checkRequirement(c: Checker, value: unknown, path: FieldPath): void {
  const requirement = c.object(value, path);
  if (!requirement) return;
  const key = c.string(requirement['key'], [...path, 'key']);
  if (requirement['key'] === undefined || requirement['key'] === null) c.missing([...path, 'key']);
  if (key !== undefined) {
    c.problems([...path, 'key'], qualifiedName(key), `invalid label key "${key}"`);
  }
  const operator = c.string(requirement['operator'], [...path, 'operator']);
  if (requirement['operator'] === undefined || requirement['operator'] === null) c.missing([...path, 'operator']);
  const values = c.array(requirement['values'], [...path, 'values']);
  values?.forEach((entry, i) => {
    const text = c.string(entry, [...path, 'values', i]);
    if (text === undefined) return;
    c.problems([...path, 'values', i], labelValue(text), `invalid label value "${text}"`);
  });
  if (operator === undefined) return;
  const count = values?.length ?? 0;
  if (OPERATORS_WITH_VALUES.has(operator)) {
    if (count === 0) c.error('MISSING_FIELD', [...path, 'values'], `must be specified when \`operator\` is 'In' or 'NotIn'`);
  } else if (OPERATORS_WITHOUT_VALUES.has(operator)) {
    if (count > 0) {
      c.error('INVALID_VALUE', [...path, 'values'], `may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`);
    }
  } else {
    c.error('INVALID_VALUE', [...path, 'operator'], `"${operator}" is not a valid selector operator (In, NotIn, Exists, DoesNotExist)`);
  }
}

/** True when checkLabelSelector reports nothing for this value (asked only when no YAML 1.1 look-alike can be in play). */
function isCleanSelector(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (!isPlainObject(value)) return false;
  const matchLabels = value['matchLabels'];
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isPlainObject(matchLabels)) return false;
    for (const key of Object.keys(matchLabels)) {
      const entry = matchLabels[key];
      if (typeof entry !== 'string' || qualifiedName(key).length > 0 || labelValue(entry).length > 0) return false;
    }
  }
  const expressions = value['matchExpressions'];
  if (expressions === undefined || expressions === null) return true;
  if (!Array.isArray(expressions)) return false;
  for (let i = 0; i < expressions.length; i++) if (!isCleanRequirement(expressions[i])) return false;
  return true;
}

function isCleanRequirement(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const key = value['key'];
  const operator = value['operator'];
  if (typeof key !== 'string' || qualifiedName(key).length > 0 || typeof operator !== 'string') return false;
  const values = value['values'];
  let count = 0;
  if (values !== undefined && values !== null) {
    if (!Array.isArray(values)) return false;
    for (let i = 0; i < values.length; i++) {
      const entry: unknown = values[i];
      if (typeof entry !== 'string' || labelValue(entry).length > 0) return false;
    }
    count = values.length;
  }
  if (OPERATORS_WITH_VALUES.has(operator)) return count > 0;
  return OPERATORS_WITHOUT_VALUES.has(operator) && count === 0;
}
