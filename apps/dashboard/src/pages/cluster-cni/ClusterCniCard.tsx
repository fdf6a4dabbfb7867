import { useState, type FormEvent } from 'react';
import { requestGraphQL, toRequestError } from '../../api/client.js';
import { VIEWER_QUERY } from '../../api/queries.js';
import { useQuery } from '../../api/useQuery.js';
import { CniProfile } from '../../components/CniProfile.js';
import { SET_CLUSTER_CNI_MUTATION } from './queries.js';

/** The engine's CNI profiles (libs/engine cni-profiles); the server refuses any other name. */
export const CNI_PROFILES: readonly [string, string][] = [
  ['np-guard', 'np-guard (Kubernetes NetworkPolicy semantics, np-guard’s choices)'],
  ['calico', 'Calico'],
  ['cilium', 'Cilium'],
  ['ovn-kubernetes', 'OVN-Kubernetes'],
  ['antrea', 'Antrea'],
  ['flannel', 'flannel (enforces no policy)'],
  ['kubenet', 'kubenet (enforces no policy)'],
];

const SOURCE_TEXT: Record<string, string> = {
  user: 'chosen by a user',
  collector: 'detected by netpol collect',
};

interface CniState {
  readonly cni: string | null;
  readonly cniSource: string | null;
}

/**
 * A cluster's CNI: the profile every analysis of its snapshots uses (or, unset, the one each snapshot's content
 * implies), who set it, and for admins a form to change it (audited by the server; analyses follow at once).
 */
export function ClusterCniCard({ name, initial }: { name: string; initial: CniState }) {
  const viewer = useQuery(VIEWER_QUERY, {});
  const [current, setCurrent] = useState<CniState>(initial);
  const [choice, setChoice] = useState(initial.cni ?? '');
  const [state, setState] = useState<{ status: 'idle' | 'working' | 'saved' } | { status: 'failed'; message: string }>({ status: 'idle' });
  const canChange = viewer.status === 'success' && (viewer.data.viewer.auth === 'off' || viewer.data.viewer.role === 'admin');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setState({ status: 'working' });
    try {
      const result = await requestGraphQL(SET_CLUSTER_CNI_MUTATION, { name, cni: choice === '' ? null : choice }, { mutation: true });
      setCurrent({ cni: result.setClusterCni.cni ?? null, cniSource: result.setClusterCni.cniSource ?? null });
      setState({ status: 'saved' });
    } catch (error) {
      setState({ status: 'failed', message: toRequestError(error).message });
    }
  };

  return (
    <section aria-labelledby="cluster-cni" className="card">
      <h2 id="cluster-cni">CNI profile</h2>
      <p data-testid="cluster-cni-current">
        {current.cni ? (
          <>
            Every analysis of this cluster uses <CniProfile profile={current.cni} />
            {current.cniSource && <span className="muted-inline"> ({SOURCE_TEXT[current.cniSource] ?? current.cniSource})</span>}.
          </>
        ) : (
          <>
            Unknown: each snapshot is analysed under the profile its content implies (<code>cilium</code> when it holds
            Cilium policies, else <code>np-guard</code>). <code>netpol collect --push</code> fills it in from the
            cluster&apos;s CNI; a user&apos;s choice always wins over that detection.
          </>
        )}
      </p>
      {canChange ? (
        <form className="filter-form" onSubmit={(event) => void submit(event)} aria-label="Change the CNI profile">
          <div className="field field-wide">
            <label htmlFor="cluster-cni-choice">CNI</label>
            <select id="cluster-cni-choice" value={choice} onChange={(event) => setChoice(event.target.value)}>
              <option value="">Unknown (the profile each snapshot&apos;s content implies)</option>
              {CNI_PROFILES.map(([id, label]) => (
                <option key={id} value={id}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={state.status === 'working' || choice === (current.cni ?? '')}>
            {state.status === 'working' ? 'Saving…' : 'Save'}
          </button>
          {state.status === 'saved' && (
            <p className="status" role="status">
              Saved: verdicts, connectivity, exposure, findings and new reports of this cluster now use{' '}
              {current.cni ? <CniProfile profile={current.cni} /> : 'the profile each snapshot implies'}.
            </p>
          )}
          {state.status === 'failed' && (
            <p className="error" role="alert">
              {state.message}
            </p>
          )}
        </form>
      ) : viewer.status === 'success' ? (
        <p className="muted">Only an admin may change it (your role: {viewer.data.viewer.role ?? 'none'}).</p>
      ) : null}
    </section>
  );
}
