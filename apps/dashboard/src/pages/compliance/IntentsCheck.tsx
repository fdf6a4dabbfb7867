// The latest snapshot against a stored intents version: each violation a concrete allowed connection, with the
// policy rules that allow it (linked to the policy page at the rule).
import { useQuery } from '../../api/useQuery.js';
import { QueryStatus } from '../../components/QueryStatus.js';
import { plural } from '../../format.js';
import { Link } from '../../router/Link.js';
import { paths } from '../../routes.js';
import { INTENTS_CHECK_QUERY } from './queries.js';

export function IntentsCheck({ snapshotId, intentsId }: { snapshotId: string; intentsId: string }) {
  const state = useQuery(INTENTS_CHECK_QUERY, { snapshotId, intentsId });
  return (
    <QueryStatus state={state} loadingLabel="Checking the snapshot against the intents…" errorTitle="Could not check the intents.">
      {({ intentsCheck: check }) => (
        <div className="intents-check" aria-label="Intents check">
          <p className={`verdict ${check.passed ? 'verdict-allowed' : 'verdict-denied'}`}>
            <span className={`pill status-${check.passed ? 'pass' : 'fail'}`}>{check.passed ? 'conforms' : 'violations'}</span>{' '}
            {check.conforming} of {plural(check.checked, 'zone-crossing connection')} conform
            {check.violations.length > 0 ? `; ${plural(check.violations.length, 'violation')}` : ''}
            {check.expiredExceptions.length > 0 ? `; ${plural(check.expiredExceptions.length, 'expired exception')}` : ''}.
          </p>
          {check.violations.length > 0 && (
            <div className="table-scroll">
              <table className="compact">
                <caption className="visually-hidden">Connections the intents do not allow</caption>
                <thead>
                  <tr>
                    <th scope="col">From</th>
                    <th scope="col">To</th>
                    <th scope="col">Ports</th>
                    <th scope="col">Allowed by</th>
                  </tr>
                </thead>
                <tbody>
                  {check.violations.map((v) => (
                    <tr key={`${v.src}|${v.dst}|${v.ports}`}>
                      <th scope="row">
                        {v.src} <span className="muted-inline">({v.srcZone})</span>
                      </th>
                      <td>
                        {v.dst} <span className="muted-inline">({v.dstZone})</span>
                      </td>
                      <td>{v.ports}</td>
                      <td>
                        {v.rules.length === 0
                          ? v.allowedBy
                          : v.rules.map((r, i) => {
                              const [namespace, name] = r.policy.split('/');
                              return (
                                <span key={`${r.policy}/${r.rule}`}>
                                  {i > 0 && '; '}
                                  {r.direction}:{' '}
                                  {namespace && name ? (
                                    <Link to={paths.policy(snapshotId, { namespace, name }, { rule: r.rule })}>
                                      {r.policy} <code>{r.rule}</code>
                                    </Link>
                                  ) : (
                                    `${r.policy} ${r.rule}`
                                  )}
                                </span>
                              );
                            })}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </QueryStatus>
  );
}
