import { useState, type FormEvent } from 'react';
import { documentOrdinal } from '../../format.js';
import { requestGraphQL, toRequestError, type ManifestIssue } from '../../api/client.js';
import type { DashboardWhatIfQuery } from '../../gql/graphql.js';
import { DataTable } from '../../components/DataTable.js';
import { SnapshotFrame } from '../../components/SnapshotFrame.js';
import { DiffResult } from './DiffResult.js';
import { WHAT_IF_QUERY } from './queries.js';

type Outcome =
  | { status: 'idle' }
  | { status: 'running' }
  | { status: 'done'; data: DashboardWhatIfQuery['whatIf'] }
  | { status: 'refused'; message: string; issues: readonly ManifestIssue[] };

/**
 * `/snapshots/:id/what-if`: paste or upload proposed manifests; each object replaces the snapshot's object of the
 * same kind/namespace/name or is added, and the diff is computed in memory (nothing is stored). The proposed YAML
 * is the one piece of state not in the URL (it can be large).
 */
export function WhatIfPage({ id }: { id: string }) {
  return (
    <SnapshotFrame id={id} view="whatIf" title="What-if">
      {() => <WhatIfView id={id} />}
    </SnapshotFrame>
  );
}

function WhatIfView({ id }: { id: string }) {
  const [manifests, setManifests] = useState('');
  const [outcome, setOutcome] = useState<Outcome>({ status: 'idle' });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setOutcome({ status: 'running' });
    try {
      const data = await requestGraphQL(WHAT_IF_QUERY, { id, manifests, first: 100 });
      setOutcome({ status: 'done', data: data.whatIf });
    } catch (cause) {
      const error = toRequestError(cause);
      setOutcome({ status: 'refused', message: error.message, issues: error.issues });
    }
  };
  return (
    <>
      <form className="card" onSubmit={submit} aria-label="Proposed change">
        <h2>Proposed manifests</h2>
        <p className="muted">Each object replaces the snapshot’s object of the same kind, namespace and name, or is added. Nothing is stored.</p>
        <div className="field">
          <label htmlFor="what-if-yaml">YAML or JSON</label>
          <textarea id="what-if-yaml" value={manifests} onChange={(event) => setManifests(event.target.value)} spellCheck={false} placeholder="apiVersion: networking.k8s.io/v1&#10;kind: NetworkPolicy&#10;…" />
        </div>
        <div className="field" style={{ marginTop: '0.5rem' }}>
          <label htmlFor="what-if-file">Or load a file</label>
          <input
            id="what-if-file"
            type="file"
            accept=".yaml,.yml,.json"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void file.text().then(setManifests);
            }}
            style={{ width: 'auto' }}
          />
        </div>
        <p className="form-actions">
          <button type="submit" className="primary" disabled={outcome.status === 'running' || manifests.trim() === ''}>
            {outcome.status === 'running' ? 'Computing…' : 'Show what would change'}
          </button>
        </p>
      </form>
      {outcome.status === 'refused' && (
        <section role="alert" className="card status-error">
          <h2>Refused: {outcome.message}</h2>
          <DataTable
            caption="Problems in the proposed manifests"
            columns={[
              { header: 'Line', numeric: true, cell: (issue: ManifestIssue) => issue.line ?? '' },
              { header: 'Document', cell: (issue: ManifestIssue) => (issue.document == null ? '' : documentOrdinal(issue.document)) },
              { header: 'Path', rowHeader: true, cell: (issue: ManifestIssue) => <code>{issue.path || '(document)'}</code> },
              { header: 'Problem', cell: (issue: ManifestIssue) => `${issue.message} (${issue.code})` },
            ]}
            rows={outcome.issues}
            rowKey={(issue) => `${issue.document}/${issue.path}/${issue.code}/${issue.message}`}
            empty="No located issues."
          />
        </section>
      )}
      {outcome.status === 'done' && <DiffResult diff={outcome.data} newSnapshot={undefined} oldSnapshot={id} />}
    </>
  );
}
