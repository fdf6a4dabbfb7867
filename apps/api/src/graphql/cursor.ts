// Opaque Relay cursors: base64url of `<kind>:<key>`, so a cursor from one list is refused by another.
import { badUserInput } from './errors.js';

export function encodeCursor(kind: string, key: string): string {
  return Buffer.from(`${kind}:${key}`, 'utf8').toString('base64url');
}

/** The key inside a cursor of `kind`; BAD_USER_INPUT for anything else. */
export function decodeCursor(kind: string, cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(`${kind}:`) || encodeCursor(kind, text.slice(kind.length + 1)) !== cursor) {
    throw badUserInput(`invalid cursor for ${kind}: ${JSON.stringify(cursor)}`, { argument: 'after' });
  }
  return text.slice(kind.length + 1);
}
