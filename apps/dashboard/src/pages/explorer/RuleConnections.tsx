// What each rule of a policy does with the connections it matches (Policy.ruleConnections): per rule path, which peers
// on which ports it allows (and the ports the other side refuses), denies, or passes to the next tier.
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

export function RuleConnections({ id, location, spans, rule }: { id: string; location: PolicyLocation; spans: readonly RuleSpan[]; rule: string }) {
  const namespace = location.namespace ?? '';
  const name = location.name;
  const state = useQuery(POLICY_RULE_CONNECTIONS_QUERY, { id, namespace, search: `${namespace}/${name}` });
  return (
    <section aria-labelledby="rule-connections" className="card">
      <h2 id="rule-connections">What each rule does</h2>
      <p className="muted">
        From the analysis of this snapshot: for each rule, the workloads and IP ranges it matches for the workloads the policy selects, and
        what it does with their ports — allows, denies, or passes to the next tier. A port an earlier rule decided is that rule’s; a port two
        allow rules list is credited to the first.
      </p>
      <QueryStatus state={state} loadingLabel="Explaining the rules…" errorTitle="Could not explain the rules.">
        {(data) => {
          // Policies of one name in other kinds (a BaselineAdminNetworkPolicy and an AdminNetworkPolicy `default`) have rows of their own.
          const policy = data.snapshot?.policies.edges
            .map((edge) => edge.node)
            .find((p) => (p.namespace ?? '') === namespace && p.name === name && p.kind === location.kind && p.apiVersion === location.apiVersion);
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

/** Per action: the ports column's header and what an empty rule means. */
const ACTION_VIEW: Record<string, { ports: string; caption: string; none: string }> = {
  allow: { ports: 'Ports allowed', caption: 'allows', none: 'It allows no connection in this snapshot (no peer it matches exists, or an earlier rule decides its ports).' },
  deny: { ports: 'Ports denied', caption: 'denies', none: 'It denies no connection in this snapshot (no peer it matches exists, or an earlier rule decides its ports).' },
  pass: {
    ports: 'Ports passed to the next tier',
    caption: 'passes to the next tier',
    none: 'It passes no connection in this snapshot (no peer it matches exists, or an earlier rule decides its ports).',
  },
  log: { ports: 'Ports logged (the next rules decide)', caption: 'logs', none: 'It logs no connection in this snapshot (no peer it matches exists).' },
};

function RuleGroup({ id, span, rows, active, policy }: { id: string; span: RuleSpan; rows: readonly RuleConnection[]; active: boolean; policy: PolicyLocation }) {
  const headingId = `rule-${span.path.replace(/[^A-Za-z0-9]/g, '-')}`;
  // The engine's action for the rule (every row of a rule carries it); the YAML reading's when no row does.
  const action = rows[0]?.action ?? span.action ?? 'allow';
  const view = ACTION_VIEW[action] ?? ACTION_VIEW.allow;
  const allow = action === 'allow';
  return (
    <section aria-labelledby={headingId} className="rule-group" data-active={active ? 'true' : undefined}>
      <h3 id={headingId}>
        <Link to={paths.policy(id, policy, { rule: span.path })}>
          <code>{span.path}</code>
        </Link>{' '}
        <span className="muted-inline">{span.summary}</span>
      </h3>
      {rows.length === 0 ? (
        <p className="empty">{view.none}</p>
      ) : (
        <div className="table-scroll">
          <table className="compact">
            <caption className="visually-hidden">
              Connections {span.path} {view.caption}
            </caption>
            <thead>
              <tr>
                <th scope="col">{span.direction === 'ingress' ? 'From' : 'To'}</th>
                <th scope="col">{span.direction === 'ingress' ? 'To (selected)' : 'From (selected)'}</th>
                <th scope="col">{view.ports}</th>
                {allow && <th scope="col">Refused by the other side</th>}
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
                  {allow && <td>{row.deniedByOtherSide || '—'}</td>}
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
