import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Utf8ChunkDecoder } from './encoding.js';

/** The reference: TextDecoder's stream mode (fatal, one leading BOM dropped); undefined when it refuses the bytes. */
function streamDecoded(chunks: readonly Uint8Array[]): string | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    return chunks.map((chunk) => decoder.decode(chunk, { stream: true })).join('') + decoder.decode();
  } catch {
    return undefined;
  }
}

function chunkDecoded(chunks: readonly Uint8Array[]): string | undefined {
  const decoder = new Utf8ChunkDecoder();
  try {
    return chunks.map((chunk) => decoder.decode(chunk).join('')).join('') + decoder.end();
  } catch {
    return undefined;
  }
}

/** `bytes` cut at the given offsets. */
function cut(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const sorted = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const at of sorted) {
    chunks.push(bytes.subarray(from, at));
    from = at;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

const BOM = [0xef, 0xbb, 0xbf];
const utf8 = new TextEncoder();

describe('Utf8ChunkDecoder', () => {
  it('decodes text cut anywhere exactly as TextDecoder streams it (BOMs, multi-byte characters, invalid bytes)', () => {
    const codePoint = fc.integer({ min: 0, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff).map((c) => String.fromCodePoint(c));
    const text = fc.string({ unit: fc.oneof(fc.constantFrom('a', '{', '"', 'é', '€', '😀', '\ufeff', '\u0000'), codePoint), maxLength: 40 });
    const body = fc.tuple(
      fc.constantFrom([], BOM, [...BOM, ...BOM], [0xef, 0xbb]),
      text,
      fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 2 }), // trailing bytes: often not UTF-8
      fc.boolean(),
    );
    fc.assert(
      fc.property(body, fc.array(fc.nat(200), { maxLength: 8 }), ([prefix, content, trailing, withTrailing], offsets) => {
        const bytes = Uint8Array.from([...prefix, ...utf8.encode(content), ...(withTrailing ? trailing : [])]);
        const chunks = cut(bytes, offsets);
        expect(chunkDecoded(chunks)).toBe(streamDecoded(chunks));
      }),
      { numRuns: 3000, seed: 13 },
    );
  });

  it('refuses a body that ends inside a character, and surrogates or overlong forms encoded in UTF-8', () => {
    for (const bytes of [[0x61, 0xe2, 0x82], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf8, 0x88, 0x80, 0x80, 0x80]]) {
      const chunks = cut(Uint8Array.from(bytes), [1, 2]);
      expect(chunkDecoded(chunks)).toBeUndefined();
      expect(streamDecoded(chunks)).toBeUndefined();
    }
  });

  it('gives ASCII text one byte per character (a 2 MiB body as strings V8 keeps compact)', () => {
    const bytes = utf8.encode(`${'{"a":1}\n'.repeat(1 << 18)}é`);
    const decoder = new Utf8ChunkDecoder();
    const parts = [...decoder.decode(bytes.subarray(0, bytes.length - 1)), ...decoder.decode(bytes.subarray(bytes.length - 1)), decoder.end()];
    expect(parts.join('')).toBe(new TextDecoder().decode(bytes));
    // The last character was cut by the first chunk's end: carried, then completed by the second chunk.
    expect(parts.at(-2)).toBe('é');
  });
});
