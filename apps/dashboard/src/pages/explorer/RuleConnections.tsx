// The connections each rule of a policy allows (Policy.ruleConnections): per rule path, which peers on which ports,
// and the ports the other side refuses (the rule allows them, but no connection exists).
import type { DashboardPolicyRuleConnectionsQuery } from '../../gql/graphql.js';
import { useQuery } from '../../api/useQuery.js';
import { QueryStatus } from '../../components/QueryStatus.js';
import { Link } from '../../router/Link.js';
import { paths, type PolicyLocation } from '../../routes.js';
import type { RuleSpan } from './policy-yaml.js';
import { POLICY_RULE_CONNECTIONS_QUERY } from './queries.js';

type RuleConnection = NonNullable<
  NonNullable<DashboardPolicyRuleConnectionsQuery['snapshot']>['policies']['edges'][number]['node']['ruleConnections']
>[number];

/** `production/frontend[Deployment]` → the workload it names; undefined for an IP range. */
export function parseWorkloadName(text: string): { namespace: string; name: string; kind: string } | undefined {
  const match = /^([^/[\]]+)\/([^/[\]]+)\[([A-Za-z]+)\]$/.exec(text);
  return match ? { namespace: match[1], name: match[2], kind: match[3] } : undefined;
}

export function RuleConnections({
  id,
  location,
  ambiguous,
  spans,
  rule,
}: {
  id: string;
  location: PolicyLocation;
  /** Another policy of this namespace has the same name: the API finds rule connections by namespace and name. */
  ambiguous: boolean;
  spans: readonly RuleSpan[];
  rule: string;
}) {
  const namespace = location.namespace ?? '';
  const name = location.name;
  const state = useQuery(POLICY_RULE_CONNECTIONS_QUERY, { id, namespace, search: `${namespace}/${name}` }, { pause: ambiguous });
  if (ambiguous) {
    return (
      <section aria-labelledby="rule-connections" className="card">
        <h2 id="rule-connections">Connections each rule allows</h2>
        <p className="empty">Not shown: another policy of this namespace has the same name, and the analysis names rules by namespace and name.</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="rule-connections" className="card">
      <h2 id="rule-connections">Connections each rule allows</h2>
      <p className="muted">
        From the analysis of this snapshot: for each rule, the workloads and IP ranges it lets talk to the workloads the policy selects. A port
        two rules list is credited to the first.
      </p>
      <QueryStatus state={state} loadingLabel="Explaining the rules…" errorTitle="Could not explain the rules.">
        {(data) => {
          const policy = data.snapshot?.policies.edges.map((edge) => edge.node).find((p) => (p.namespace ?? '') === namespace && p.name === name);
          const connections = policy?.ruleConnections;
          if (!connections) return <p className="empty">Not analysed: no connections to show.</p>;
          if (spans.length === 0) return <p className="empty">No rules: the policy allows nothing in its policy types.</p>;
          return spans.map((span) => (
            <RuleGroup key={span.path} id={id} span={span} active={span.path === rule} rows={connections.filter((c) => c.rule === span.path)} policy={location} />
          ));
        }}
      </QueryStatus>
    </section>
  );
}

function RuleGroup({ id, span, rows, active, policy }: { id: string; span: RuleSpan; rows: readonly RuleConnection[]; active: boolean; policy: PolicyLocation }) {
  const headingId = `rule-${span.path.replace(/[^A-Za-z0-9]/g, '-')}`;
  return (
    <section aria-labelledby={headingId} className="rule-group" data-active={active ? 'true' : undefined}>
      <h3 id={headingId}>
        <Link to={paths.policy(id, policy, { rule: span.path })}>
          <code>{span.path}</code>
        </Link>{' '}
        <span className="muted-inline">{span.summary}</span>
      </h3>
      {span.action !== undefined && span.action !== 'allow' ? (
        <p className="empty">
          {span.action === 'deny'
            ? 'A Deny rule allows nothing: the connections it matches are denied (ask the reachability page for one).'
            : span.action === 'pass'
              ? 'A Pass rule allows nothing itself: the connections it matches are decided by the next tier.'
              : 'A Log rule allows nothing: it records the connections it matches, and the next rules decide them.'}
        </p>
      ) : rows.length === 0 ? (
        <p className="empty">It allows no connection in this snapshot (no peer it matches exists, or an earlier rule covers its ports).</p>
      ) : (
        <div className="table-scroll">
          <table className="compact">
            <caption className="visually-hidden">Connections {span.path} allows</caption>
            <thead>
              <tr>
                <th scope="col">{span.direction === 'ingress' ? 'From' : 'To'}</th>
                <th scope="col">{span.direction === 'ingress' ? 'To (selected)' : 'From (selected)'}</th>
                <th scope="col">Ports</th>
                <th scope="col">Refused by the other side</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.subject}|${row.peer}`}>
                  <th scope="row">
                    <PeerLink id={id} text={row.peer} />
                  </th>
                  <td>
                    <PeerLink id={id} text={row.subject} />
                  </td>
                  <td>{row.ports || <span className="muted-inline">none</span>}</td>
                  <td>{row.deniedByOtherSide || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function PeerLink({ id, text }: { id: string; text: string }) {
  const workload = parseWorkloadName(text);
  return workload ? <Link to={paths.workload(id, workload)}>{text}</Link> : <code>{text}</code>;
}
