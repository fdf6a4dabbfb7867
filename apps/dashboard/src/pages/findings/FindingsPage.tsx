import { useCallback } from 'react';
import type { DashboardLintQuery } from '../../gql/graphql.js';
import { requestGraphQL } from '../../api/client.js';
import { useLoadMore } from '../../api/useLoadMore.js';
import { useQuery } from '../../api/useQuery.js';
import { DownloadLink } from '../../components/DownloadLink.js';
import { QueryStatus } from '../../components/QueryStatus.js';
import { SnapshotFrame, type SnapshotHeader } from '../../components/SnapshotFrame.js';
import { plural } from '../../format.js';
import { navigate, useSearch } from '../../router/history.js';
import { Link } from '../../router/Link.js';
import { paths, queryParam } from '../../routes.js';
import { snapshotFileName } from '../../download-names.js';
import { fieldPathOf, objectPath, SEVERITIES, type FindingFilter } from './findings-view.js';
import { LINT_QUERY } from './queries.js';

type FindingsPage = DashboardLintQuery['lint']['findingsPage'];
type Finding = FindingsPage['edges'][number]['node'];

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
  // Filtered and paged by the server: a 50k-pod snapshot has ~17k findings, 80 MB of them.
  const variables = { id, first: PAGE, ...filterVariables(filter) };
  const state = useQuery(LINT_QUERY, variables);
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
          <FindingFilters id={id} filter={filter} rules={lint.rules} namespaces={lint.namespaces} />
          <FindingList key={search} id={id} variables={variables} firstPage={lint.findingsPage} total={lint.errors + lint.warnings + lint.info} />
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
function FindingFilters({ id, filter, rules, namespaces }: { id: string; filter: FindingFilter; rules: readonly string[]; namespaces: readonly string[] }) {
  const set = (key: keyof FindingFilter, value: string) => navigate(paths.findings(id, { ...filter, [key]: value }), { replace: true });
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
const withCurrent = (values: readonly string[], current: string) => (current && !values.includes(current) ? [...values, current] : values);

/** Findings per page (the API's most): "Show more" asks for the next. */
const PAGE = 100;

/** The filter as the query's variables ('' = any: not sent). */
const filterVariables = (filter: FindingFilter) => ({
  ...(filter.severity ? { severity: filter.severity } : {}),
  ...(filter.rule ? { rule: filter.rule } : {}),
  ...(filter.namespace ? { namespace: filter.namespace } : {}),
});

function FindingList({ id, variables, firstPage, total }: { id: string; variables: ReturnType<typeof filterVariables> & { id: string; first: number }; firstPage: FindingsPage; total: number }) {
  const fetchPage = useCallback(
    (after: string) => requestGraphQL(LINT_QUERY, { ...variables, after }).then((data) => data.lint.findingsPage),
    // The variables are fixed for this list (the page keys it by the URL).
    [variables.id, variables.severity, variables.rule, variables.namespace],
  );
  const pager = useLoadMore(firstPage, fetchPage);
  const findings: readonly Finding[] = pager.nodes;
  const matching = pager.totalCount;
  return (
    <section aria-labelledby="findings-list" className="card">
      <h2 id="findings-list">Findings</h2>
      <p className="muted" role="status">
        {matching === total ? plural(total, 'finding') : `${matching} of ${plural(total, 'finding')} match the filters.`}
      </p>
      {findings.length === 0 ? (
        <p className="empty">{total === 0 ? 'No findings: every lint rule passes on this snapshot.' : 'No finding matches these filters.'}</p>
      ) : (
        <ol className="findings plain-list">
          {findings.map((f, i) => {
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
      {pager.hasNextPage && (
        <p className="show-more">
          <button type="button" onClick={pager.loadMore} disabled={pager.loading}>
            {pager.loading ? 'Loading more findings…' : `Show more findings (${matching - findings.length} not shown)`}
          </button>
        </p>
      )}
      {pager.error && (
        <p role="alert" className="status status-error">
          Could not load more findings: {pager.error.message}
        </p>
      )}
    </section>
  );
}
