// Characters no stored text may hold: NUL (PostgreSQL text and jsonb cannot store it; names and labels may
// not contain it anyway) and unpaired UTF-16 surrogates (a JSON `\ud800` escape: not Unicode, not storable as
// UTF-8). Checked in every key and string of a kept object, so such input is a located issue, never a server fault.
import type { FieldPath, PathSegment } from '../path.js';
import { isPlainObject } from '../plain-data.js';
import type { Checker } from './checker.js';

/** NUL or a surrogate not part of a pair (NUL matched on purpose: it is what this module refuses). */
// eslint-disable-next-line no-control-regex
const INVALID = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Issues per object at most; one is enough to refuse it. */
const MAX_REPORTED = 5;

export function checkCharacters(c: Checker, object: unknown): void {
  let reported = 0;
  const report = (path: FieldPath, what: string, text: string): void => {
    if (reported++ >= MAX_REPORTED) return;
    const found = INVALID.exec(text)![0];
    const name = found === '\u0000' ? 'a NUL character (U+0000)' : `an unpaired surrogate (U+${found.charCodeAt(0).toString(16).toUpperCase()})`;
    c.error('INVALID_CHARACTER', path, `${what} contains ${name} at offset ${INVALID.exec(text)!.index}`);
  };
  const walk = (value: unknown, path: PathSegment[]): void => {
    if (reported >= MAX_REPORTED) return;
    if (typeof value === 'string') {
      if (INVALID.test(value)) report(path, 'the value', value);
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        walk(value[i], path);
        path.pop();
      }
    } else if (isPlainObject(value)) {
      for (const key of Object.keys(value)) {
        path.push(INVALID.test(key) ? key.replaceAll('\u0000', '\\0') : key);
        if (INVALID.test(key)) report(path, 'the key', key);
        walk(value[key], path);
        path.pop();
      }
    }
  };
  walk(object, []);
}
