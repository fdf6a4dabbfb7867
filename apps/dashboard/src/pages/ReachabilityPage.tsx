import { toPeerInput } from '../analysis/peer.js';
import { REACHABILITY_QUERY } from '../api/queries.js';
import { useQuery } from '../api/useQuery.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { SnapshotFrame } from '../components/SnapshotFrame.js';
import { navigate, useSearch } from '../router/history.js';
import { paths } from '../routes.js';
import { ReachabilityForm } from './reachability/ReachabilityForm.js';
import { ReachabilityResult } from './reachability/ReachabilityResult.js';
import { isComplete, parseQuestion, questionToQuery, type CompleteQuestion } from './reachability/question.js';
import { useWorkloadOptions } from './reachability/useWorkloadOptions.js';

/** `/snapshots/:id/reachability?from=…&to=…&port=…&protocol=…`: can A reach B, and why (or why not). */
export function ReachabilityPage({ id }: { id: string }) {
  return (
    <SnapshotFrame id={id} view="reachability" title="Reachability">
      {() => <ReachabilityView id={id} />}
    </SnapshotFrame>
  );
}

function ReachabilityView({ id }: { id: string }) {
  const search = useSearch();
  const question = parseQuestion(search);
  const workloads = useWorkloadOptions(id);
  return (
    <>
      <p className="lede">
        Can a workload (or an IP address) open a connection to another on a port? Both the source’s egress and the
        destination’s ingress must allow it.
      </p>
      <QueryStatus state={workloads} loadingLabel="Loading the snapshot’s workloads…">
        {(options) => (
          // Keyed by the URL so that back/forward and shared links refill the form.
          <ReachabilityForm
            key={search}
            snapshotId={id}
            workloads={options.workloads}
            complete={options.complete}
            initial={question}
            onSubmit={(asked) => navigate(paths.reachability(id, questionToQuery(asked)))}
          />
        )}
      </QueryStatus>
      <div aria-live="polite">{isComplete(question) && <ReachabilityAnswer id={id} question={question} />}</div>
    </>
  );
}

function ReachabilityAnswer({ id, question }: { id: string; question: CompleteQuestion }) {
  const state = useQuery(REACHABILITY_QUERY, {
    id,
    from: toPeerInput(question.from),
    to: toPeerInput(question.to),
    port: question.port,
    protocol: question.protocol,
  });
  return (
    <QueryStatus state={state} loadingLabel="Checking…" errorTitle="No answer for this question.">
      {(data) => <ReachabilityResult id={id} question={question} result={data.reachability} />}
    </QueryStatus>
  );
}
