import { useEffect, useMemo } from 'react';
import type { DashboardPolicyPageQuery } from '../../gql/graphql.js';
import { useQuery } from '../../api/useQuery.js';
import { DataTable } from '../../components/DataTable.js';
import { LabelList } from '../../components/LabelList.js';
import { QueryStatus } from '../../components/QueryStatus.js';
import { SnapshotFrame } from '../../components/SnapshotFrame.js';
import { useSearch } from '../../router/history.js';
import { Link } from '../../router/Link.js';
import { apiGroupOf, parseKindSegment, paths, queryParam, type PolicyLocation } from '../../routes.js';
import { highlightLine, ruleSpans, spansOfRules, type RuleSpan } from './policy-yaml.js';
import { POLICY_PAGE_QUERY } from './queries.js';
import { RuleConnections } from './RuleConnections.js';

type PolicyNode = NonNullable<DashboardPolicyPageQuery['snapshot']>['policies']['edges'][number]['node'];
type PolicyRule = NonNullable<PolicyNode['rules']>[number];

/**
 * A policy's page, for every kind the engine models: `/snapshots/:id/policies/:namespace/:name` (Kubernetes
 * NetworkPolicy), `/snapshots/:id/policies/:namespace/:kind/:name`, `/snapshots/:id/cluster-policies/:kind/:name`;
 * `?rule=spec.ingress[0]` highlights a rule. Its rules as the engine compiled them, its YAML, what it selects.
 */
export function PolicyPage({ id, namespace, kind, name }: { id: string; namespace: string | null; kind?: string; name: string }) {
  const kindName = kind ? parseKindSegment(kind).kind : 'NetworkPolicy';
  return (
    <SnapshotFrame
      id={id}
      view={undefined}
      title={`${kindName} ${namespace ? `${namespace}/` : ''}${name}`}
      trail={namespace ? [{ to: paths.snapshot(id, { namespace }), label: namespace }] : [{ to: paths.snapshot(id), label: 'cluster-wide' }]}
    >
      {() => <PolicyView id={id} namespace={namespace} kind={kind} name={name} />}
    </SnapshotFrame>
  );
}

function PolicyView({ id, namespace, kind, name }: { id: string; namespace: string | null; kind?: string; name: string }) {
  // Cluster-scoped policies are stored under the namespace '' (their search text is `/name`).
  const state = useQuery(POLICY_PAGE_QUERY, { id, namespace: namespace ?? '', search: `${namespace ?? ''}/${name}` });
  const rule = queryParam(useSearch(), 'rule');
  return (
    <QueryStatus state={state} loadingLabel="Loading the policy…">
      {(data) => <PolicyDetails id={id} namespace={namespace} kind={kind} name={name} rule={rule} data={data} />}
    </QueryStatus>
  );
}

const KUBERNETES_GROUP = 'networking.k8s.io';

/**
 * The policies of the search that this page names: same namespace, kind, name (and API group when the URL gives
 * one). Kubernetes' NetworkPolicy first: the NetworkPolicy URL names it, another dialect's NetworkPolicy of the same
 * name (Calico's) is the fallback a decision step without an API group links to.
 */
export function policiesNamed(data: DashboardPolicyPageQuery, namespace: string | null, kind: string | undefined, name: string): PolicyNode[] {
  const wanted = kind ? parseKindSegment(kind) : { kind: 'NetworkPolicy', group: null };
  const nodes = data.snapshot?.policies.edges.map((edge) => edge.node) ?? [];
  return nodes
    .filter((p) => (p.namespace ?? '') === (namespace ?? '') && p.name === name && p.kind === wanted.kind)
    .filter((p) => wanted.group === null || apiGroupOf(p.apiVersion) === wanted.group)
    .sort((a, b) => Number(apiGroupOf(b.apiVersion) === KUBERNETES_GROUP) - Number(apiGroupOf(a.apiVersion) === KUBERNETES_GROUP));
}

/** What a tier means for the decision, in the reader's words. */
function tierText(tier: string): string {
  switch (tier) {
    case 'admin':
      return 'admin tier: decides before NetworkPolicies';
    case 'namespaced':
      return 'namespaced tier: with NetworkPolicies';
    case 'baseline':
      return 'baseline tier: decides after NetworkPolicies';
    default:
      return `Calico tier ${tier}`;
  }
}

// A word and a symbol per action, never colour alone (the symbol is hidden from screen readers).
const ACTIONS: Record<string, { symbol: string; word: string }> = {
  allow: { symbol: '✓', word: 'Allow' },
  deny: { symbol: '✗', word: 'Deny' },
  pass: { symbol: '↓', word: 'Pass to the next tier' },
  log: { symbol: '•', word: 'Log (and go on)' },
};

/** How a dialect's rules combine, in one sentence. */
function rulesOrderText(dialect: string): string {
  if (dialect === 'networking-v1') return 'As the engine reads them. They add up: a connection any rule allows is allowed.';
  if (dialect === 'cilium') return 'As the engine reads them. Deny rules win over allow rules; allow rules add up.';
  return 'As the engine reads them, in written order: the first rule that matches a connection decides it.';
}

function ruleSummary(rule: PolicyRule): string {
  const peers = rule.peers === null ? 'every peer' : rule.peers.join('; ');
  return `${ACTIONS[rule.action]?.word ?? rule.action} · ${rule.direction === 'ingress' ? 'from' : 'to'} ${peers} · ${rule.ports}`;
}

export function PolicyDetails({
  id,
  namespace,
  kind,
  name,
  rule,
  data,
}: {
  id: string;
  namespace: string | null;
  kind?: string;
  name: string;
  rule: string;
  data: DashboardPolicyPageQuery;
}) {
  const [policy, ...sameName] = policiesNamed(data, namespace, kind, name);
  const rules = policy?.rules ?? null;
  const spans = useMemo(
    () =>
      policy?.manifest
        ? rules
          ? spansOfRules(policy.manifest, rules.map((r) => ({ path: r.path, direction: r.direction, summary: ruleSummary(r), action: r.action })))
          : ruleSpans(policy.manifest)
        : [],
    [policy?.manifest, rules],
  );
  const label = `${namespace ? `${namespace}/` : ''}${name}`;
  if (!policy) {
    return (
      <div role="alert" className="status status-error">
        <p>
          This snapshot has no {kind ? parseKindSegment(kind).kind : 'NetworkPolicy'} <code>{label}</code>.
        </p>
      </div>
    );
  }
  const location = { namespace, kind: policy.kind, apiVersion: policy.apiVersion, name };
  const workloads = policy.workloads?.edges.map((edge) => edge.node) ?? [];
  const active = spans.find((span) => span.path === rule);
  const kubernetesPolicy = policy.kind === 'NetworkPolicy' && apiGroupOf(policy.apiVersion) === KUBERNETES_GROUP;
  return (
    <>
      {sameName.length > 0 && (
        <p className="status" role="note">
          Also named <code>{label}</code> in this snapshot:{' '}
          {sameName.map((other) => (
            <Link key={other.apiVersion} to={paths.policy(id, { namespace, kind: other.kind, apiVersion: other.apiVersion, name })}>
              {other.kind} ({other.apiVersion})
            </Link>
          ))}
          .
        </p>
      )}
      <section aria-labelledby="policy-summary" className="card">
        <h2 id="policy-summary">Summary</h2>
        <dl className="facts">
          <div>
            <dt>Kind</dt>
            <dd>
              {policy.kind} <span className="muted-inline">{policy.apiVersion}</span>
            </dd>
          </div>
          {policy.tier !== null && (
            <div>
              <dt>Tier</dt>
              <dd>{tierText(policy.tier)}</dd>
            </div>
          )}
          {policy.priority !== null && (
            <div>
              <dt>Priority</dt>
              <dd>{policy.priority} (lower decides first)</dd>
            </div>
          )}
          {policy.dialect === 'calico' && policy.analysed && (
            <div>
              <dt>Order</dt>
              <dd>{policy.order !== null ? `${policy.order} (lower decides first)` : 'unset (after every ordered policy of its tier)'}</dd>
            </div>
          )}
          {policy.subject !== null && (
            <div>
              <dt>Applies to</dt>
              <dd>{policy.subject}</dd>
            </div>
          )}
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
        {policy.analysed && policy.tier === null && (
          <p className="muted">The cluster’s CNI profile does not enforce this kind: it is stored, and no verdict reads it.</p>
        )}
      </section>
      <section aria-labelledby="policy-rules" className="card">
        <h2 id="policy-rules">Rules</h2>
        {rules !== null && <p className="muted">{rulesOrderText(policy.dialect)}</p>}
        {spans.length === 0 ? (
          <p className="empty">
            {kubernetesPolicy ? 'No rules: it denies every connection in its policy types for the pods it selects.' : 'No rules in its policy types.'}
          </p>
        ) : rules !== null ? (
          <RulesTable id={id} location={location} rules={rules} rule={rule} />
        ) : (
          <DataTable
            caption={`Rules of ${label}`}
            columns={[
              { header: 'Rule', rowHeader: true, cell: (span: RuleSpan) => <RuleLink id={id} location={location} path={span.path} current={rule} /> },
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
          caption={`Workloads ${label} selects`}
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
      {policy.analysed && policy.tier !== null && (
        <RuleConnections id={id} location={location} ambiguous={sameName.length > 0} spans={spans} rule={rule} />
      )}
      <section aria-labelledby="policy-yaml" className="card">
        <h2 id="policy-yaml">YAML</h2>
        {active && active.firstLine > 0 && (
          <p className="muted">
            Highlighted: <code>{active.path}</code>, lines {active.firstLine}–{active.lastLine}.
          </p>
        )}
        {policy.manifest ? <YamlView text={policy.manifest} spans={spans} active={active} id={id} location={location} /> : <p className="empty">Not analysed, no YAML.</p>}
      </section>
    </>
  );
}

function RuleLink({ id, location, path, current, name }: { id: string; location: PolicyLocation; path: string; current: string; name?: string | null }) {
  return (
    <Link to={paths.policy(id, location, { rule: path })} aria-current={path === current ? 'true' : undefined}>
      <code>{path}</code>
      {name ? <span className="muted-inline"> {name}</span> : null}
    </Link>
  );
}

function RulesTable({ id, location, rules, rule }: { id: string; location: PolicyLocation; rules: readonly PolicyRule[]; rule: string }) {
  const withNotes = rules.some((r) => r.notes.length > 0);
  return (
    <DataTable
      caption={`Rules of ${location.namespace ? `${location.namespace}/` : ''}${location.name}`}
      columns={[
        { header: 'Rule', rowHeader: true, cell: (r: PolicyRule) => <RuleLink id={id} location={location} path={r.path} current={rule} name={r.name} /> },
        {
          header: 'Action',
          cell: (r: PolicyRule) => (
            <span className="step-action" data-action={r.action.toUpperCase()}>
              <span aria-hidden="true">{ACTIONS[r.action]?.symbol ?? ''} </span>
              {ACTIONS[r.action]?.word ?? r.action}
            </span>
          ),
        },
        {
          header: 'Peers',
          cell: (r: PolicyRule) =>
            r.peers === null ? (
              <span className="muted-inline">every peer (pods and IP addresses)</span>
            ) : (
              <ul className="plain-list">
                {r.peers.map((peer, i) => (
                  <li key={i}>
                    <span className="muted-inline">{r.direction === 'ingress' ? 'from' : 'to'}</span> {peer}
                  </li>
                ))}
              </ul>
            ),
        },
        { header: 'Ports', cell: (r: PolicyRule) => r.ports },
        ...(withNotes ? [{ header: 'Not decided here', cell: (r: PolicyRule) => r.notes.join('; ') || '—' }] : []),
      ]}
      rows={rules}
      rowKey={(r) => r.path}
      empty="No rules."
    />
  );
}

function YamlView({
  text,
  spans,
  active,
  id,
  location,
}: {
  text: string;
  spans: readonly RuleSpan[];
  active: RuleSpan | undefined;
  id: string;
  location: PolicyLocation;
}) {
  useEffect(() => {
    if (active && active.firstLine > 0) document.getElementById(`yaml-line-${active.firstLine}`)?.scrollIntoView?.({ block: 'center' });
  }, [active]);
  const startOf = new Map(spans.filter((span) => span.firstLine > 0).map((span) => [span.firstLine, span]));
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
                <Link key={i} to={paths.policy(id, location, { rule: ruleStart.path })} className="yaml-key" title={ruleStart.path}>
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
