// The stored form of derived artefacts made of integer columns (the namespace matrix, the API's connectivity rows):
// gzip of [u32 LE header length][header JSON][each column, u32 LE]. Read back as typed arrays without a value-by-value
// loop on a little-endian host (the columns of a 50k-pod snapshot are millions of values).
import { endianness } from 'node:os';
import { promisify } from 'node:util';
import { gunzip, gunzipSync, gzipSync } from 'node:zlib';

const LITTLE_ENDIAN = endianness() === 'LE';
const gunzipAsync = promisify(gunzip);

export function packColumns(header: object, columns: readonly ArrayLike<number>[]): Buffer {
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const out = Buffer.alloc(4 + head.length + 4 * columns.reduce((sum, column) => sum + column.length, 0));
  out.writeUInt32LE(head.length, 0);
  head.copy(out, 4);
  let offset = 4 + head.length;
  for (const column of columns) for (let i = 0; i < column.length; i++) offset = out.writeUInt32LE(column[i], offset);
  return gzipSync(out);
}

/** The header and the columns, read in order with the lengths the header gives; `what` names the artefact in errors. */
export interface ColumnReader<H> {
  readonly header: H;
  column(length: number): Uint32Array;
  /** Throws unless every byte was read. */
  end(): void;
}

export function unpackColumns<H extends { format: number }>(stored: Buffer, what: string, format: number): ColumnReader<H> {
  return reader(gunzipSync(stored), what, format);
}

/** unpackColumns with the inflate in libuv's thread pool. */
export async function unpackColumnsAsync<H extends { format: number }>(stored: Buffer, what: string, format: number): Promise<ColumnReader<H>> {
  return reader(await gunzipAsync(stored), what, format);
}

function reader<H extends { format: number }>(bytes: Buffer, what: string, format: number): ColumnReader<H> {
  const headLength = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + headLength).toString('utf8')) as H;
  if (header.format !== format) throw new Error(`${what} format ${header.format} is not ${format}`);
  let offset = 4 + headLength;
  return {
    header,
    column(length) {
      if (offset + 4 * length > bytes.length) throw new Error(`${what} is truncated`);
      const out = new Uint32Array(length);
      if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + 4 * length));
      else for (let i = 0; i < length; i++) out[i] = bytes.readUInt32LE(offset + 4 * i);
      offset += 4 * length;
      return out;
    },
    end() {
      if (offset !== bytes.length) throw new Error(`${what} has ${bytes.length - offset} bytes past its columns`);
    },
  };
}
