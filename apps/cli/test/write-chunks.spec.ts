// writeChunks through a binary stdout (issue 13, output phase): the report is encoded as UTF-8 into one buffer reused
// from write to write; the bytes must be those of the text itself whatever it holds (ASCII, Latin-1, other BMP
// characters, astral ones, a lone surrogate), and each write's bytes must be read before the next one reuses the buffer.
import { describe, expect, it } from 'vitest';
import { reusedBufferWriter, writeChunks, type ReportIo } from '../src/report-io.js';

/** A binary io that copies each write (as a stream must consume it before the awaited write settles). */
function recordingIo(): ReportIo & { bytes: Buffer[]; texts: string[] } {
  const bytes: Buffer[] = [];
  const texts: string[] = [];
  return {
    bytes,
    texts,
    writeStdout: async (text) => void texts.push(text),
    writeStderr: () => undefined,
    writeStdoutBytes: async (chunk) => void bytes.push(Buffer.from(chunk)),
  };
}

const SAMPLES = ['plain ascii => ns/a[Deployment] : TCP 80\n', 'Latin-1 é ß ÿ\n', 'BMP ✓ ☃ 中文\n', 'astral 🙂 𝄞\n', 'lone \ud800 surrogate\n', ''];

describe('writeChunks with writeStdoutBytes', () => {
  it('writes the UTF-8 bytes of the text, in small and large chunks', async () => {
    for (const batch of [1, 16, 1 << 16]) {
      const chunks = [...SAMPLES, 'x'.repeat(70_000), ...SAMPLES.map((s) => s.repeat(3000))];
      const io = recordingIo();
      await writeChunks(chunks, io, batch);
      expect(io.texts).toEqual([]);
      expect(Buffer.concat(io.bytes).equals(Buffer.from(chunks.join(''), 'utf8'))).toBe(true);
    }
  });

  it('without writeStdoutBytes, writes the text as before', async () => {
    const texts: string[] = [];
    await writeChunks(SAMPLES, { writeStdout: async (text) => void texts.push(text), writeStderr: () => undefined }, 1);
    expect(texts.join('')).toBe(SAMPLES.join(''));
  });

  it('reuses one buffer once the previous write has settled; an empty text writes nothing', async () => {
    const seen: Uint8Array[] = [];
    const write = reusedBufferWriter(async (bytes) => void seen.push(bytes));
    await write('abc');
    await write('');
    await write('dé');
    expect(seen).toHaveLength(2);
    expect(seen[0].buffer).toBe(seen[1].buffer);
    expect(Buffer.from(seen[1]).toString('utf8')).toBe('dé');
  });
});
