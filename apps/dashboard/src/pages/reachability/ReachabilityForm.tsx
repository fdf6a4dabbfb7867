import { useId, useState, type FormEvent } from 'react';
import { formatPeer, parsePeer, type PeerChoice } from '../../analysis/peer.js';
import type { Protocol, WorkloadRef } from '../../api/types.js';
import { PROTOCOLS, type ReachabilityQuestion } from './question.js';
import { useWorkloadSearch } from './useWorkloadOptions.js';

type Side = 'from' | 'to';

interface SideDraft {
  mode: 'workload' | 'ip';
  /** `namespace/name[Kind]` of the chosen workload, or "". */
  workload: string;
  ip: string;
}

const SIDE_TEXT: Record<Side, { legend: string; noun: string }> = {
  from: { legend: 'From (source)', noun: 'Source' },
  to: { legend: 'To (destination)', noun: 'Destination' },
};

/** "Can A reach B?": two ends (a workload of the snapshot or an IP address), a port and a protocol. */
export function ReachabilityForm({
  snapshotId = '',
  workloads,
  complete = true,
  initial,
  onSubmit,
}: {
  snapshotId?: string;
  workloads: readonly WorkloadRef[];
  /** False on a big snapshot: the workload fields search the API instead of listing every workload. */
  complete?: boolean;
  initial: ReachabilityQuestion;
  onSubmit: (question: ReachabilityQuestion) => void;
}) {
  const [from, setFrom] = useState(() => draftFor(initial.from, workloads, complete));
  const [to, setTo] = useState(() => draftFor(initial.to, workloads, complete));
  const [port, setPort] = useState(initial.port);
  const [protocol, setProtocol] = useState<Protocol>(initial.protocol);
  const [problem, setProblem] = useState<string>();
  const portId = useId();
  const protocolId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const question = { from: peerOf(from), to: peerOf(to), port: port.trim(), protocol };
    const missing = [
      !question.from && (from.mode === 'ip' ? 'a source IP address' : 'a source workload'),
      !question.to && (to.mode === 'ip' ? 'a destination IP address' : 'a destination workload'),
      !question.port && 'a port',
    ].filter((item): item is string => typeof item === 'string');
    if (missing.length > 0) {
      setProblem(`Choose ${missing.join(', ')}.`);
      return;
    }
    setProblem(undefined);
    onSubmit(question);
  };

  return (
    <form className="card reachability-form" onSubmit={submit} aria-label="Reachability question" noValidate>
      <div className="form-grid">
        <PeerFieldset side="from" draft={from} onChange={setFrom} workloads={workloads} complete={complete} snapshotId={snapshotId} />
        <PeerFieldset side="to" draft={to} onChange={setTo} workloads={workloads} complete={complete} snapshotId={snapshotId} />
        <div className="field">
          <label htmlFor={portId}>Port</label>
          <input
            id={portId}
            name="port"
            value={port}
            onChange={(event) => setPort(event.target.value)}
            placeholder="8080 or http"
            autoComplete="off"
            aria-describedby={`${portId}-hint`}
          />
          <span id={`${portId}-hint`} className="hint">
            A number, or a container port name of the destination
          </span>
        </div>
        <div className="field">
          <label htmlFor={protocolId}>Protocol</label>
          <select id={protocolId} name="protocol" value={protocol} onChange={(event) => setProtocol(event.target.value as Protocol)}>
            {PROTOCOLS.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="form-actions">
        <button type="submit" className="primary">
          Check reachability
        </button>
      </p>
      {problem && (
        <p role="alert" className="status status-error">
          {problem}
        </p>
      )}
    </form>
  );
}

function PeerFieldset({
  side,
  draft,
  onChange,
  workloads,
  complete,
  snapshotId,
}: {
  side: Side;
  draft: SideDraft;
  onChange: (draft: SideDraft) => void;
  workloads: readonly WorkloadRef[];
  complete: boolean;
  snapshotId: string;
}) {
  const id = useId();
  const { legend, noun } = SIDE_TEXT[side];
  const byNamespace = groupByNamespace(workloads);
  return (
    <fieldset className="peer-fieldset">
      <legend>{legend}</legend>
      <div className="mode-choice">
        <label>
          <input
            type="radio"
            name={`${side}-mode`}
            checked={draft.mode === 'workload'}
            onChange={() => onChange({ ...draft, mode: 'workload' })}
          />{' '}
          Workload
        </label>
        <label>
          <input
            type="radio"
            name={`${side}-mode`}
            checked={draft.mode === 'ip'}
            onChange={() => onChange({ ...draft, mode: 'ip' })}
          />{' '}
          IP address
        </label>
      </div>
      {draft.mode === 'workload' && !complete ? (
        <WorkloadSearchField id={id} noun={noun} side={side} draft={draft} onChange={onChange} snapshotId={snapshotId} />
      ) : draft.mode === 'workload' ? (
        <div className="field">
          <label htmlFor={`${id}-workload`}>{noun} workload</label>
          <select
            id={`${id}-workload`}
            name={`${side}-workload`}
            value={draft.workload}
            onChange={(event) => onChange({ ...draft, workload: event.target.value })}
          >
            <option value="">Choose a workload…</option>
            {byNamespace.map(([namespace, members]) => (
              <optgroup key={namespace} label={namespace}>
                {members.map((workload) => (
                  <option key={workloadValue(workload)} value={workloadValue(workload)}>
                    {namespace}/{workload.name} ({workload.kind})
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
      ) : (
        <div className="field">
          <label htmlFor={`${id}-ip`}>{noun} IP address</label>
          <input
            id={`${id}-ip`}
            name={`${side}-ip`}
            value={draft.ip}
            onChange={(event) => onChange({ ...draft, ip: event.target.value })}
            placeholder="203.0.113.7"
            autoComplete="off"
            spellCheck={false}
          />
        </div>
      )}
    </fieldset>
  );
}

/** A big snapshot's workload field: type `namespace/name`, pick from the API's matches (a datalist). */
function WorkloadSearchField({
  id,
  noun,
  side,
  draft,
  onChange,
  snapshotId,
}: {
  id: string;
  noun: string;
  side: Side;
  draft: SideDraft;
  onChange: (draft: SideDraft) => void;
  snapshotId: string;
}) {
  const matches = useWorkloadSearch(snapshotId, draft.workload);
  return (
    <div className="field">
      <label htmlFor={`${id}-workload`}>{noun} workload</label>
      <input
        id={`${id}-workload`}
        name={`${side}-workload`}
        list={`${id}-matches`}
        value={draft.workload}
        onChange={(event) => onChange({ ...draft, workload: event.target.value })}
        placeholder="namespace/name"
        autoComplete="off"
        spellCheck={false}
      />
      <datalist id={`${id}-matches`}>
        {matches.map((workload) => (
          <option key={workloadValue(workload)} value={workloadValue(workload)}>
            {workload.kind}
          </option>
        ))}
      </datalist>
      <span className="hint">Type part of a namespace or name to search</span>
    </div>
  );
}

function workloadValue(workload: WorkloadRef): string {
  return formatPeer({ type: 'workload', namespace: workload.namespace, name: workload.name, kind: workload.kind });
}

/** The API sorts workloads by namespace, so groups come out in order. */
function groupByNamespace(workloads: readonly WorkloadRef[]): Array<[string, WorkloadRef[]]> {
  const groups = new Map<string, WorkloadRef[]>();
  for (const workload of workloads) {
    const group = groups.get(workload.namespace) ?? [];
    group.push(workload);
    groups.set(workload.namespace, group);
  }
  return [...groups.entries()];
}

/** The form's starting state for a URL peer; a kind-less `namespace/name` picks the one workload it names. */
function draftFor(peer: PeerChoice | undefined, workloads: readonly WorkloadRef[], complete: boolean): SideDraft {
  if (!peer) return { mode: 'workload', workload: '', ip: '' };
  if (peer.type === 'ip') return { mode: 'ip', workload: '', ip: peer.ip };
  // A searched field keeps the reference as written (the API resolves a kind-less name).
  if (!complete) return { mode: 'workload', workload: formatPeer(peer), ip: '' };
  const matches = workloads.filter(
    (w) => w.namespace === peer.namespace && w.name === peer.name && (!peer.kind || w.kind.toLowerCase() === peer.kind.toLowerCase()),
  );
  const only = matches.length === 1 ? matches[0] : undefined;
  return { mode: 'workload', workload: only ? workloadValue(only) : '', ip: '' };
}

function peerOf(draft: SideDraft): PeerChoice | undefined {
  if (draft.mode === 'ip') {
    const ip = draft.ip.trim();
    return ip ? { type: 'ip', ip } : undefined;
  }
  // The option values are formatPeer output, so they parse back to the workload.
  return parsePeer(draft.workload);
}
