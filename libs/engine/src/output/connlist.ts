// np-guard's connlist formats. txt and json are byte-exact np-guard (IPv6 rows left out, as np-guard does);
// csv, md and dot carry the same rows readably and include IPv6.
import { ConnectivityListing, type ConnectivityRow, type Peer } from '../analysis/connectivity.js';
import type { ConnectionSet } from '../algebra/connection-set.js';
import { connString } from './conn-string.js';

export type ConnlistFormat = 'txt' | 'json' | 'csv' | 'md' | 'dot';
export const CONNLIST_FORMATS: readonly ConnlistFormat[] = ['txt', 'json', 'csv', 'md', 'dot'];

export interface ConnlistStats {
  /** Rows with an IPv6 peer that txt/json left out. */
  ipv6RowsOmitted: number;
  rows: number;
}

export function isIpv6Row(row: ConnectivityRow): boolean {
  return isIpv6(row.src) || isIpv6(row.dst);
}

function isIpv6(peer: Peer): boolean {
  return peer.type === 'ip' && peer.family === 6;
}

/** The report as chunks, so large outputs can be written while rows are produced (dot buffers its nodes). */
export function* connlistChunks(
  rows: Iterable<ConnectivityRow>,
  format: ConnlistFormat,
  stats: ConnlistStats = { ipv6RowsOmitted: 0, rows: 0 },
  /** Name ICMP whenever allowed (`connString`): the rows' snapshot `showsIcmp`. */
  icmp = false,
): Generator<string> {
  const npGuard = format === 'txt' || format === 'json';
  const kept = (function* () {
    for (const row of rows) {
      if (npGuard && isIpv6Row(row)) {
        stats.ipv6RowsOmitted++;
        continue;
      }
      stats.rows++;
      yield row;
    }
  })();
  // Connection sets are interned by the analysis: each one's text is formatted once (bounded, for callers
  // whose rows carry fresh sets).
  const connTexts = new Map<ConnectionSet, string>();
  const connText = (conn: ConnectionSet) => {
    let text = connTexts.get(conn);
    if (text === undefined) {
      if (connTexts.size >= MEMO_LIMIT) connTexts.clear();
      connTexts.set(conn, (text = connString(conn, icmp)));
    }
    return text;
  };
  switch (format) {
    case 'txt': {
      if (rows instanceof ConnectivityListing) {
        yield* txtRuns(rows, stats, icmp);
        return;
      }
      // The most used format (and the start of `--exposure`): rows are filtered and joined in one loop, and each
      // source's `<name> => ` is made once for its run of rows.
      let chunk = '';
      let source: Peer | undefined;
      let prefix = '';
      for (const row of rows) {
        if (isIpv6Row(row)) {
          stats.ipv6RowsOmitted++;
          continue;
        }
        stats.rows++;
        if (row.src !== source) prefix = `${(source = row.src).name} => `;
        chunk += `${prefix}${row.dst.name} : ${connText(row.conn)}\n`;
        if (chunk.length >= 1 << 16) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk.length > 0) yield chunk;
      return;
    }
    case 'json':
      yield* jsonChunks(kept, connText);
      return;
    case 'csv':
      yield 'src,dst,conn\n';
      yield* batched(kept, (row) => `${csvField(row.src.name)},${csvField(row.dst.name)},${csvField(connText(row.conn))}\n`);
      return;
    case 'md':
      yield '| src | dst | conn |\n|-----|-----|------|';
      yield* batched(kept, (row) => `\n| ${mdCell(row.src.name)} | ${mdCell(row.dst.name)} | ${mdCell(connText(row.conn))} |`);
      return;
    case 'dot':
      yield dot([...kept], icmp);
      return;
  }
}

/** np-guard txt from the listing's runs (no row object per pair): each source's `<name> => ` is made once for its run,
 *  each connection's ` : <text>\n` once. The same bytes as the row loop. */
function* txtRuns(listing: ConnectivityListing, stats: ConnlistStats, icmp: boolean): Generator<string> {
  const tails = new Map<ConnectionSet, string>();
  let chunk = '';
  for (const { src, count, dsts, conns } of listing.runs()) {
    if (isIpv6(src)) {
      stats.ipv6RowsOmitted += count;
      continue;
    }
    const prefix = `${src.name} => `;
    for (let i = 0; i < count; i++) {
      const dst = dsts[i];
      if (dst.type === 'ip' && dst.family === 6) {
        stats.ipv6RowsOmitted++;
        continue;
      }
      stats.rows++;
      const conn = conns[i];
      let tail = tails.get(conn);
      if (tail === undefined) {
        if (tails.size >= MEMO_LIMIT) tails.clear();
        tails.set(conn, (tail = ` : ${connString(conn, icmp)}\n`));
      }
      chunk += prefix;
      chunk += dst.name;
      chunk += tail;
      if (chunk.length >= 1 << 16) {
        yield chunk;
        chunk = '';
      }
    }
  }
  if (chunk.length > 0) yield chunk;
}

export function formatConnlist(rows: Iterable<ConnectivityRow>, format: ConnlistFormat, stats?: ConnlistStats, icmp = false): string {
  return [...connlistChunks(rows, format, stats, icmp)].join('');
}

/** Go's `json.MarshalIndent(v, "", "  ")` of `[{src,dst,conn}]`, no trailing newline; empty = `[]`. */
function* jsonChunks(rows: Iterable<ConnectivityRow>, connText: (conn: ConnectionSet) => string): Generator<string> {
  // Peer names and connection texts repeat on many rows: each is escaped once.
  const quoted = new Map<string, string>();
  const quote = (text: string) => {
    let out = quoted.get(text);
    if (out === undefined) {
      if (quoted.size >= MEMO_LIMIT) quoted.clear();
      quoted.set(text, (out = goString(text)));
    }
    return out;
  };
  let first = true;
  yield* batched(rows, (row) => {
    const line = `${first ? '[\n' : ',\n'}  {\n    "src": ${quote(row.src.name)},\n    "dst": ${quote(row.dst.name)},\n    "conn": ${quote(connText(row.conn))}\n  }`;
    first = false;
    return line;
  });
  yield first ? '[]' : '\n]';
}

const MEMO_LIMIT = 1 << 16;

/** Rows formatted into chunks of about 64 KiB: one yield (and one write) per chunk, not per row. */
function* batched<T>(rows: Iterable<T>, format: (row: T) => string): Generator<string> {
  let chunk = '';
  for (const row of rows) {
    chunk += format(row);
    if (chunk.length >= 1 << 16) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** JSON string as Go's encoder writes it (HTML-safe escapes for <, > and &). */
export function goString(text: string): string {
  return JSON.stringify(text)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function mdCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** A Graphviz digraph: workloads grouped by namespace, IP ranges as boxes, one labelled edge per row. */
function dot(rows: readonly ConnectivityRow[], icmp: boolean): string {
  const peers = new Map<string, Peer>();
  for (const r of rows) {
    peers.set(r.src.name, r.src);
    peers.set(r.dst.name, r.dst);
  }
  const byNamespace = new Map<string, Peer[]>();
  const external: Peer[] = [];
  for (const p of [...peers.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (p.type === 'ip') external.push(p);
    else {
      const ns = p.workload.namespace;
      const list = byNamespace.get(ns) ?? [];
      list.push(p);
      byNamespace.set(ns, list);
    }
  }
  const lines = ['digraph {'];
  for (const [ns, list] of byNamespace) {
    lines.push(`\tsubgraph ${dotId(`cluster_${ns}`)} {`, `\t\tlabel=${dotId(ns)}`);
    for (const p of list) lines.push(`\t\t${dotId(p.name)} [label=${dotId(p.name.slice(ns.length + 1))} shape=oval]`);
    lines.push('\t}');
  }
  for (const p of external) lines.push(`\t${dotId(p.name)} [label=${dotId(p.name)} shape=box]`);
  for (const r of rows) lines.push(`\t${dotId(r.src.name)} -> ${dotId(r.dst.name)} [label=${dotId(connString(r.conn, icmp))}]`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function dotId(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
