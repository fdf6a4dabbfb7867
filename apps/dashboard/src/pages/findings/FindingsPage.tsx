import { useState } from 'react';
import type { DashboardLintQuery } from '../../gql/graphql.js';
import { useQuery } from '../../api/useQuery.js';
import { DownloadLink } from '../../components/DownloadLink.js';
import { QueryStatus } from '../../components/QueryStatus.js';
import { SnapshotFrame, type SnapshotHeader } from '../../components/SnapshotFrame.js';
import { plural } from '../../format.js';
import { navigate, useSearch } from '../../router/history.js';
import { Link } from '../../router/Link.js';
import { paths, queryParam } from '../../routes.js';
import { snapshotFileName } from '../../download-names.js';
import { distinct, fieldPathOf, filterFindings, objectPath, SEVERITIES, type FindingFilter } from './findings-view.js';
import { LINT_QUERY } from './queries.js';

type Finding = DashboardLintQuery['lint']['findings'][number];

/** `/snapshots/:id/findings?severity=&rule=&namespace=`: the lint findings of a snapshot, filterable, with downloads. */
export function FindingsPage({ id }: { id: string }) {
  return (
    <SnapshotFrame id={id} view="findings" title="Findings">
      {(snapshot) => <FindingsView id={id} snapshot={snapshot} />}
    </SnapshotFrame>
  );
}

function FindingsView({ id, snapshot }: { id: string; snapshot: SnapshotHeader }) {
  const search = useSearch();
  const filter: FindingFilter = {
    severity: queryParam(search, 'severity'),
    rule: queryParam(search, 'rule'),
    namespace: queryParam(search, 'namespace'),
  };
  const state = useQuery(LINT_QUERY, { id });
  return (
    <QueryStatus state={state} loadingLabel="Linting the snapshot…" errorTitle="Could not lint the snapshot.">
      {({ lint }) => (
        <>
          <section aria-labelledby="findings-summary" className="card">
            <h2 id="findings-summary">Summary</h2>
            <p className="muted">
              Lint rules decided from what can actually reach what in this snapshot; each finding names the object, the field path and a fix.
            </p>
            <dl className="kpis">
              <Count label="Errors" value={lint.errors} severity="error" id={id} bad={lint.errors > 0} />
              <Count label="Warnings" value={lint.warnings} severity="warning" id={id} />
              <Count label="Info" value={lint.info} severity="info" id={id} />
            </dl>
            <Downloads id={id} snapshot={snapshot} />
          </section>
          <FindingFilters id={id} filter={filter} findings={lint.findings} />
          <FindingList key={search} id={id} findings={filterFindings(lint.findings, filter)} total={lint.findings.length} />
        </>
      )}
    </QueryStatus>
  );
}

function Count({ label, value, severity, id, bad = false }: { label: string; value: number; severity: string; id: string; bad?: boolean }) {
  return (
    <div className={bad ? 'kpi kpi-bad' : 'kpi'}>
      <dt>{label}</dt>
      <dd>{value > 0 ? <Link to={paths.findings(id, { severity })} aria-label={`${plural(value, label.toLowerCase().replace(/s$/, ''))}: show them`}>{value}</Link> : value}</dd>
    </div>
  );
}

const FORMATS: ReadonlyArray<[format: string, label: string]> = [
  ['sarif', 'SARIF 2.1.0'],
  ['json', 'JSON'],
  ['txt', 'Text'],
];

function Downloads({ id, snapshot }: { id: string; snapshot: SnapshotHeader }) {
  return (
    <p>
      Download every finding:{' '}
      {FORMATS.map(([format, label], i) => (
        <span key={format}>
          {i > 0 && ' · '}
          <DownloadLink href={`/api/v1/snapshots/${encodeURIComponent(id)}/lint?format=${format}`} fileName={snapshotFileName(snapshot.cluster.name, id, 'lint', format)}>
            {label}
          </DownloadLink>
        </span>
      ))}
    </p>
  );
}

/** Selects that change the URL at once (each filter is a link-able state). */
function FindingFilters({ id, filter, findings }: { id: string; filter: FindingFilter; findings: readonly Finding[] }) {
  const set = (key: keyof FindingFilter, value: string) => navigate(paths.findings(id, { ...filter, [key]: value }), { replace: true });
  const rules = distinct(findings, 'rule');
  const namespaces = distinct(findings, 'namespace');
  const any = filter.severity || filter.rule || filter.namespace;
  return (
    <form className="filter-form card" aria-label="Filter findings" onSubmit={(event) => event.preventDefault()}>
      <div className="field">
        <label htmlFor="findings-severity">Severity</label>
        <select id="findings-severity" value={filter.severity} onChange={(event) => set('severity', event.target.value)}>
          <option value="">Any severity</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-wide">
        <label htmlFor="findings-rule">Rule</label>
        <select id="findings-rule" value={filter.rule} onChange={(event) => set('rule', event.target.value)}>
          <option value="">Any rule</option>
          {withCurrent(rules, filter.rule).map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="findings-namespace">Namespace</label>
        <select id="findings-namespace" value={filter.namespace} onChange={(event) => set('namespace', event.target.value)}>
          <option value="">Any namespace</option>
          {withCurrent(namespaces, filter.namespace).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </div>
      {any && (
        <div className="field field-actions">
          <Link to={paths.findings(id)}>Clear filters</Link>
        </div>
      )}
    </form>
  );
}

// A value from a shared URL that no finding has still shows as selected (the list is then empty, and says so).
const withCurrent = (values: string[], current: string) => (current && !values.includes(current) ? [...values, current] : values);

/** Findings rendered at once (a 10,000-pod snapshot has thousands); "Show more" adds as many again. */
const PAGE = 200;

function FindingList({ id, findings, total }: { id: string; findings: readonly Finding[]; total: number }) {
  const [shown, setShown] = useState(PAGE);
  return (
    <section aria-labelledby="findings-list" className="card">
      <h2 id="findings-list">Findings</h2>
      <p className="muted" role="status">
        {findings.length === total ? plural(total, 'finding') : `${findings.length} of ${plural(total, 'finding')} match the filters.`}
      </p>
      {findings.length === 0 ? (
        <p className="empty">{total === 0 ? 'No findings: every lint rule passes on this snapshot.' : 'No finding matches these filters.'}</p>
      ) : (
        <ol className="findings plain-list">
          {findings.slice(0, shown).map((f, i) => {
            const to = objectPath(id, f);
            const object = `${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name}`;
            const fieldPath = fieldPathOf(f.path);
            return (
              <li key={`${f.rule}/${f.kind}/${f.namespace}/${f.name}/${f.path}/${i}`} className="finding" data-severity={f.severity}>
                <p className="finding-head">
                  <span className={`pill severity-${f.severity}`}>{f.severity}</span> <code>{f.rule}</code> · {to ? <Link to={to}>{object}</Link> : object}
                  {fieldPath && (
                    <>
                      {' '}
                      at <code>{fieldPath}</code>
                    </>
                  )}
                </p>
                <p className="finding-message">{f.message}</p>
                <details>
                  <summary>Why it matters, and the fix</summary>
                  <p>{f.explanation}</p>
                  <p>
                    <strong>Fix:</strong> {f.fix}
                  </p>
                </details>
              </li>
            );
          })}
        </ol>
      )}
      {findings.length > shown && (
        <p className="show-more">
          <button type="button" onClick={() => setShown(shown + PAGE)}>
            Show more findings ({findings.length - shown} not shown)
          </button>
        </p>
      )}
    </section>
  );
}
