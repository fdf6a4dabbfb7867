import { useState } from 'react';
import type { DiffPairPartsFragment, ObjectChangePartsFragment } from '../../gql/graphql.js';
import { DataTable } from '../../components/DataTable.js';
import { plural } from '../../format.js';
import { Link } from '../../router/Link.js';
import { paths } from '../../routes.js';
import { PeerName } from '../connectivity/ConnectivityRows.js';
import { workloadGraph } from '../map/graph.js';
import { ServiceMapCanvas } from '../map/ServiceMapCanvas.js';
import { changeText, pairsAsMapRows, parseCause } from './diff-view.js';

export interface DiffData {
  counts: { added: number; removed: number; changed: number; workloadsAdded: number; workloadsRemoved: number };
  changes: readonly ObjectChangePartsFragment[];
  uncheckedChanges: readonly string[];
  pairs: { totalCount: number; edges: readonly { node: DiffPairPartsFragment }[] };
}

const TYPE_CLASS = { ADDED: 'diff-added', REMOVED: 'diff-removed', CHANGED: 'diff-changed' } as const;
const TYPE_WORD = { ADDED: '+ added', REMOVED: '− removed', CHANGED: '± changed' } as const;

const objectName = (c: ObjectChangePartsFragment) => `${c.object.kind} ${c.object.namespace ? `${c.object.namespace}/` : ''}${c.object.name}`;

/**
 * A connectivity diff: counts, the changed pairs (coloured, each with the policy edit that caused it and a link to
 * that rule), the object changes, and the same changes on a service map. `policySnapshot` is where a cause's policy
 * can be opened (the new side, or the base of a what-if).
 */
export function DiffResult({ diff, newSnapshot, oldSnapshot }: { diff: DiffData; newSnapshot: string | undefined; oldSnapshot: string }) {
  const pairs = diff.pairs.edges.map((edge) => edge.node);
  const [showMap, setShowMap] = useState(true);
  const graph = workloadGraph(pairsAsMapRows(pairs));
  const removedIds = new Set(diff.changes.filter((c) => c.change === 'REMOVED').map((c) => c.id));

  const CauseList = ({ causes }: { causes: readonly { change: string; summary: string }[] }) => (
    <ul className="plain-list">
      {causes.map((cause) => {
        const ref = parseCause(cause.change);
        const objectId = cause.change.split('#')[0] ?? '';
        const snapshot = removedIds.has(objectId) ? oldSnapshot : (newSnapshot ?? oldSnapshot);
        const link =
          // Every policy kind has a page (NetworkPolicy, AdminNetworkPolicy, GlobalNetworkPolicy, CiliumNetworkPolicy, …).
          ref && ref.kind.endsWith('Policy') ? (
            <Link to={paths.policy(snapshot, { namespace: ref.namespace || null, kind: ref.kind, name: ref.name }, { rule: ref.rule })}>
              {ref.namespace ? `${ref.namespace}/` : ''}
              {ref.name}
              {ref.path ? <code> {ref.path}</code> : null}
            </Link>
          ) : (
            <code>{cause.change}</code>
          );
        return (
          <li key={cause.change}>
            {link}: {ref ? changeText(cause.summary, `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`, ref.path) : cause.summary}
          </li>
        );
      })}
    </ul>
  );

  return (
    <>
      <section aria-labelledby="diff-counts" className="card">
        <h2 id="diff-counts">Summary</h2>
        <div className="diff-counts" role="list">
          <span role="listitem" className="diff-added">
            {plural(diff.counts.added, 'added connection')}
          </span>
          <span role="listitem" className="diff-removed">
            {plural(diff.counts.removed, 'removed connection')}
          </span>
          <span role="listitem" className="diff-changed">
            {plural(diff.counts.changed, 'changed connection')}
          </span>
          <span role="listitem">
            {plural(diff.counts.workloadsAdded, 'workload')} added, {diff.counts.workloadsRemoved} removed
          </span>
        </div>
        {diff.uncheckedChanges.length > 0 && <p className="muted">{plural(diff.uncheckedChanges.length, 'change')} not tried as causes (too many to re-analyse).</p>}
      </section>

      <section aria-labelledby="diff-pairs" className="card">
        <h2 id="diff-pairs">Changed connections</h2>
        {diff.pairs.totalCount > pairs.length && <p className="muted">Showing {pairs.length} of {diff.pairs.totalCount}.</p>}
        <DataTable
          caption="Connections that differ, with their causes"
          columns={[
            { header: 'Change', cell: (pair: DiffPairPartsFragment) => <span className={TYPE_CLASS[pair.type]}>{TYPE_WORD[pair.type]}</span> },
            { header: 'From', rowHeader: true, cell: (pair: DiffPairPartsFragment) => <PeerName peer={pair.from} /> },
            { header: 'To', cell: (pair: DiffPairPartsFragment) => <PeerName peer={pair.to} /> },
            { header: 'Before', cell: (pair: DiffPairPartsFragment) => pair.oldText },
            { header: 'After', cell: (pair: DiffPairPartsFragment) => pair.newText },
            {
              header: 'Cause',
              cell: (pair: DiffPairPartsFragment) =>
                pair.causes.length > 0 ? (
                  <CauseList causes={pair.causes} />
                ) : pair.jointCauses.length > 0 ? (
                  <>
                    <span className="muted-inline">together:</span> <CauseList causes={pair.jointCauses} />
                  </>
                ) : (
                  (pair.workloadsDiffInfo ?? <span className="muted-inline">no single change</span>)
                ),
            },
          ]}
          rows={pairs}
          rowKey={(pair) => `${JSON.stringify(pair.from)}>${JSON.stringify(pair.to)}`}
          empty="No connection differs."
        />
      </section>

      <section aria-labelledby="diff-map" className="card">
        <h2 id="diff-map">On the service map</h2>
        <p className="muted">
          Edges of the changed connections: <span className="diff-added">green added</span>, <span className="diff-removed">red dashed removed</span>,{' '}
          <span className="diff-changed">amber changed</span>.{' '}
          <button type="button" onClick={() => setShowMap(!showMap)} aria-expanded={showMap}>
            {showMap ? 'Hide map' : 'Show map'}
          </button>
        </p>
        {showMap && pairs.length > 0 && <ServiceMapCanvas graph={graph} focus={undefined} onSelect={() => undefined} label={`Diff map: ${graph.edges.length} changed edges`} />}
      </section>

      <section aria-labelledby="diff-objects" className="card">
        <h2 id="diff-objects">Object changes</h2>
        <DataTable
          caption="Objects added, removed or modified"
          columns={[
            { header: 'Change', cell: (c: ObjectChangePartsFragment) => <span className={TYPE_CLASS[c.change === 'MODIFIED' ? 'CHANGED' : c.change]}>{c.change.toLowerCase()}</span> },
            { header: 'Object', rowHeader: true, cell: (c: ObjectChangePartsFragment) => objectName(c) },
            {
              header: 'What changed',
              cell: (c: ObjectChangePartsFragment) =>
                c.fields.length === 0 ? (
                  c.summary
                ) : (
                  <ul className="plain-list">
                    {c.fields.map((field) => (
                      <li key={field.id}>
                        <code>{field.path}</code>: {changeText(field.summary, objectName(c), field.path)}
                      </li>
                    ))}
                  </ul>
                ),
            },
          ]}
          rows={diff.changes}
          rowKey={(c) => c.id}
          empty="No analysis-relevant object changed."
        />
      </section>
    </>
  );
}
