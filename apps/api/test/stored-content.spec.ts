// A stored content is read back by a binary COPY (stored-content.ts): the same bytes as a SELECT of the column, split
// into chunks anywhere, null for an unknown hash; and the reader refuses what is not exactly one row.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticCluster, SIZE_PRESETS } from '../../../libs/engine/bench/synthetic-cluster.js';
import { SnapshotsRepository } from '../src/snapshots/snapshots.repository.js';
import { CopiedContent, readContentBytes } from '../src/snapshots/stored-content.js';
import { startApp, uploadJsonList, type TestApp } from './support/app.js';

async function copyOut(client: pg.ClientBase, sql: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of client.query(copyTo(sql))) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function readInPieces(copy: Buffer, sizes: () => number): Buffer | null {
  const reader = new CopiedContent();
  for (let at = 0; at < copy.length; ) {
    const next = Math.min(copy.length, at + Math.max(1, sizes()));
    reader.push(copy.subarray(at, next));
    at = next;
  }
  return reader.end();
}

describe('stored contents read by a binary COPY', () => {
  let t: TestApp;
  let client: pg.Client;
  let sha: string;
  beforeAll(async () => {
    t = await startApp();
    ({ contentSha256: sha } = await uploadJsonList(t, 'copy', generateSyntheticCluster(SIZE_PRESETS.S, 2).list));
    client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
  }, 120_000);
  afterAll(async () => {
    await client?.end();
    await t?.close();
  });

  it('gives the bytes a SELECT of the column gives, in a Buffer of its own, through the repository and a pg client', async () => {
    const selected = (await client.query<{ content: Buffer }>('SELECT content FROM snapshot_contents WHERE sha256 = $1', [sha])).rows[0]!.content;
    expect(selected.length).toBeGreaterThan(256 * 1024); // several COPY messages
    const viaRepository = (await t.app.get(SnapshotsRepository).content(sha))!;
    expect(viaRepository.equals(selected)).toBe(true);
    expect(viaRepository.byteOffset).toBe(0);
    expect(viaRepository.buffer.byteLength).toBe(viaRepository.length);
    expect((await readContentBytes(client as unknown as pg.PoolClient, sha))!.equals(selected)).toBe(true);
    expect(await t.app.get(SnapshotsRepository).content('0'.repeat(64))).toBeNull();
    await expect(readContentBytes(client as unknown as pg.PoolClient, `${'0'.repeat(63)}'`)).rejects.toThrow(/not a content hash/);
  });

  it('reads any bytes (multibyte UTF-8, every byte value) split anywhere, and refuses rows it does not expect', async () => {
    await client.query('CREATE TEMP TABLE copied (content bytea)');
    const bytes = Buffer.concat([Buffer.from('{"name":"é, 名前, 🚀"}', 'utf8'), randomBytes(300_000)]);
    await client.query('INSERT INTO copied VALUES ($1)', [bytes]);
    const copy = await copyOut(client, 'COPY (SELECT content FROM copied) TO STDOUT (FORMAT binary)');
    expect(readInPieces(copy, () => copy.length)!.equals(bytes)).toBe(true);
    expect(readInPieces(copy, () => 1)!.equals(bytes)).toBe(true);
    let seed = 7;
    expect(readInPieces(copy, () => (seed = (seed * 48271) % 2147483647) % 70_000)!.equals(bytes)).toBe(true);

    const none = await copyOut(client, 'COPY (SELECT content FROM copied WHERE false) TO STDOUT (FORMAT binary)');
    expect(readInPieces(none, () => 3)).toBeNull();

    await client.query('INSERT INTO copied VALUES ($1)', [Buffer.from('second')]);
    const two = await copyOut(client, 'COPY (SELECT content FROM copied) TO STDOUT (FORMAT binary)');
    expect(() => readInPieces(two, () => 4096)).toThrow(/more than one row/);
    expect(() => readInPieces(copy.subarray(0, copy.length - 10), () => 4096)).toThrow(/ended after/);
    expect(() => readInPieces(copy.subarray(0, 12), () => 4096)).toThrow(/inside its header/);
    const nulls = await copyOut(client, 'COPY (SELECT NULL::bytea) TO STDOUT (FORMAT binary)');
    expect(() => readInPieces(nulls, () => 4096)).toThrow(/NULL/);
    const twoFields = await copyOut(client, "COPY (SELECT content, content FROM copied LIMIT 1) TO STDOUT (FORMAT binary)");
    expect(() => readInPieces(twoFields, () => 4096)).toThrow(/2 fields/);
  });
});
