import { useEffect, useMemo } from 'react';
import type { DashboardPolicyPageQuery } from '../../gql/graphql.js';
import { useQuery } from '../../api/useQuery.js';
import { DataTable } from '../../components/DataTable.js';
import { LabelList } from '../../components/LabelList.js';
import { QueryStatus } from '../../components/QueryStatus.js';
import { SnapshotFrame } from '../../components/SnapshotFrame.js';
import { useSearch } from '../../router/history.js';
import { Link } from '../../router/Link.js';
import { paths, queryParam } from '../../routes.js';
import { highlightLine, ruleSpans, type RuleSpan } from './policy-yaml.js';
import { POLICY_PAGE_QUERY } from './queries.js';
import { RuleConnections } from './RuleConnections.js';

/** `/snapshots/:id/policies/:namespace/:name?rule=spec.ingress[0]`: a policy's YAML, its rules and what it selects. */
export function PolicyPage({ id, namespace, name }: { id: string; namespace: string; name: string }) {
  return (
    <SnapshotFrame
      id={id}
      view={undefined}
      title={`Policy ${namespace}/${name}`}
      trail={[{ to: paths.snapshot(id, { namespace }), label: namespace }]}
    >
      {() => <PolicyView id={id} namespace={namespace} name={name} />}
    </SnapshotFrame>
  );
}

function PolicyView({ id, namespace, name }: { id: string; namespace: string; name: string }) {
  const state = useQuery(POLICY_PAGE_QUERY, { id, namespace, search: `${namespace}/${name}` });
  const rule = queryParam(useSearch(), 'rule');
  return (
    <QueryStatus state={state} loadingLabel="Loading the policy…">
      {(data) => <PolicyDetails id={id} namespace={namespace} name={name} rule={rule} data={data} />}
    </QueryStatus>
  );
}

export function PolicyDetails({
  id,
  namespace,
  name,
  rule,
  data,
}: {
  id: string;
  namespace: string;
  name: string;
  rule: string;
  data: DashboardPolicyPageQuery;
}) {
  const policy = data.snapshot?.policies.edges.map((edge) => edge.node).find((p) => p.namespace === namespace && p.name === name);
  const spans = useMemo(() => (policy?.manifest ? ruleSpans(policy.manifest) : []), [policy?.manifest]);
  if (!policy) {
    return (
      <div role="alert" className="status status-error">
        <p>
          This snapshot has no policy <code>{namespace}/{name}</code>.
        </p>
      </div>
    );
  }
  const workloads = policy.workloads?.edges.map((edge) => edge.node) ?? [];
  const active = spans.find((span) => span.path === rule);
  return (
    <>
      <section aria-labelledby="policy-summary" className="card">
        <h2 id="policy-summary">Summary</h2>
        <dl className="facts">
          <div>
            <dt>Kind</dt>
            <dd>
              {policy.kind} <span className="muted-inline">{policy.apiVersion}</span>
            </dd>
          </div>
          <div>
            <dt>Policy types</dt>
            <dd>{policy.policyTypes.join(', ')}</dd>
          </div>
          <div>
            <dt>Labels</dt>
            <dd>
              <LabelList labels={policy.labels} />
            </dd>
          </div>
        </dl>
      </section>
      <div className="two-col">
        <section aria-labelledby="policy-rules" className="card">
          <h2 id="policy-rules">Rules</h2>
          {spans.length === 0 ? (
            <p className="empty">No rules: it denies every connection in its policy types for the pods it selects.</p>
          ) : (
            <DataTable
              caption={`Rules of ${namespace}/${name}`}
              columns={[
                {
                  header: 'Rule',
                  rowHeader: true,
                  cell: (span: RuleSpan) => (
                    <Link
                      to={paths.policy(id, { namespace, name }, { rule: span.path })}
                      aria-current={span.path === rule ? 'true' : undefined}
                    >
                      <code>{span.path}</code>
                    </Link>
                  ),
                },
                { header: 'Allows', cell: (span: RuleSpan) => span.summary },
              ]}
              rows={spans}
              rowKey={(span) => span.path}
              empty="No rules."
            />
          )}
        </section>
        <section aria-labelledby="policy-workloads" className="card">
          <h2 id="policy-workloads">Selected workloads</h2>
          <DataTable
            caption={`Workloads ${namespace}/${name} selects`}
            columns={[
              {
                header: 'Workload',
                rowHeader: true,
                cell: (w: (typeof workloads)[number]) => <Link to={paths.workload(id, w)}>{w.namespace}/{w.name}</Link>,
              },
              { header: 'Kind', cell: (w: (typeof workloads)[number]) => w.kind },
              { header: 'Pods', numeric: true, cell: (w: (typeof workloads)[number]) => w.pods },
            ]}
            rows={workloads}
            rowKey={(w) => `${w.namespace}/${w.kind}/${w.name}`}
            empty="It selects no pod of this snapshot."
          />
        </section>
      </div>
      {policy.analysed && <RuleConnections id={id} namespace={namespace} name={name} spans={spans} rule={rule} />}
      <section aria-labelledby="policy-yaml" className="card">
        <h2 id="policy-yaml">YAML</h2>
        {active && (
          <p className="muted">
            Highlighted: <code>{active.path}</code>, lines {active.firstLine}–{active.lastLine}.
          </p>
        )}
        {policy.manifest ? <YamlView text={policy.manifest} spans={spans} active={active} id={id} namespace={namespace} name={name} /> : <p className="empty">Not analysed, no YAML.</p>}
      </section>
    </>
  );
}

function YamlView({
  text,
  spans,
  active,
  id,
  namespace,
  name,
}: {
  text: string;
  spans: readonly RuleSpan[];
  active: RuleSpan | undefined;
  id: string;
  namespace: string;
  name: string;
}) {
  useEffect(() => {
    if (active) document.getElementById(`yaml-line-${active.firstLine}`)?.scrollIntoView?.({ block: 'center' });
  }, [active]);
  const startOf = new Map(spans.map((span) => [span.firstLine, span]));
  const lines = text.replace(/\n$/, '').split('\n');
  return (
    <pre className="yaml" aria-label="Policy YAML">
      {lines.map((line, index) => {
        const number = index + 1;
        const inActive = active !== undefined && number >= active.firstLine && number <= active.lastLine;
        const ruleStart = startOf.get(number);
        return (
          <span key={number} id={`yaml-line-${number}`} className="yaml-line" data-active={inActive ? 'true' : undefined}>
            <span className="yaml-lineno" aria-hidden="true">
              {number}
            </span>
            {highlightLine(line).map((token, i) =>
              token.kind === 'key' && ruleStart && i === 1 ? (
                <Link key={i} to={paths.policy(id, { namespace, name }, { rule: ruleStart.path })} className="yaml-key" title={ruleStart.path}>
                  {token.text}
                </Link>
              ) : (
                <span key={i} className={token.kind === 'plain' ? undefined : `yaml-${token.kind === 'key' ? 'key' : token.kind === 'number' ? 'num' : 'str'}`}>
                  {token.text}
                </span>
              ),
            )}
          </span>
        );
      })}
    </pre>
  );
}
