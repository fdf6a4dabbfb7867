import { useId, useState, type DragEvent, type FormEvent } from 'react';
import { requestGraphQL, toRequestError, type ManifestIssue } from '../../api/client.js';
import type { DashboardIngestMutation } from '../../gql/graphql.js';
import { Breadcrumb } from '../../components/Breadcrumb.js';
import { DataTable } from '../../components/DataTable.js';
import { PageHeading } from '../../components/PageHeading.js';
import { documentOrdinal, plural } from '../../format.js';
import { useSearch } from '../../router/history.js';
import { Link } from '../../router/Link.js';
import { paths, queryParam } from '../../routes.js';
import { bundleFiles, type ManifestFile } from './bundle.js';
import { INGEST_MUTATION } from './queries.js';

const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

type Outcome =
  | { status: 'idle' }
  | { status: 'uploading' }
  | { status: 'stored'; result: DashboardIngestMutation['ingestSnapshot'] }
  | { status: 'refused'; message: string; code: string; issues: LocatedIssue[] };

export interface LocatedIssue extends ManifestIssue {
  fileName: string;
}

/** `/upload?cluster=name`: manifests or a `kubectl get -o json` dump into a cluster; located errors inline. */
export function UploadPage() {
  const initialCluster = queryParam(useSearch(), 'cluster');
  const [cluster, setCluster] = useState(initialCluster);
  const [files, setFiles] = useState<ManifestFile[]>([]);
  const [over, setOver] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>({ status: 'idle' });
  const inputId = useId();

  const addFiles = async (list: FileList | null) => {
    if (!list) return;
    const read = await Promise.all([...list].map(async (file) => ({ name: file.name, text: await file.text() })));
    setFiles((previous) => [...previous, ...read].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
    setOutcome({ status: 'idle' });
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    void addFiles(event.dataTransfer.files);
  };
  const clusterValid = CLUSTER_NAME.test(cluster);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!clusterValid || files.length === 0) return;
    setOutcome({ status: 'uploading' });
    const bundle = bundleFiles(files);
    try {
      const data = await requestGraphQL(INGEST_MUTATION, { cluster, manifests: bundle.manifests, format: bundle.format }, { mutation: true });
      setOutcome({ status: 'stored', result: data.ingestSnapshot });
    } catch (cause) {
      const error = toRequestError(cause);
      const issues = error.issues.map((issue) => {
        const where = issue.document == null ? undefined : bundle.locate(issue.document, issue.line ?? undefined);
        return { ...issue, fileName: where?.file ?? issue.file ?? files[0]?.name ?? '', document: where?.document ?? issue.document, line: where?.line ?? issue.line };
      });
      setOutcome({ status: 'refused', message: error.message, code: error.code, issues });
    }
  };

  return (
    <>
      <Breadcrumb trail={[{ to: paths.clusters(), label: 'Inventory' }, { label: 'Upload' }]} />
      <PageHeading>Upload a snapshot</PageHeading>
      <p className="lede">
        Kubernetes manifests (YAML, multi-document or a <code>List</code>) or a <code>kubectl get -o json</code> dump become a new,
        immutable snapshot of the cluster. Files with errors are refused whole: nothing is stored.
      </p>
      <form className="card" onSubmit={submit} aria-label="Upload manifests">
        <div className="field" style={{ maxWidth: '24rem' }}>
          <label htmlFor={`${inputId}-cluster`}>Cluster</label>
          <input
            id={`${inputId}-cluster`}
            value={cluster}
            onChange={(event) => setCluster(event.target.value.trim())}
            placeholder="e.g. prod-eu-1"
            aria-describedby={`${inputId}-cluster-hint`}
            aria-invalid={cluster !== '' && !clusterValid}
          />
          <span id={`${inputId}-cluster-hint`} className="hint">
            Lowercase letters, digits and dashes (a DNS label); a new name creates the cluster.
          </span>
        </div>
        <div
          className="dropzone"
          data-over={over}
          onDragOver={(event) => {
            event.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={onDrop}
          style={{ marginTop: '1rem' }}
        >
          <p>Drop manifest files here, or</p>
          <label htmlFor={`${inputId}-files`} className="visually-hidden">
            Manifest files
          </label>
          <input
            id={`${inputId}-files`}
            type="file"
            multiple
            accept=".yaml,.yml,.json,application/json,application/yaml,text/yaml"
            onChange={(event) => void addFiles(event.target.files)}
            style={{ width: 'auto' }}
          />
        </div>
        {files.length > 0 && (
          <div style={{ marginTop: '1rem' }}>
            <p>
              <strong>{plural(files.length, 'file')}</strong> to upload:{' '}
              {files.map((file) => (
                <code key={file.name}>{file.name} </code>
              ))}
              <button type="button" onClick={() => setFiles([])}>
                Clear
              </button>
            </p>
          </div>
        )}
        <p className="form-actions">
          <button type="submit" className="primary" disabled={!clusterValid || files.length === 0 || outcome.status === 'uploading'}>
            {outcome.status === 'uploading' ? 'Uploading…' : 'Upload snapshot'}
          </button>
        </p>
      </form>
      <UploadOutcome outcome={outcome} />
    </>
  );
}

function UploadOutcome({ outcome }: { outcome: Outcome }) {
  if (outcome.status === 'idle' || outcome.status === 'uploading') return null;
  if (outcome.status === 'refused') {
    return (
      <section role="alert" aria-labelledby="upload-refused" className="card status-error">
        <h2 id="upload-refused">Upload refused: nothing was stored</h2>
        <p>
          {outcome.message} <span className="muted-inline">({outcome.code})</span>
        </p>
        {outcome.issues.length > 0 && (
          <DataTable
            caption="Problems in the uploaded manifests"
            className="issues"
            columns={[
              { header: 'File', rowHeader: true, cell: (issue: LocatedIssue) => <code>{issue.fileName}</code> },
              { header: 'Line', numeric: true, cell: (issue: LocatedIssue) => issue.line ?? '' },
              { header: 'Document', cell: (issue: LocatedIssue) => (issue.document == null ? '' : documentOrdinal(issue.document)) },
              { header: 'Path', cell: (issue: LocatedIssue) => <code>{issue.path || '(document)'}</code> },
              { header: 'Problem', cell: (issue: LocatedIssue) => `${issue.message} (${issue.code})` },
            ]}
            rows={outcome.issues}
            rowKey={(issue) => `${issue.fileName}/${issue.document}/${issue.path}/${issue.code}/${issue.message}`}
            empty="No located issues."
          />
        )}
      </section>
    );
  }
  const { snapshot, deduplicated, warnings } = outcome.result;
  return (
    <section role="status" aria-labelledby="upload-stored" className="card verdict verdict-allowed">
      <h2 id="upload-stored">Stored</h2>
      <p>
        <Link to={paths.snapshot(snapshot.id)}>Snapshot of {snapshot.cluster.name}</Link>: {plural(snapshot.counts.namespaces, 'namespace')},{' '}
        {plural(snapshot.counts.workloads, 'workload')}, {plural(snapshot.counts.policies, 'policy', 'policies')}.
        {deduplicated && ' The same content was uploaded before (stored once).'}
      </p>
      <p>
        <Link to={paths.map(snapshot.id)}>Service map</Link> · <Link to={paths.cluster(snapshot.cluster.name)}>All snapshots of {snapshot.cluster.name}</Link>
      </p>
      {warnings.length > 0 && (
        <ul>
          {warnings.map((w, i) => (
            <li key={i}>
              {w.message} <code>{w.path}</code> ({documentOrdinal(w.document)})
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
