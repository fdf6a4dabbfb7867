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

/**
 * UTF-8 decoding of a body that arrives in chunks cut anywhere, as TextDecoder's stream mode does it (fatal, one
 * leading BOM dropped), but each chunk decoded on its own up to its last whole character: V8 gives stream-mode
 * output two bytes per character even for ASCII, so a 126 MB body held as text took 252 MB and every scan of it was
 * slower. The 0-3 bytes of a character cut by the chunk's end are carried to the next chunk. Throws TypeError on
 * bytes that are not UTF-8 (at the latest at `end`, for a body ending inside a character).
 */
export class Utf8ChunkDecoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private carried: Uint8Array = new Uint8Array(0);
  private started = false;

  /** The text of the chunk's whole characters (with those completed by its first bytes), in order. */
  decode(chunk: Uint8Array): string[] {
    let bytes = chunk;
    if (!this.started) {
      if (this.carried.length + bytes.length < 3 && isBomPrefix(this.carried, bytes)) {
        this.carried = concatBytes(this.carried, bytes); // too short to tell a BOM yet
        return [];
      }
      this.started = true;
      if (this.carried.length > 0) {
        bytes = concatBytes(this.carried, bytes);
        this.carried = new Uint8Array(0);
      }
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    const parts: string[] = [];
    if (this.carried.length > 0) {
      // The character the last chunk cut: its lead byte says how many continuation bytes follow.
      const need = Math.min(bytes.length, Math.max(0, sequenceLength(this.carried[0]!) - this.carried.length));
      const joined = concatBytes(this.carried, bytes.subarray(0, need));
      bytes = bytes.subarray(need);
      if (joined.length < sequenceLength(joined[0]!) && bytes.length === 0) {
        this.carried = joined; // still cut (a chunk of one or two bytes)
        return parts;
      }
      this.carried = new Uint8Array(0);
      parts.push(this.decoder.decode(joined));
    }
    const cut = wholeCharactersEnd(bytes);
    if (cut < bytes.length) this.carried = bytes.slice(cut);
    if (cut > 0) parts.push(this.decoder.decode(bytes.subarray(0, cut)));
    return parts;
  }

  /** What is left: '' unless the body ended inside a character (then it throws, as TextDecoder does). */
  end(): string {
    const rest = this.carried;
    this.carried = new Uint8Array(0);
    if (!this.started) {
      this.started = true;
      const bom = rest[0] === 0xef && rest[1] === 0xbb && rest[2] === 0xbf;
      return this.decoder.decode(bom ? rest.subarray(3) : rest);
    }
    return rest.length === 0 ? '' : this.decoder.decode(rest);
  }
}

/** Whether the bytes so far (carried, then chunk) could still begin with a BOM. */
function isBomPrefix(carried: Uint8Array, chunk: Uint8Array): boolean {
  const bom = [0xef, 0xbb, 0xbf];
  let k = 0;
  for (const part of [carried, chunk]) for (let i = 0; i < part.length; i++, k++) if (part[i] !== bom[k]) return false;
  return true;
}

/** Bytes of the sequence a lead byte starts (1 for a byte that cannot lead one: the decoder then refuses it). */
function sequenceLength(lead: number): number {
  return lead >= 0xf0 && lead <= 0xf7 ? 4 : lead >= 0xe0 ? (lead <= 0xef ? 3 : 1) : lead >= 0xc0 ? 2 : 1;
}

/** Offset after the last whole character: the start of a trailing sequence its bytes do not complete. */
function wholeCharactersEnd(bytes: Uint8Array): number {
  const n = bytes.length;
  // The lead byte of the last sequence is at most 3 bytes back (continuation bytes are 10xxxxxx).
  for (let back = 1; back <= Math.min(4, n); back++) {
    const b = bytes[n - back]!;
    if ((b & 0xc0) === 0x80) continue;
    return sequenceLength(b) > back ? n - back : n;
  }
  return n; // four continuation bytes: not UTF-8, the decoder refuses them
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
