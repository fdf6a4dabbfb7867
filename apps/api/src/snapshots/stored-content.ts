// Reading a stored content back (10–60 MB at 10k–50k pods), on the event loop's connection. A SELECT of the bytea
// column comes as hex text (twice the bytes, a hex decode: ~0.6 s of CPU at 50k pods); read as text (`convert_from`),
// node-postgres decodes the row into one string and it is encoded back (tens of ms per 10 MB in single blocks, during
// which no other request is served: issue 13's cheap query behind cold analyses). A binary COPY sends the bytes as
// stored, in ~64 KiB messages that are copied into one Buffer of the content's size as they arrive: no decode, no
// block longer than a chunk, and a Buffer that owns its memory, so it moves to an analysis thread without a copy.
import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';

const SHA256 = /^[0-9a-f]{64}$/;
/** PostgreSQL's binary COPY signature: "PGCOPY\n\377\r\n\0". */
const SIGNATURE = Buffer.from('5047434f50590aff0d0a00', 'hex');
/** Signature, flags (int32), header extension length (int32). */
const FIXED_HEADER = SIGNATURE.length + 8;

/** The stored bytes of `sha256`, or null when there is no such content. */
export async function readContentBytes(client: PoolClient, sha256: string): Promise<Buffer | null> {
  // COPY takes no parameters: the hash goes into the text, so it must be exactly a hash.
  if (!SHA256.test(sha256)) throw new Error(`not a content hash: ${JSON.stringify(sha256)}`);
  const reader = new CopiedContent();
  for await (const chunk of client.query(copyTo(`COPY (SELECT content FROM snapshot_contents WHERE sha256 = '${sha256}') TO STDOUT (FORMAT binary)`))) {
    reader.push(chunk as Buffer);
  }
  return reader.end();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A stored report's canonical JSON as UTF-8 bytes (the bytes `report_sha256` hashes), or null when there is none:
 *  tens of MB at 50k pods, read the same way. */
export async function readReportBytes(client: PoolClient, reportId: string): Promise<Buffer | null> {
  if (!UUID.test(reportId)) throw new Error(`not a report id: ${JSON.stringify(reportId)}`);
  const reader = new CopiedContent();
  for await (const chunk of client.query(copyTo(`COPY (SELECT convert_to(report_jcs, 'UTF8') FROM reports WHERE id = '${reportId}') TO STDOUT (FORMAT binary)`))) {
    reader.push(chunk as Buffer);
  }
  return reader.end();
}

/**
 * The one bytea field of a binary COPY of at most one row, read as the chunks arrive: the header, then the field's
 * length, then its bytes copied into a Buffer of that length, then the trailer (int16 −1).
 */
export class CopiedContent {
  private head: Buffer = Buffer.alloc(0);
  private content: Buffer | undefined;
  private filled = 0;
  private noRow = false;
  private readonly tail: Buffer[] = [];

  push(chunk: Buffer): void {
    if (this.content === undefined && !this.noRow) {
      this.head = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
      const start = this.fieldStart();
      if (start === undefined) return; // the header is not complete yet
      const rest = this.head.subarray(start.offset);
      this.head = Buffer.alloc(0);
      if (start.length === undefined) {
        this.noRow = true;
        this.tail.push(rest);
        return;
      }
      this.content = Buffer.allocUnsafeSlow(start.length);
      chunk = rest;
    }
    if (this.content === undefined) {
      this.tail.push(chunk);
      return;
    }
    const taken = Math.min(chunk.length, this.content.length - this.filled);
    chunk.copy(this.content, this.filled, 0, taken);
    this.filled += taken;
    if (taken < chunk.length) this.tail.push(chunk.subarray(taken));
  }

  /** The content (null: no row). Throws on anything but one complete row of one non-null field and the trailer. */
  end(): Buffer | null {
    if (this.content === undefined && !this.noRow) throw new Error('the COPY of a content ended inside its header');
    if (this.content !== undefined && this.filled !== this.content.length) throw new Error(`the COPY of a content ended after ${this.filled} of ${this.content.length} bytes`);
    const tail = Buffer.concat(this.tail);
    // After the row: the trailer (int16 −1). Without a row, the trailer was read in the place of the field count.
    const complete = this.noRow ? tail.length === 0 : tail.length === 2 && tail.readInt16BE(0) === -1;
    if (!complete) throw new Error('the COPY of a content has more than one row, or no trailer');
    return this.content ?? null;
  }

  /** Where the field's bytes start and its length (undefined length: no row); undefined until the header is complete. */
  private fieldStart(): { offset: number; length?: number } | undefined {
    const head = this.head;
    if (head.length < FIXED_HEADER) return undefined;
    if (!head.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new Error('not a binary COPY');
    const tupleAt = FIXED_HEADER + head.readUInt32BE(SIGNATURE.length + 4);
    if (head.length < tupleAt + 2) return undefined;
    const fields = head.readInt16BE(tupleAt);
    if (fields === -1) return { offset: tupleAt + 2 };
    if (fields !== 1) throw new Error(`a COPY of a content with ${fields} fields`);
    if (head.length < tupleAt + 6) return undefined;
    const length = head.readInt32BE(tupleAt + 2);
    if (length < 0) throw new Error('a stored content is NULL');
    return { offset: tupleAt + 6, length };
  }
}
