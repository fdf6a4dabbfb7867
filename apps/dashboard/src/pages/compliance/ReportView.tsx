import { useQuery } from '../../api/useQuery.js';
import { DownloadLink } from '../../components/DownloadLink.js';
import { QueryStatus } from '../../components/QueryStatus.js';
import type { DashboardReportQuery } from '../../gql/graphql.js';
import { formatTimestamp, shortHash } from '../../format.js';
import { Link } from '../../router/Link.js';
import { paths } from '../../routes.js';
import { frameworkLabel } from './compliance-view.js';
import { reportFileName } from '../../download-names.js';
import { REPORT_QUERY } from './queries.js';
import { CniProfile, CniProfileNote } from '../../components/CniProfile.js';
import { objectPath } from '../findings/findings-view.js';
import { lintEvidence } from './evidence-view.js';

type Report = NonNullable<DashboardReportQuery['report']>;

const FORMATS: ReadonlyArray<[format: string, label: string]> = [
  ['json', 'JSON (signed canonical form)'],
  ['html', 'HTML'],
  ['md', 'Markdown'],
  ['csv', 'CSV (evidence rows)'],
  ['pdf', 'PDF'],
];

/** One stored report: verdict, downloads, what flipped since the previous one, each control with its evidence. */
export function ReportView({ id, cluster, canDownloadEvidence }: { id: string; cluster: string; canDownloadEvidence: boolean }) {
  const state = useQuery(REPORT_QUERY, { id });
  return (
    <QueryStatus
      state={state}
      loadingLabel="Loading the report…"
      notFound={
        <p>
          There is no report <code>{id}</code>. <Link to={paths.compliance(cluster)}>Back to the reports</Link>.
        </p>
      }
    >
      {({ report }) => (report ? <ReportDetails report={report} canDownloadEvidence={canDownloadEvidence} /> : null)}
    </QueryStatus>
  );
}

function ReportDetails({ report, canDownloadEvidence }: { report: Report; canDownloadEvidence: boolean }) {
  const { summary } = report;
  return (
    <>
      <section aria-labelledby="report-summary" className="card">
        <h2 id="report-summary">
          {frameworkLabel(report.framework)} report, {formatTimestamp(report.generatedAt)}
        </h2>
        <p className={`verdict verdict-${summary.verdict === 'pass' ? 'allowed' : 'denied'}`}>
          <span className={`pill status-${summary.verdict}`}>{summary.verdict}</span> {summary.pass} pass · {summary.fail} fail · {summary.manual} manual ·{' '}
          {summary.notApplicable} not applicable
        </p>
        <dl className="facts">
          <div>
            <dt>Snapshot</dt>
            <dd>
              <Link to={paths.snapshot(report.snapshotId)}>captured snapshot</Link> <code title={report.snapshotSha256}>{shortHash(report.snapshotSha256)}</code>
            </dd>
          </div>
          <div>
            <dt>Framework version</dt>
            <dd>{report.frameworkVersion}</dd>
          </div>
          <div>
            <dt>Intents</dt>
            <dd>{report.intentsVersion ? `version ${report.intentsVersion}` : 'none; CDE: namespaces labelled pci=cde (default convention; choose intents to change)'}</dd>
          </div>
          <div>
            <dt>Report SHA-256</dt>
            <dd>
              <code title={report.reportSha256}>{shortHash(report.reportSha256)}</code> <span className="muted-inline">engine {report.engineVersion}</span>{' '}
              <CniProfile profile={report.cniProfile} />
            </dd>
          </div>
        </dl>
        <CniProfileNote note={report.cniProfileNote} />
        <p>
          Download:{' '}
          {FORMATS.map(([format, label], i) => (
            <span key={format}>
              {i > 0 ? ' · ' : ''}
              <DownloadLink href={`/api/v1/reports/${encodeURIComponent(report.id)}?format=${format}`} fileName={reportFileName(report, 'report', format)}>
                {label}
              </DownloadLink>
            </span>
          ))}
        </p>
        {canDownloadEvidence ? (
          <p>
            <DownloadLink href={report.evidenceUrl} fileName={reportFileName(report, 'evidence', 'zip')}>
              Evidence pack (zip)
            </DownloadLink>
            <span className="muted-inline">
              {' '}
              — check it offline with <code>npx netpol verify evidence.zip --key signing-key.pem</code> (key at <code>/api/v1/signing-key</code>).
            </span>
          </p>
        ) : (
          <p className="status" role="note">
            The signed evidence pack needs the auditor or admin role.
          </p>
        )}
        {report.changes && report.changes.flipped.length > 0 && (
          <p>
            Since the{' '}
            {report.changes.previousReportId ? <Link to={paths.compliance(report.cluster, { report: report.changes.previousReportId })}>previous report</Link> : 'previous report'}:{' '}
            {report.changes.flipped.map((f) => `${f.control} ${f.from} → ${f.to}`).join('; ')}.
          </p>
        )}
      </section>
      <section aria-labelledby="report-controls" className="card">
        <h2 id="report-controls">Controls</h2>
        {report.controls.map((control) => (
          <Control key={control.id} control={control} snapshotId={report.snapshotId} />
        ))}
      </section>
    </>
  );
}

type EvidenceRow = Report['controls'][number]['evidence']['edges'][number]['node'];

/** A row's status; a lint finding's own severity (a warning is an `info` row: it does not fail the control). */
function RowStatus({ row }: { row: EvidenceRow }) {
  const lint = lintEvidence(row);
  if (!lint) return <span className={`pill status-${row.status}`}>{row.status}</span>;
  return (
    <span className={`pill severity-${lint.severity}`} title={lint.severity === 'error' ? 'a lint error: it fails the control' : 'a lint warning: reported, it does not fail the control'}>
      {lint.severity}
    </span>
  );
}

/** The subject; a lint finding's object linked to its page, its field, and its place in the snapshot in words. */
function RowSubject({ row, snapshotId }: { row: EvidenceRow; snapshotId: string }) {
  const lint = lintEvidence(row);
  if (!lint) return <>{row.subject}</>;
  const object = `${lint.kind} ${lint.namespace ? `${lint.namespace}/` : ''}${lint.name}`;
  const to = objectPath(snapshotId, { ...lint, path: lint.fieldPath });
  return (
    <>
      {to ? <Link to={to}>{object}</Link> : object}
      {lint.fieldPath && (
        <>
          {' '}
          <code>{lint.fieldPath}</code>
        </>
      )}
      {lint.objectNumber !== null && <span className="muted-inline"> · object {lint.objectNumber} of the snapshot</span>}
    </>
  );
}

function RowDetail({ row }: { row: EvidenceRow }) {
  const lint = lintEvidence(row);
  if (!lint) return <>{row.detail}</>;
  return (
    <>
      <code>{lint.rule}</code> {lint.text}
    </>
  );
}

function Control({ control, snapshotId }: { control: Report['controls'][number]; snapshotId: string }) {
  const rows = control.evidence.edges.map((edge) => edge.node);
  const headingId = `control-${control.id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  return (
    <section aria-labelledby={headingId} className="control">
      <h3 id={headingId}>
        <span className={`pill status-${control.status}`}>{control.status}</span> {control.reference} — {control.title}
      </h3>
      <p className="muted">{control.requirement}</p>
      <p>{control.summary}</p>
      {rows.length > 0 && (
        <details open={control.status === 'fail'}>
          <summary>
            Evidence: {control.evidence.totalCount} row{control.evidence.totalCount === 1 ? '' : 's'}
            {control.evidence.totalCount > rows.length ? ` (the first ${rows.length} here; every row is in the downloads)` : ''}
          </summary>
          <div className="table-scroll">
            <table className="compact">
              <caption className="visually-hidden">Evidence of {control.reference}</caption>
              <thead>
                <tr>
                  <th scope="col">Status</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Peer</th>
                  <th scope="col">Ports</th>
                  <th scope="col">Why (the rules behind it)</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row, i) => (
                  <tr key={i}>
                    <td>
                      <RowStatus row={row} />
                    </td>
                    <th scope="row">
                      <RowSubject row={row} snapshotId={snapshotId} />
                      {row.zones && <span className="muted-inline"> {row.zones}</span>}
                    </th>
                    <td>{row.peer ?? '—'}</td>
                    <td>{row.ports ?? '—'}</td>
                    <td>
                      <RowDetail row={row} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
      {control.exceptions.length > 0 && (
        <p className="muted">
          Exceptions applied:{' '}
          {control.exceptions.map((e) => `${e.path} (owner ${e.owner}, expires ${e.expires}, ${e.connections} connections)`).join('; ')}
        </p>
      )}
    </section>
  );
}
