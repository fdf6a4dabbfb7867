import type { ReactNode } from 'react';
import type { DashboardWorkloadPageQuery } from '../../gql/graphql.js';
import { useQuery } from '../../api/useQuery.js';
import type { ConnectivityRow, NetworkPeer } from '../../api/types.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { LabelList } from '../../components/LabelList.js';
import { QueryStatus } from '../../components/QueryStatus.js';
import { SnapshotFrame } from '../../components/SnapshotFrame.js';
import { plural } from '../../format.js';
import { Link } from '../../router/Link.js';
import { paths } from '../../routes.js';
import { PeerName } from '../connectivity/ConnectivityRows.js';
import { WORKLOAD_PAGE_QUERY, WORKLOAD_REACH_QUERY } from './queries.js';
import { firstPort, sameWorkload, splitByDirection, type WorkloadId } from './workload-view.js';

/** `/snapshots/:id/workloads/:namespace/:kind/:name`: one workload, its policies, its reach both ways, its exposure. */
export function WorkloadPage({ id, workload }: { id: string; workload: WorkloadId }) {
  return (
    <SnapshotFrame
      id={id}
      view={undefined}
      title={`${workload.namespace}/${workload.name}`}
      trail={[{ to: paths.snapshot(id, { namespace: workload.namespace }), label: workload.namespace }]}
    >
      {() => <WorkloadView id={id} workload={workload} />}
    </SnapshotFrame>
  );
}

function WorkloadView({ id, workload }: { id: string; workload: WorkloadId }) {
  const state = useQuery(WORKLOAD_PAGE_QUERY, {
    id,
    namespace: workload.namespace,
    search: `${workload.namespace}/${workload.name}`,
    kind: workload.kind,
    name: workload.name,
    workload: `${workload.namespace}/${workload.name}`,
  });
  return (
    <QueryStatus state={state} loadingLabel="Analysing the workload…">
      {(data) => <WorkloadDetails id={id} workload={workload} data={data} />}
    </QueryStatus>
  );
}

type WorkloadData = DashboardWorkloadPageQuery;

/** What the workload can reach and who can reach it: its own query (connectivity rows filtered to the workload). */
function WorkloadReach({ id, workload, self }: { id: string; workload: WorkloadId; self: string }) {
  const state = useQuery(WORKLOAD_REACH_QUERY, { id, workload: `${workload.namespace}/${workload.name}` });
  return (
    <QueryStatus state={state} loadingLabel="Listing its connections…">
      {(data) => <WorkloadReachTables id={id} workload={workload} self={self} rows={data.connectivity.edges.map((edge) => edge.node)} />}
    </QueryStatus>
  );
}

function WorkloadReachTables({ id, workload, self, rows }: { id: string; workload: WorkloadId; self: string; rows: readonly ConnectivityRow[] }) {
  const { outbound, inbound } = splitByDirection(rows, workload);
  const reachColumns = (direction: 'out' | 'in'): Column<ConnectivityRow>[] => [
    {
      header: direction === 'out' ? 'Can reach' : 'Reachable from',
      rowHeader: true,
      cell: (row) => <PeerName peer={direction === 'out' ? row.to : row.from} snapshotId={id} />,
    },
    { header: 'Ports', cell: (row) => row.portsText },
    {
      header: 'Why',
      cell: (row) => <ExplainLink id={id} self={self} other={direction === 'out' ? row.to : row.from} direction={direction} portsText={row.portsText} />,
    },
  ];
  return (
    <div className="two-col">
      <section aria-labelledby="reach-out" className="card">
        <h2 id="reach-out">What it can reach</h2>
        <p className="muted">{plural(outbound.length, 'allowed destination')} (IP ranges merged as np-guard lists them).</p>
        <DataTable caption={`Destinations ${self} may connect to`} columns={reachColumns('out')} rows={outbound} rowKey={(row) => peerKey(row.to)} empty="It cannot open any connection." />
      </section>
      <section aria-labelledby="reach-in" className="card">
        <h2 id="reach-in">Who can reach it</h2>
        <p className="muted">{plural(inbound.length, 'allowed source')}.</p>
        <DataTable caption={`Sources that may connect to ${self}`} columns={reachColumns('in')} rows={inbound} rowKey={(row) => peerKey(row.from)} empty="Nothing may connect to it." />
      </section>
    </div>
  );
}

export function WorkloadDetails({ id, workload, data }: { id: string; workload: WorkloadId; data: WorkloadData }) {
  const found = data.snapshot?.workloads.edges.map((edge) => edge.node).find((node) => sameWorkload(node, workload));
  if (!data.snapshot || !found) {
    return (
      <div role="alert" className="status status-error">
        <p>
          This snapshot has no workload{' '}
          <code>
            {workload.namespace}/{workload.name} ({workload.kind})
          </code>
          .
        </p>
      </div>
    );
  }
  const policies = found.policies?.edges.map((edge) => edge.node) ?? [];
  const ingressPolicies = policies.filter((p) => p.policyTypes.includes('Ingress'));
  const egressPolicies = policies.filter((p) => p.policyTypes.includes('Egress'));
  const exposure = data.exposure;
  const internet = exposure.internetExposed.find((row) => sameWorkload(row.workload, workload));
  const clusterWide = exposure.clusterWideExposed.find((row) => sameWorkload(row.workload, workload));
  const unprotected = exposure.unprotected.find((row) => sameWorkload(row.workload, workload));
  const bySelector = exposure.selectorExposed.filter((row) => sameWorkload(row.workload, workload));
  const self = `${workload.namespace}/${workload.name}[${workload.kind}]`;

  return (
    <>
      <section aria-labelledby="workload-summary" className="card">
        <h2 id="workload-summary">Summary</h2>
        <dl className="facts">
          <div>
            <dt>Kind</dt>
            <dd>{found.kind}</dd>
          </div>
          <div>
            <dt>Pods</dt>
            <dd>
              {found.pods}
              {found.replicas !== null && <span className="muted-inline"> (replicas: {found.replicas})</span>}
            </dd>
          </div>
          <div>
            <dt>Pod labels</dt>
            <dd>
              <LabelList labels={found.labels} />
            </dd>
          </div>
          <div>
            <dt>Isolation</dt>
            <dd>
              {ingressPolicies.length > 0 ? 'ingress isolated' : <span className="flag flag-open">ingress unprotected</span>}
              {' · '}
              {egressPolicies.length > 0 ? 'egress isolated' : <span className="flag flag-open">egress unprotected</span>}
            </dd>
          </div>
        </dl>
      </section>

      <div className="two-col">
        <PolicyList id={id} title="Ingress policies" headingId="ingress-policies" policies={ingressPolicies} none="No policy isolates its ingress: every source may connect." />
        <PolicyList id={id} title="Egress policies" headingId="egress-policies" policies={egressPolicies} none="No policy isolates its egress: it may connect anywhere." />
      </div>

      <WorkloadReach id={id} workload={workload} self={self} />

      <section aria-labelledby="workload-exposure" className="card">
        <h2 id="workload-exposure">Exposure</h2>
        <ul className="plain-list">
          <ExposureItem open={Boolean(internet)} label="Internet">
            {internet ? (
              <>
                accepts {internet.portsText} from public ranges{' '}
                {internet.publicRanges.slice(0, 4).map((range) => (
                  <code key={range}>{range} </code>
                ))}
                {internet.publicRanges.length > 4 && `and ${internet.publicRanges.length - 4} more`}
              </>
            ) : (
              'no public source may connect'
            )}
          </ExposureItem>
          {/* An AdminNetworkPolicy-like `namespaces: {}` never matches a host-network pod: say so rather than claim the whole cluster. */}
          <ExposureItem open={Boolean(clusterWide)} label={clusterWide?.exceptHostNetwork ? 'Entire cluster (except host-network pods)' : 'Entire cluster'}>
            {clusterWide
              ? `every pod of every namespace${clusterWide.exceptHostNetwork ? ' but host-network pods' : ''} may connect on ${clusterWide.portsText}`
              : 'not open to every namespace'}
          </ExposureItem>
          {bySelector.map((row) => (
            <ExposureItem key={`${row.direction}${row.peer}`} open label={row.direction === 'INGRESS' ? 'From selector' : 'To selector'}>
              <code>{row.peer}</code>: {row.namespaces}, {row.pods} — {row.portsText}
            </ExposureItem>
          ))}
          {unprotected && (
            <ExposureItem open label="Unprotected">
              {[unprotected.ingress && 'ingress', unprotected.egress && 'egress'].filter(Boolean).join(' and ')} not isolated by any policy
            </ExposureItem>
          )}
        </ul>
      </section>

      <section aria-labelledby="workload-pods" className="card">
        <h2 id="workload-pods">Pods</h2>
        <DataTable
          caption={`Pods of ${self}`}
          columns={[
            { header: 'Pod', rowHeader: true, cell: (pod) => pod.name },
            { header: 'IPs', cell: (pod) => (pod.ips.length > 0 ? pod.ips.join(', ') : <span className="muted-inline">none</span>) },
            { header: 'Source', cell: (pod) => (pod.synthetic ? 'replica of the controller' : 'Pod object') },
          ]}
          rows={data.snapshot.pods.edges.map((edge) => edge.node)}
          rowKey={(pod) => `${pod.name}/${pod.synthetic}`}
          empty="No pods."
          className="compact"
        />
        {data.snapshot.pods.totalCount > data.snapshot.pods.edges.length && (
          <p className="muted">Showing {data.snapshot.pods.edges.length} of {data.snapshot.pods.totalCount} pods.</p>
        )}
      </section>
    </>
  );
}

const peerKey = (peer: NetworkPeer) => (peer.type === 'IP_RANGE' ? (peer.ipRange ?? '') : `${peer.namespace}/${peer.kind}/${peer.name}`);

function ExposureItem({ open, label, children }: { open: boolean; label: string; children: ReactNode }) {
  return (
    <li>
      <span className={open ? 'flag flag-open' : 'flag flag-closed'}>{open ? '●' : '○'} {label}:</span> {children}
    </li>
  );
}

function PolicyList({
  id,
  title,
  headingId,
  policies,
  none,
}: {
  id: string;
  title: string;
  headingId: string;
  policies: readonly { namespace: string | null; name: string; kind: string; apiVersion: string }[];
  none: string;
}) {
  return (
    <section aria-labelledby={headingId} className="card">
      <h2 id={headingId}>{title}</h2>
      {policies.length === 0 ? (
        <p className="empty">{none}</p>
      ) : (
        <ul>
          {policies.map((policy) => (
            <li key={`${policy.namespace}/${policy.kind}/${policy.name}/${policy.apiVersion}`}>
              <Link to={paths.policy(id, policy)}>{policy.name}</Link>{' '}
              <span className="muted-inline">{policy.kind}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A link to the reachability verdict of this pair on its first allowed port (the rules of both sides). */
function ExplainLink({ id, self, other, direction, portsText }: { id: string; self: string; other: NetworkPeer; direction: 'out' | 'in'; portsText: string }) {
  const port = firstPort(portsText);
  if (!port) return null;
  const otherRef =
    other.type === 'IP_RANGE' ? (other.ipRange?.split('-')[0] ?? '') : `${other.namespace}/${other.name}[${other.kind}]`;
  const [from, to] = direction === 'out' ? [self, otherRef] : [otherRef, self];
  return (
    <Link to={paths.reachability(id, { from, to, port: String(port.port), protocol: port.protocol })}>
      Explain {port.protocol} {port.port}
    </Link>
  );
}
