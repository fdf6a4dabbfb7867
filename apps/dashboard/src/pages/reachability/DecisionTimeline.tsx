import type { DecisionStep } from '../../api/types.js';
import { Link } from '../../router/Link.js';
import { apiGroupOf, paths } from '../../routes.js';

type Action = DecisionStep['action'];

// Colour AND a word AND a symbol per action, never colour alone (the symbol is hidden from screen readers).
const ACTION_TEXT: Record<Action, { symbol: string; word: string }> = {
  ALLOW: { symbol: '✓', word: 'Allow' },
  DENY: { symbol: '✗', word: 'Deny' },
  PASS: { symbol: '↓', word: 'Pass to the next tier' },
  ISOLATE: { symbol: '✗', word: 'Isolated, no rule allows' },
  DEFAULT_ALLOW: { symbol: '✓', word: 'Default allow' },
};

/** The step's kind as the step text names it: `NetworkPolicy` for Kubernetes', `NetworkPolicy.projectcalico.org` for
 *  Calico's of the same name (other kinds say their group already). */
function kindLabel(step: DecisionStep): string {
  const kind = step.kind ?? '';
  const apiGroup = step.apiVersion ? apiGroupOf(step.apiVersion) : '';
  // Calico's CRD group names the same objects as projectcalico.org (the engine's text says so too).
  const group = apiGroup === 'crd.projectcalico.org' ? 'projectcalico.org' : apiGroup;
  return kind === 'NetworkPolicy' && group !== '' && group !== 'networking.k8s.io' ? `${kind}.${group}` : kind;
}

function tierLabel(tier: string): string {
  return tier === 'system-default' ? 'system default' : `${tier} tier`;
}

/**
 * The ordered decision steps of one side for the asked port, as a timeline: each step's tier, policy (linked to
 * its page: every policy kind has one), priority, rule (linked to the rule on the policy page) and
 * action; a pass is a step of its own, after which the next tier decides.
 */
export function DecisionTimeline({ id, direction, steps }: { id: string; direction: 'egress' | 'ingress'; steps: readonly DecisionStep[] }) {
  const headingId = `steps-${direction}`;
  return (
    <>
      <h3 id={headingId}>Decision steps</h3>
      <ol className="timeline" aria-labelledby={headingId}>
        {steps.map((step, index) => (
          <li key={`${index}-${step.tier}-${step.kind ?? ''}-${step.apiVersion ?? ''}-${step.namespace ?? ''}/${step.name ?? ''}-${step.rule ?? ''}`} className="timeline-step" data-action={step.action}>
            <div className="step-head">
              <span className="tier-badge" data-tier={step.tier}>
                {tierLabel(step.tier)}
              </span>
              {step.priority !== null && <span className="step-priority">priority {step.priority}</span>}
              <span className="step-action" data-action={step.action}>
                <span aria-hidden="true">{ACTION_TEXT[step.action].symbol} </span>
                {ACTION_TEXT[step.action].word}
              </span>
            </div>
            {step.name !== null && (
              <p className="step-policy">
                <span className="muted-inline" title={step.apiVersion ?? undefined}>
                  {kindLabel(step)}
                </span> <PolicyName id={id} step={step} />
                {step.rule !== null && (
                  <>
                    {' '}
                    <RuleName id={id} step={step} rule={step.rule} />
                  </>
                )}
              </p>
            )}
            <p className="step-text">{step.text}</p>
          </li>
        ))}
      </ol>
    </>
  );
}

function PolicyName({ id, step }: { id: string; step: DecisionStep }) {
  const name = step.name ?? '';
  const label = step.namespace ? `${step.namespace}/${name}` : name;
  return (
    <Link to={paths.policy(id, { namespace: step.namespace, kind: step.kind, apiVersion: step.apiVersion, name })}>
      <code>{label}</code>
    </Link>
  );
}

function RuleName({ id, step, rule }: { id: string; step: DecisionStep; rule: string }) {
  const text = `${rule}${step.ruleName ? ` (${step.ruleName})` : ''}`;
  if (!step.name) return <code className="nowrap">{text}</code>;
  const label = step.namespace ? `${step.namespace}/${step.name}` : step.name;
  return (
    <Link to={paths.policy(id, { namespace: step.namespace, kind: step.kind, apiVersion: step.apiVersion, name: step.name }, { rule })} aria-label={`rule ${text} of ${label}`}>
      <code className="nowrap">{text}</code>
    </Link>
  );
}
