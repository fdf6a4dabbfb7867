import { useState, type FormEvent } from 'react';
import { useClient } from 'urql';
import { requestGraphQL, toRequestError } from '../../api/client.js';
import { useQuery } from '../../api/useQuery.js';
import { Breadcrumb } from '../../components/Breadcrumb.js';
import { PageHeading } from '../../components/PageHeading.js';
import { QueryStatus } from '../../components/QueryStatus.js';
import type { DashboardComplianceQuery } from '../../gql/graphql.js';
import { formatTimestamp, plural } from '../../format.js';
import { navigate, useSearch } from '../../router/history.js';
import { Link } from '../../router/Link.js';
import { paths, queryParam } from '../../routes.js';
import { FRAMEWORKS, frameworkLabel, permissions, sortIssues, type IntentsIssue } from './compliance-view.js';
import { COMPLIANCE_PAGE_QUERY, GENERATE_REPORT_MUTATION, SAVE_INTENTS_MUTATION, SET_PROFILE_MUTATION } from './queries.js';
import { IntentsCheck } from './IntentsCheck.js';
import { ReportView } from './ReportView.js';

type PageData = DashboardComplianceQuery;
type Permissions = ReturnType<typeof permissions>;

/** `/clusters/:name/compliance?report=`: reports (generate, history, one report's controls), intents and profile. */
export function CompliancePage({ name }: { name: string }) {
  const report = queryParam(useSearch(), 'report');
  const state = useQuery(COMPLIANCE_PAGE_QUERY, { cluster: name });
  return (
    <>
      <Breadcrumb trail={[{ to: paths.clusters(), label: 'Inventory' }, { to: paths.cluster(name), label: name }, { label: 'Compliance' }]} />
      <PageHeading>Compliance of {name}</PageHeading>
      <p className="lede">
        Reports whose every finding is a connection the analysis computed, with the policy rules that allow it; signed when generated and
        never changed afterwards.
      </p>
      <QueryStatus
        state={state}
        loadingLabel="Loading the cluster's reports…"
        notFound={
          <p>
            There is no cluster named <code>{name}</code>.
          </p>
        }
      >
        {(data) => <ComplianceView name={name} data={data} report={report} />}
      </QueryStatus>
    </>
  );
}

function ComplianceView({ name, data, report }: { name: string; data: PageData; report: string }) {
  const allowed = permissions(data.viewer);
  if (!data.cluster) return null;
  return (
    <>
      {report ? (
        <ReportView id={report} cluster={name} canDownloadEvidence={allowed.report} />
      ) : (
        <Generate name={name} data={data} allowed={allowed} />
      )}
      <ReportHistory name={name} data={data} current={report} />
      <Intents name={name} data={data} allowed={allowed} />
      <Profile name={name} data={data} allowed={allowed} />
    </>
  );
}

function NotAllowed({ role, needs }: { role: string | null; needs: string }) {
  return (
    <p className="status" role="note">
      Your token’s role ({role ?? 'none'}) may not {needs}. Ask an admin for a token with that role.
    </p>
  );
}

function Generate({ name, data, allowed }: { name: string; data: PageData; allowed: Permissions }) {
  const client = useClient();
  const latest = data.cluster?.latestSnapshot;
  const [framework, setFramework] = useState(FRAMEWORKS[0][0]);
  const [intentsId, setIntentsId] = useState(data.cluster?.complianceProfile?.intentsId ?? '');
  const [state, setState] = useState<{ status: 'idle' | 'working' } | { status: 'failed'; message: string }>({ status: 'idle' });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!latest) return;
    setState({ status: 'working' });
    try {
      const result = await requestGraphQL(GENERATE_REPORT_MUTATION, { snapshotId: latest.id, framework, intentsId: intentsId || null }, { client, mutation: true });
      navigate(paths.compliance(name, { report: result.generateReport.id }));
    } catch (error) {
      setState({ status: 'failed', message: toRequestError(error).message });
    }
  };
  return (
    <section aria-labelledby="generate" className="card">
      <h2 id="generate">Generate a report</h2>
      {!latest ? (
        <p className="empty">
          No snapshot yet: <Link to={paths.upload({ cluster: name })}>upload one</Link> to report on.
        </p>
      ) : !allowed.report ? (
        <NotAllowed role={data.viewer.role} needs="generate reports (auditor or admin)" />
      ) : (
        <form className="filter-form" onSubmit={(event) => void submit(event)} aria-label="Generate a report">
          <div className="field field-wide">
            <label htmlFor="report-framework">Framework</label>
            <select id="report-framework" value={framework} onChange={(event) => setFramework(event.target.value)}>
              {FRAMEWORKS.map(([id, label]) => (
                <option key={id} value={id}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div className="field field-wide">
            <label htmlFor="report-intents">Segmentation intents</label>
            <select id="report-intents" value={intentsId} onChange={(event) => setIntentsId(event.target.value)}>
              <option value="">None; CDE: namespaces labelled pci=cde (default convention)</option>
              {data.intentsVersions.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name} v{v.version}
                </option>
              ))}
            </select>
          </div>
          <div className="field field-actions">
            <button type="submit" className="primary" disabled={state.status === 'working'}>
              {state.status === 'working' ? 'Generating…' : 'Generate report'}
            </button>
          </div>
          <p className="muted" style={{ flexBasis: '100%', margin: 0 }}>
            On the latest snapshot, captured {formatTimestamp(latest.capturedAt)}.
          </p>
          {state.status === 'failed' && (
            <p role="alert" className="error">
              Could not generate the report: {state.message}
            </p>
          )}
        </form>
      )}
    </section>
  );
}

function ReportHistory({ name, data, current }: { name: string; data: PageData; current: string }) {
  const reports = data.reports.edges.map((edge) => edge.node);
  return (
    <section aria-labelledby="report-history" className="card">
      <h2 id="report-history">Reports</h2>
      {current && (
        <p>
          <Link to={paths.compliance(name)}>Generate another report</Link>
        </p>
      )}
      {reports.length === 0 ? (
        <p className="empty">No reports yet.</p>
      ) : (
        <>
          <p className="muted">{reports.length === data.reports.totalCount ? plural(reports.length, 'report') : `The newest ${reports.length} of ${data.reports.totalCount} reports.`}</p>
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">Reports of {name}, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Generated</th>
                  <th scope="col">Framework</th>
                  <th scope="col">Verdict</th>
                  <th scope="col" className="num">Pass</th>
                  <th scope="col" className="num">Fail</th>
                  <th scope="col" className="num">Manual</th>
                  <th scope="col">Controls that flipped</th>
                </tr>
              </thead>
              <tbody>
                {reports.map((r) => (
                  <tr key={r.id} aria-current={r.id === current ? 'true' : undefined}>
                    <th scope="row">
                      <Link to={paths.compliance(name, { report: r.id })}>{formatTimestamp(r.generatedAt)}</Link>
                    </th>
                    <td>
                      {frameworkLabel(r.framework)} <span className="muted-inline">{r.frameworkVersion}</span>
                    </td>
                    <td>
                      <span className={`pill status-${r.summary.verdict}`}>{r.summary.verdict}</span>
                    </td>
                    <td className="num">{r.summary.pass}</td>
                    <td className="num">{r.summary.fail}</td>
                    <td className="num">{r.summary.manual}</td>
                    <td>{r.changes?.flipped.length ? r.changes.flipped.map((f) => `${f.control}: ${f.from} → ${f.to}`).join('; ') : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function Intents({ name, data, allowed }: { name: string; data: PageData; allowed: Permissions }) {
  const client = useClient();
  const latest = data.intentsVersions[0];
  const snapshot = data.cluster?.latestSnapshot;
  const [checking, setChecking] = useState(false);
  const [text, setText] = useState(latest?.content ?? '');
  const [outcome, setOutcome] = useState<
    { status: 'idle' | 'saving' } | { status: 'saved'; version: number } | { status: 'refused'; message: string; issues: IntentsIssue[] }
  >({ status: 'idle' });
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setOutcome({ status: 'saving' });
    try {
      const result = await requestGraphQL(SAVE_INTENTS_MUTATION, { cluster: name, content: text }, { client, mutation: true });
      setOutcome({ status: 'saved', version: result.saveIntents.version });
      // The version list (the report form's choices) refreshes from the API.
      await client.query(COMPLIANCE_PAGE_QUERY, { cluster: name }, { requestPolicy: 'network-only' }).toPromise();
    } catch (error) {
      const refused = toRequestError(error);
      setOutcome({ status: 'refused', message: refused.message, issues: sortIssues(refused.issues as readonly IntentsIssue[]) });
    }
  };
  return (
    <section aria-labelledby="intents" className="card">
      <h2 id="intents">Segmentation intents</h2>
      <p className="muted">
        Zones and the flows allowed between them (<code>kind: SegmentationIntents</code>); every allowed connection that crosses a zone
        boundary without a flow or a live exception is a violation.{' '}
        {latest ? `Latest: ${latest.name} version ${latest.version}, saved ${formatTimestamp(latest.createdAt)}.` : 'None saved yet.'}
      </p>
      {!allowed.admin && <NotAllowed role={data.viewer.role} needs="save intents (admin)" />}
      <form onSubmit={(event) => void save(event)} aria-label="Edit the segmentation intents">
        <label htmlFor="intents-yaml" className="visually-hidden">
          Intents YAML
        </label>
        <textarea
          id="intents-yaml"
          className="intents-editor"
          spellCheck={false}
          value={text}
          readOnly={!allowed.admin}
          placeholder={'apiVersion: netpol-atlas/v1\nkind: SegmentationIntents\nmetadata:\n  name: …\nzones: []\nallowedFlows: []'}
          aria-invalid={outcome.status === 'refused' ? 'true' : undefined}
          aria-describedby={outcome.status === 'refused' ? 'intents-issues' : undefined}
          onChange={(event) => setText(event.target.value)}
        />
        {allowed.admin && (
          <p className="form-actions">
            <button type="submit" className="primary" disabled={outcome.status === 'saving' || text.trim() === ''}>
              {outcome.status === 'saving' ? 'Saving…' : 'Save as a new version'}
            </button>
          </p>
        )}
      </form>
      {outcome.status === 'saved' && (
        <p role="status" className="status">
          Saved as version {outcome.version}.
        </p>
      )}
      {outcome.status === 'refused' && (
        <div role="alert" className="status status-error" id="intents-issues">
          <p>
            <strong>Not saved:</strong> {outcome.message}
          </p>
          {outcome.issues.length > 0 && (
            <ul>
              {outcome.issues.map((issue, i) => (
                <li key={i}>
                  {issue.line ? `line ${issue.line}` : 'document'}
                  {issue.path ? (
                    <>
                      , <code>{issue.path}</code>
                    </>
                  ) : null}
                  : {issue.message} {issue.code && <span className="muted-inline">({issue.code})</span>}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {latest && snapshot && (
        <>
          <p>
            <button type="button" onClick={() => setChecking(true)} disabled={checking}>
              Check the latest snapshot against version {latest.version}
            </button>
          </p>
          {checking && <IntentsCheck snapshotId={snapshot.id} intentsId={latest.id} />}
        </>
      )}
    </section>
  );
}

function Profile({ name, data, allowed }: { name: string; data: PageData; allowed: Permissions }) {
  const client = useClient();
  const profile = data.cluster?.complianceProfile;
  const [frameworks, setFrameworks] = useState<string[]>(profile?.frameworks ? [...profile.frameworks] : []);
  const [intentsId, setIntentsId] = useState(profile?.intentsId ?? '');
  const [outcome, setOutcome] = useState<{ status: 'idle' | 'saving' | 'saved' } | { status: 'failed'; message: string }>({ status: 'idle' });
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setOutcome({ status: 'saving' });
    try {
      await requestGraphQL(SET_PROFILE_MUTATION, { cluster: name, frameworks, intentsId: intentsId || null }, { client, mutation: true });
      setOutcome({ status: 'saved' });
    } catch (error) {
      setOutcome({ status: 'failed', message: toRequestError(error).message });
    }
  };
  const toggle = (id: string, on: boolean) => setFrameworks((current) => (on ? [...current, id].sort() : current.filter((f) => f !== id)));
  return (
    <section aria-labelledby="profile" className="card">
      <h2 id="profile">Compliance profile</h2>
      <p className="muted">
        Frameworks reported on automatically for every new snapshot of {name}.{' '}
        {profile
          ? `Current: ${profile.frameworks.map(frameworkLabel).join(', ') || 'none'} (set ${formatTimestamp(profile.createdAt)}).`
          : 'No profile set: reports are generated on request only.'}
      </p>
      {!allowed.admin ? (
        <NotAllowed role={data.viewer.role} needs="change the profile (admin)" />
      ) : (
        <form onSubmit={(event) => void save(event)} aria-label="Compliance profile">
          <fieldset className="peer-fieldset checkbox-list">
            <legend>Frameworks</legend>
            {FRAMEWORKS.map(([id, label]) => (
              <label key={id}>
                <input type="checkbox" checked={frameworks.includes(id)} onChange={(event) => toggle(id, event.target.checked)} /> {label}
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor="profile-intents">Intents</label>
            <select id="profile-intents" value={intentsId} onChange={(event) => setIntentsId(event.target.value)}>
              <option value="">None</option>
              {data.intentsVersions.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name} v{v.version}
                </option>
              ))}
            </select>
          </div>
          <p className="form-actions">
            <button type="submit" disabled={outcome.status === 'saving'}>
              {outcome.status === 'saving' ? 'Saving…' : 'Save profile'}
            </button>
          </p>
          {outcome.status === 'saved' && (
            <p role="status" className="status">
              Profile saved: the next snapshot of {name} gets {plural(frameworks.length, 'report')}.
            </p>
          )}
          {outcome.status === 'failed' && (
            <p role="alert" className="error">
              Could not save the profile: {outcome.message}
            </p>
          )}
        </form>
      )}
    </section>
  );
}

