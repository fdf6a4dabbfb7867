// Integer columns stored with a JSON header: read back equal, and a stored value of another format, cut short or
// with bytes past its columns is refused (an artefact is never half-read).
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { packColumns, unpackColumns, unpackColumnsAsync } from './stored-columns.js';

describe('stored columns', () => {
  const header = { format: 3, note: 'é' };
  const columns = [Uint32Array.of(0, 1, 2 ** 32 - 1), [7, 8]];

  it('reads back the header and the columns, sync and async', async () => {
    for (const read of [unpackColumns<typeof header>(packColumns(header, columns), 'x', 3), await unpackColumnsAsync<typeof header>(packColumns(header, columns), 'x', 3)]) {
      expect(read.header).toEqual(header);
      expect([...read.column(3)]).toEqual([0, 1, 2 ** 32 - 1]);
      expect([...read.column(2)]).toEqual([7, 8]);
      expect(() => read.end()).not.toThrow();
    }
  });

  it('refuses another format, a short value and bytes past the columns', () => {
    const stored = packColumns(header, columns);
    expect(() => unpackColumns(stored, 'x', 4)).toThrow('x format 3 is not 4');
    const raw = gunzipSync(stored);
    const short = unpackColumns(gzipSync(raw.subarray(0, raw.length - 1)), 'x', 3);
    short.column(3);
    expect(() => short.column(2)).toThrow('x is truncated');
    const long = unpackColumns(gzipSync(Buffer.concat([raw, Buffer.alloc(4)])), 'x', 3);
    long.column(3);
    long.column(2);
    expect(() => long.end()).toThrow('x has 4 bytes past its columns');
  });
});
