import { useState, type FormEvent } from 'react';
import { useQuery } from '../../api/useQuery.js';
import { Breadcrumb } from '../../components/Breadcrumb.js';
import { PageHeading } from '../../components/PageHeading.js';
import { QueryStatus } from '../../components/QueryStatus.js';
import { formatTimestamp, shortHash } from '../../format.js';
import { navigate, useSearch } from '../../router/history.js';
import { Link } from '../../router/Link.js';
import { paths, queryParam } from '../../routes.js';
import { DownloadLink } from '../../components/DownloadLink.js';
import { diffFileName } from '../../download-names.js';
import { DiffResult } from './DiffResult.js';

const DIFF_FORMATS: ReadonlyArray<[format: string, label: string]> = [
  ['txt', 'Text (np-guard)'],
  ['json', 'JSON (np-guard)'],
  ['csv', 'CSV'],
  ['md', 'Markdown'],
];
import { DIFF_QUERY, SNAPSHOT_CHOICES_QUERY } from './queries.js';

/** `/diff?from=<id>&to=<id>`: the connectivity diff of any two snapshots, with causes. */
export function DiffPage() {
  const search = useSearch();
  const from = queryParam(search, 'from');
  const to = queryParam(search, 'to');
  return (
    <>
      <Breadcrumb trail={[{ to: paths.clusters(), label: 'Inventory' }, { label: 'Diff' }]} />
      <PageHeading>Diff</PageHeading>
      <p className="lede">
        What changed in who may talk to whom between two snapshots (of one cluster over time, or of two clusters), and which
        object edit caused each change. To try a change before it lands, use a snapshot’s <strong>What-if</strong> view.
      </p>
      <DiffPicker key={search} from={from} to={to} />
      {from && to ? <DiffView from={from} to={to} /> : <p className="empty">Pick the old and the new snapshot.</p>}
    </>
  );
}

function DiffPicker({ from, to }: { from: string; to: string }) {
  const choices = useQuery(SNAPSHOT_CHOICES_QUERY, {});
  const [draft, setDraft] = useState({ from, to });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(paths.diff(draft));
  };
  return (
    <QueryStatus state={choices} loadingLabel="Loading snapshots…">
      {(data) => {
        const options = data.clusters.edges.map((edge) => (
          <optgroup key={edge.node.name} label={edge.node.name}>
            {edge.node.snapshots.edges.map(({ node }) => (
              <option key={node.id} value={node.id}>
                {edge.node.name} · {formatTimestamp(node.capturedAt)} · {shortHash(node.contentSha256)}
              </option>
            ))}
          </optgroup>
        ));
        return (
          <form className="card filter-form" onSubmit={submit} aria-label="Snapshots to compare">
            <div className="field field-wide">
              <label htmlFor="diff-from">Old snapshot</label>
              <select id="diff-from" value={draft.from} onChange={(event) => setDraft({ ...draft, from: event.target.value })}>
                <option value="">Choose…</option>
                {draft.from && !data.clusters.edges.some((e) => e.node.snapshots.edges.some((s) => s.node.id === draft.from)) && <option value={draft.from}>{draft.from}</option>}
                {options}
              </select>
            </div>
            <div className="field field-wide">
              <label htmlFor="diff-to">New snapshot</label>
              <select id="diff-to" value={draft.to} onChange={(event) => setDraft({ ...draft, to: event.target.value })}>
                <option value="">Choose…</option>
                {draft.to && !data.clusters.edges.some((e) => e.node.snapshots.edges.some((s) => s.node.id === draft.to)) && <option value={draft.to}>{draft.to}</option>}
                {options}
              </select>
            </div>
            <div className="field field-actions">
              <button type="submit" className="primary" disabled={!draft.from || !draft.to}>
                Compare
              </button>
            </div>
          </form>
        );
      }}
    </QueryStatus>
  );
}

function DiffView({ from, to }: { from: string; to: string }) {
  const state = useQuery(DIFF_QUERY, { from, to, first: 100 });
  return (
    <QueryStatus state={state} loadingLabel="Computing the diff…" notFound={<p>One of the snapshots does not exist.</p>}>
      {(data) => (
        <>
          <p className="subtitle">
            {data.fromSnapshot && (
              <>
                From <Link to={paths.snapshot(from)}>{data.fromSnapshot.cluster.name} {formatTimestamp(data.fromSnapshot.capturedAt)}</Link>
              </>
            )}{' '}
            {data.toSnapshot && (
              <>
                to <Link to={paths.snapshot(to)}>{data.toSnapshot.cluster.name} {formatTimestamp(data.toSnapshot.capturedAt)}</Link>
              </>
            )}
          </p>
          <DiffResult diff={data.diff} newSnapshot={to} oldSnapshot={from} />
          {data.toSnapshot && (
            <section aria-labelledby="diff-downloads" className="card">
              <h2 id="diff-downloads">Downloads</h2>
              <ul className="downloads plain-list">
                {DIFF_FORMATS.map(([format, label]) => {
                  const fileName = diffFileName({ cluster: data.fromSnapshot?.cluster.name, id: from }, { cluster: data.toSnapshot!.cluster.name, id: to }, format);
                  return (
                    <li key={format}>
                      <DownloadLink href={`/api/v1/diff?${new URLSearchParams({ from, to, format })}`} fileName={fileName}>
                        {label}
                      </DownloadLink>
                    </li>
                  );
                })}
              </ul>
            </section>
          )}
        </>
      )}
    </QueryStatus>
  );
}
