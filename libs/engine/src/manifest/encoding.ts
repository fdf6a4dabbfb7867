// Bytes → text for every ingest path (CLI files, REST bodies): UTF-8 only, refused with a located issue
// otherwise (never decoded with replacement characters, which would change names and labels silently).
import type { Issue } from './types.js';

export function invalidEncodingIssue(file: string, byteOffset?: number): Issue {
  return {
    code: 'INVALID_ENCODING',
    severity: 'error',
    message: `not valid UTF-8${byteOffset === undefined ? '' : ` (first invalid byte at offset ${byteOffset})`}: manifests must be UTF-8 text`,
    file,
    document: 0,
    path: '',
  };
}

/** The text of `bytes`, or the INVALID_ENCODING issue. */
export function decodeManifestBytes(file: string, bytes: Uint8Array): { readonly text: string } | { readonly issue: Issue } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return { issue: invalidEncodingIssue(file, firstInvalidUtf8Byte(bytes)) };
  }
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    if (length > 1) {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + length));
      } catch {
        return i;
      }
    }
    i += length;
  }
  return undefined;
}
