import { describeDenialReason } from '../../analysis/denials.js';
import { formatPeer } from '../../analysis/peer.js';
import { formatRuleTraffic } from '../../analysis/ports.js';
import type { AllowedBy, Denial, Reachability, SideExplanation } from '../../api/types.js';
import { CniProfile } from '../../components/CniProfile.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { Link } from '../../router/Link.js';
import { paths } from '../../routes.js';
import { DecisionTimeline } from './DecisionTimeline.js';
import type { CompleteQuestion } from './question.js';

type Direction = 'egress' | 'ingress';

const DIRECTION_TEXT: Record<Direction, { heading: string; role: string; verb: string }> = {
  egress: { heading: 'Egress (source side)', role: 'the source', verb: 'send to' },
  ingress: { heading: 'Ingress (destination side)', role: 'the destination', verb: 'accept from' },
};

/** The verdict of one question, then why: each side's isolation, the rules that allowed, or why none did. */
export function ReachabilityResult({ id, question, result }: { id: string; question: CompleteQuestion; result: Reachability }) {
  const { explanation } = result;
  // The API's subjects carry the workload kind even when the question left it out.
  const from = explanation.egress.subject ?? formatPeer(question.from);
  const to = explanation.ingress.subject ?? formatPeer(question.to);
  const port = `${question.protocol} ${question.port}`;
  return (
    <>
      <section
        aria-labelledby="verdict-heading"
        className={`card verdict ${result.allowed ? 'verdict-allowed' : 'verdict-denied'}`}
      >
        <h2 id="verdict-heading">Verdict</h2>
        <p className="verdict-line">
          <span className="verdict-badge" data-verdict={result.allowed ? 'allowed' : 'denied'}>
            <span aria-hidden="true">{result.allowed ? '✓ ' : '✗ '}</span>
            <span>{result.allowed ? 'Allowed' : 'Denied'}</span>
          </span>{' '}
          <span>
            <code>{from}</code> {result.allowed ? 'can' : 'cannot'} open a connection to <code>{to}</code> on{' '}
            <strong>{port}</strong>.
          </span>
        </p>
        {!result.allowed && <p className="blocked-by">{blockedText(explanation.egress, explanation.ingress)}</p>}
        <p className="summary">
          <span className="muted-label">Engine summary:</span> {explanation.summary}
        </p>
        <p className="muted">
          Decided under <CniProfile profile={result.cniProfile} />
        </p>
        {result.cniProfileNote && (
          // No CNI declared and Calico policies evaluated: "np-guard" alone would read as NetworkPolicy only.
          <p className="muted" data-testid="cni-profile-note">
            {result.cniProfileNote}
          </p>
        )}
      </section>
      <div className="sides">
        <SideCard id={id} direction="egress" side={explanation.egress} />
        <SideCard id={id} direction="ingress" side={explanation.ingress} />
      </div>
    </>
  );
}

function blockedText(egress: SideExplanation, ingress: SideExplanation): string {
  const blocking = [!egress.allowed && 'the source’s egress', !ingress.allowed && 'the destination’s ingress'].filter(
    Boolean,
  );
  return `Blocked by ${blocking.join(' and by ')}: a connection needs both sides to allow it.`;
}

/** Links a side's policies to their pages: the kind comes from the side's decision steps (a row names namespace and
 *  name only); a namespaced policy no step names is a NetworkPolicy, a cluster-scoped one without a kind stays text. */
function policyLinker(id: string, side: SideExplanation) {
  const kinds = new Map(side.steps.filter((step) => step.name !== null).map((step) => [`${step.namespace ?? ''}/${step.name}`, step.kind]));
  return (row: { namespace: string; policy: string }, rule?: string | null) => {
    const kind = kinds.get(`${row.namespace}/${row.policy}`) ?? (row.namespace ? 'NetworkPolicy' : null);
    return kind ? paths.policy(id, { namespace: row.namespace || null, kind, name: row.policy }, rule ? { rule } : {}) : undefined;
  };
}

type PolicyLink = ReturnType<typeof policyLinker>;

// A policy as `namespace/name` (the namespace muted so the name stands out), linked to its page.
const policyCell = (link: PolicyLink) => (row: { namespace: string; policy: string }) => {
  const text = (
    <span className="policy-name">
      {row.namespace && <span className="muted-inline policy-ns">{row.namespace}/</span>}
      {row.policy}
    </span>
  );
  const to = link(row);
  return to ? <Link to={to}>{text}</Link> : text;
};

const ruleCell = (link: PolicyLink) => (row: { namespace: string; policy: string; rule: string | null }) => {
  if (!row.rule) return <span className="muted-inline">no rules</span>;
  const to = link(row, row.rule);
  const code = <code className="nowrap">{row.rule}</code>;
  return to ? <Link to={to}>{code}</Link> : code;
};

const allowedColumns = (link: PolicyLink): Column<AllowedBy>[] => [
  { header: 'Policy', rowHeader: true, cell: policyCell(link) },
  { header: 'Rule', cell: ruleCell(link) },
  { header: 'Allowed ports', cell: (row) => formatRuleTraffic(row.ports, row.icmp) },
];

const denialColumns = (link: PolicyLink): Column<Denial>[] => [
  { header: 'Policy', rowHeader: true, cell: policyCell(link) },
  { header: 'Rule', cell: ruleCell(link) },
  { header: 'Why not', cell: (row) => describeDenialReason(row.reason, row.ports, row.icmp) },
];

function SideCard({ id, direction, side }: { id: string; direction: Direction; side: SideExplanation }) {
  const text = DIRECTION_TEXT[direction];
  const headingId = `side-${direction}`;
  const state = !side.checked ? 'unchecked' : side.allowed ? 'allowed' : 'denied';
  return (
    <section aria-labelledby={headingId} className={`card side side-${state}`}>
      <h2 id={headingId}>{text.heading}</h2>
      <p className="side-verdict" data-side-verdict={state}>
        {state === 'unchecked' ? 'Not checked' : state === 'allowed' ? 'Allows' : 'Denies'}
      </p>
      {!side.checked ? (
        <p>{text.role[0]?.toUpperCase() + text.role.slice(1)} is an IP address outside the cluster: no policy applies to it.</p>
      ) : (
        <>
          {side.steps.length > 0 && <DecisionTimeline id={id} direction={direction} steps={side.steps} />}
          <dl className="facts">
            <div>
              <dt>Pod</dt>
              <dd>{side.subject ? <code>{side.subject}</code> : <span className="muted-inline">—</span>}</dd>
            </div>
            <div>
              <dt>Isolated</dt>
              <dd>
                {side.isolated
                  ? `Yes: ${side.policies.length === 1 ? 'a policy selects' : 'policies select'} it for ${direction}, so only what a rule allows gets through.`
                  : `No: no policy selects it for ${direction}, so it may ${text.verb} anything.`}
              </dd>
            </div>
            {side.isolated && (
              <div>
                <dt>Selecting policies</dt>
                <dd>
                  <ul className="plain-list">
                    {side.policies.map((policy) => (
                      <li key={policy}>
                        <code>{policy}</code>
                      </li>
                    ))}
                  </ul>
                </dd>
              </div>
            )}
          </dl>
          {side.allowedBy.length > 0 && (
            <>
              <h3>Allowed by</h3>
              <DataTable
                caption={`Rules allowing ${direction}`}
                columns={allowedColumns(policyLinker(id, side))}
                rows={side.allowedBy}
                rowKey={(row) => `${row.namespace}/${row.policy}/${row.rule}`}
                empty=""
              />
            </>
          )}
          {!side.allowed && <WhyDenied id={id} direction={direction} side={side} />}
        </>
      )}
    </section>
  );
}

/**
 * Why a side denies, by the step that decided it: an explicit deny (an admin tier, a Calico or Cilium deny rule) is
 * its own answer; only an isolation (policies select the pod and none of their rules allows the port) is explained
 * rule by rule, and then as what it is: the allow-list of that tier, not "no rule allowed it" everywhere.
 */
function WhyDenied({ id, direction, side }: { id: string; direction: Direction; side: SideExplanation }) {
  const deciding = side.steps.at(-1);
  if (deciding?.action === 'DENY') {
    return (
      <>
        <h3>Denied by an explicit rule</h3>
        <p className="why-denied" data-why="explicit-deny">
          {deciding.text}. A deny rule decides on its own: rules of later tiers and of NetworkPolicies are not consulted.
        </p>
      </>
    );
  }
  const tier = deciding?.action === 'ISOLATE' ? deciding.tier : null;
  const heading = tier ? `Why no rule of the ${tier === 'namespaced' ? 'NetworkPolicies' : `${tier} tier`} allowed it` : 'Why nothing allowed it';
  return (
    <>
      <h3>{heading}</h3>
      {tier && (
        <p className="muted" data-why="isolated">
          The {tier} tier decided: its policies isolate the pod for {direction}, so only what one of their rules allows gets
          through. Each row is a rule of that tier and why it does not match.
        </p>
      )}
      <DataTable
        caption={tier ? `Rules of the ${tier} tier that did not allow the ${direction} connection` : `Why no ${direction} rule allowed the connection`}
        columns={denialColumns(policyLinker(id, side))}
        rows={side.denials}
        rowKey={(row) => `${row.namespace}/${row.policy}/${row.rule ?? ''}/${row.reason}`}
        empty="No rule was considered."
      />
    </>
  );
}
