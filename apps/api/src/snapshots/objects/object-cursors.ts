// Cursors of the snapshot object lists: the row's key parts (as stored) joined by NUL, so that cursor order is
// the key-tuple order of the tables (NUL sorts before every character a name can hold).
import { decodeCursor, encodeCursor } from '../../graphql/cursor.js';
import { badUserInput } from '../../graphql/errors.js';

export const keyText = (parts: readonly string[]) => parts.join('\u0000');

export function encodeKeyCursor(kind: string, parts: readonly string[]): string {
  return encodeCursor(kind, keyText(parts));
}

/** The key parts inside a cursor of `kind` with `arity` parts; BAD_USER_INPUT otherwise. */
export function decodeKeyCursor(kind: string, cursor: string | null | undefined, arity: number): string[] | undefined {
  if (!cursor) return undefined;
  const parts = decodeCursor(kind, cursor).split('\u0000');
  if (parts.length !== arity) throw badUserInput(`invalid cursor for ${kind}: ${JSON.stringify(cursor)}`, { argument: 'after' });
  return parts;
}
