import { useLoadMore, type FetchPage } from '../api/useLoadMore.js';
import type { PagedConnection } from '../api/types.js';
import { ConnectionNote } from './ConnectionNote.js';
import { DataTable, type Column } from './DataTable.js';

/** A table over a connection, with a count and a "Show more" button while the API has further pages. */
export function PagedTable<TRow>({
  connection,
  fetchPage,
  caption,
  columns,
  rowKey,
  noun,
  empty,
}: {
  connection: PagedConnection<TRow>;
  fetchPage: FetchPage<TRow>;
  caption: string;
  /** Columns, or a function of every row loaded so far (e.g. to compare a row with the next one). */
  columns: readonly Column<TRow>[] | ((rows: readonly TRow[]) => readonly Column<TRow>[]);
  rowKey: (row: TRow) => string;
  /** Singular and plural, e.g. ['policy', 'policies']. */
  noun: [string, string];
  empty: string;
}) {
  const pager = useLoadMore(connection, fetchPage);
  return (
    <>
      <ConnectionNote shown={pager.nodes.length} total={pager.totalCount} noun={noun} />
      <DataTable caption={caption} columns={typeof columns === 'function' ? columns(pager.nodes) : columns} rows={pager.nodes} rowKey={rowKey} empty={empty} />
      {pager.hasNextPage && (
        <p className="show-more">
          <button type="button" onClick={pager.loadMore} disabled={pager.loading} aria-busy={pager.loading}>
            {pager.loading ? `Loading more ${noun[1]}…` : `Show more ${noun[1]}`}
          </button>
        </p>
      )}
      {pager.error && (
        <p role="alert" className="status status-error">
          Could not load more {noun[1]}: {pager.error.message}
        </p>
      )}
    </>
  );
}
