// Reading a stored content back. The column is bytea, which PostgreSQL sends as hex text by default: twice the
// bytes on the wire and a hex decode (~0.6 s CPU for the 56 MB content of a 50k-pod snapshot). The content is always
// UTF-8 (JSON text validated at ingest), so it is read as text (`convert_from`) and encoded back: the same bytes,
// about half the CPU and wire time.
export const SELECT_CONTENT_SQL = `SELECT convert_from(content, 'UTF8') AS content FROM snapshot_contents WHERE sha256 = $1`;

/** The stored bytes of a row read with SELECT_CONTENT_SQL. */
export function storedContentBytes(row: { content: string } | undefined): Buffer | null {
  return row ? Buffer.from(row.content, 'utf8') : null;
}
