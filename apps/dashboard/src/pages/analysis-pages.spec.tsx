// Renders the analysis views (reachability verdict and form, exposure, namespace matrix, connectivity rows) to HTML.
import { renderToStaticMarkup } from 'react-dom/server';
import { Provider as GraphQLProvider } from 'urql';
import { createGraphQLClient } from '../api/client.js';
import { describe, expect, it } from 'vitest';
import type { ConnectivityRow, Exposure, NamespaceMatrix, Reachability, SideExplanation } from '../api/types.js';
import { ConnectivityFilterForm, ConnectivityRows } from './connectivity/ConnectivityRows.js';
import { MatrixAndSummary } from './ConnectivityPage.js';
import { ExposureTables } from './ExposurePage.js';
import { ReachabilityForm } from './reachability/ReachabilityForm.js';
import { ReachabilityResult } from './reachability/ReachabilityResult.js';
import type { CompleteQuestion } from './reachability/question.js';

const id = '0b0e3f4c-1111-4222-8333-444455556666';
const tcp = (port: number) => ({ protocol: 'TCP' as const, from: port, to: port, name: null });

const side = (overrides: Partial<SideExplanation>): SideExplanation => ({
  allowed: true,
  checked: true,
  isolated: true,
  subject: null,
  policies: [],
  allowedBy: [],
  denials: [],
  steps: [],
  ...overrides,
});

const question: CompleteQuestion = {
  from: { type: 'workload', namespace: 'production', name: 'db-backup' },
  to: { type: 'workload', namespace: 'production', name: 'database' },
  port: '5432',
  protocol: 'TCP',
};

describe('ReachabilityResult', () => {
  const denied: Reachability = {
    allowed: false,
    cniProfile: 'np-guard',
    cniProfileNote: null,
    explanation: {
      summary: 'denied TCP 5432 from production/db-backup[CronJob] to production/database[StatefulSet]; …',
      egress: side({
        allowed: false,
        subject: 'production/db-backup[CronJob]',
        policies: ['production/default-deny-all'],
        denials: [{ namespace: 'production', policy: 'default-deny-all', rule: null, reason: 'no-rules', ports: null, icmp: null }],
      }),
      ingress: side({
        subject: 'production/database[StatefulSet]',
        policies: ['production/database-allow-backend-only', 'production/default-deny-all'],
        allowedBy: [{ namespace: 'production', policy: 'database-allow-backend-only', rule: 'spec.ingress[1]', ports: [tcp(5432)], icmp: null }],
      }),
    },
  };

  it('shows a denied verdict, the blocking side and why nothing allowed it', () => {
    const html = renderToStaticMarkup(<ReachabilityResult id={id} question={question} result={denied} />);
    expect(html).toContain('data-verdict="denied"');
    expect(html).toContain('<span>Denied</span>');
    expect(html).toContain('<code>production/db-backup[CronJob]</code> cannot open a connection to <code>production/database[StatefulSet]</code>');
    expect(html).toContain('Blocked by the source’s egress:');
    expect(html).not.toContain('destination’s ingress:');
    expect(html).toMatch(/<section aria-labelledby="side-egress" class="card side side-denied">.*data-side-verdict="denied">Denies</);
    expect(html).toContain('Why nothing allowed it');
    expect(html).toContain('has no rules for this direction');
    // The allowing ingress rule, with its ports.
    expect(html).toMatch(/<section aria-labelledby="side-ingress" class="card side side-allowed">.*Allows/);
    // Policy and rule link to the policy page (the rule highlighted there).
    expect(html).toContain(`<a href="/snapshots/${id}/policies/production/database-allow-backend-only?rule=spec.ingress%5B1%5D"><code class="nowrap">spec.ingress[1]</code></a></td><td>TCP 5432</td>`);
    expect(html).toContain(`<a href="/snapshots/${id}/policies/production/default-deny-all"><span class="policy-name">`);
    expect(html).toContain('<code>production/database-allow-backend-only</code>');
    expect(html).toContain('Engine summary:');
  });

  it('says when a side is not isolated or not checked (an IP outside the cluster)', () => {
    const allowed: Reachability = {
      allowed: true,
      cniProfile: 'np-guard',
      cniProfileNote: null,
      explanation: {
        summary: 'allowed',
        egress: side({ checked: false, isolated: false }),
        ingress: side({ isolated: false, subject: 'web/api[Deployment]' }),
      },
    };
    const html = renderToStaticMarkup(
      <ReachabilityResult
        id={id}
        question={{ ...question, from: { type: 'ip', ip: '203.0.113.7' } }}
        result={allowed}
      />,
    );
    expect(html).toContain('<span>Allowed</span>');
    expect(html).toContain('<code>203.0.113.7</code> can open a connection to <code>web/api[Deployment]</code>');
    expect(html).toContain('data-side-verdict="unchecked">Not checked');
    expect(html).toContain('The source is an IP address outside the cluster');
    expect(html).toContain('No: no policy selects it for ingress, so it may accept from anything.');
    expect(html).not.toContain('Blocked by');
    expect(html).not.toContain('Why nothing allowed it');
  });

  it('names the ICMP of a Calico rule (icmp) where its ports alone would read as none', () => {
    const result: Reachability = {
      allowed: false,
      cniProfile: 'calico',
      cniProfileNote: null,
      explanation: {
        summary: 'denied',
        egress: side({
          subject: 'a/client[Pod]',
          allowedBy: [{ namespace: 'a', policy: 'client-out', rule: 'spec.egress[0]', ports: [{ protocol: 'TCP', from: 1, to: 65535, name: null }], icmp: 'ICMP,ICMPv6' }],
        }),
        ingress: side({
          allowed: false,
          subject: 'a/server[Pod]',
          denials: [
            { namespace: 'a', policy: 'server-in', rule: 'spec.ingress[0]', reason: 'port-not-listed', ports: [tcp(80)], icmp: null },
            { namespace: 'a', policy: 'server-in', rule: 'spec.ingress[1]', reason: 'port-not-listed', ports: [], icmp: 'ICMP type 8' },
          ],
        }),
      },
    };
    const html = renderToStaticMarkup(<ReachabilityResult id={id} question={question} result={result} />);
    expect(html).toContain('<code class="nowrap">spec.egress[0]</code></a></td><td>all TCP ports, ICMP,ICMPv6</td>');
    expect(html).toContain('<code class="nowrap">spec.ingress[0]</code></a></td><td>the other side matches, but the rule allows only TCP 80, not the asked port</td>');
    expect(html).toContain('<code class="nowrap">spec.ingress[1]</code></a></td><td>the other side matches, but the rule allows only ICMP type 8, not the asked port</td>');
    expect(html).not.toContain('ports do not include the asked port');
  });
});

describe('ReachabilityResult: tiered decision steps', () => {
  it('shows each side’s steps in order: tier, priority, action (a pass is a step), policy and rule links', () => {
    const step = { kind: null, apiVersion: null, namespace: null, name: null, priority: null, rule: null, ruleName: null };
    const result: Reachability = {
      allowed: true,
      cniProfile: 'calico',
      cniProfileNote: null,
      explanation: {
        summary: 'allowed',
        egress: side({ isolated: false, steps: [{ ...step, tier: 'system-default', action: 'DEFAULT_ALLOW', text: 'the system default (Allow all)' }] }),
        ingress: side({
          subject: 'b/web[Deployment]',
          steps: [
            { ...step, tier: 'admin', kind: 'AdminNetworkPolicy', apiVersion: 'policy.networking.k8s.io/v1alpha1', name: 'admin', priority: 10, rule: 'spec.ingress[0]', ruleName: 'pass-web', action: 'PASS', text: "AdminNetworkPolicy 'admin' (priority 10) passes connections by spec.ingress[0] (pass-web)" },
            { ...step, tier: 'namespaced', kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1', namespace: 'b', name: 'web-from-a', rule: 'spec.ingress[0]', action: 'ALLOW', text: "NetworkPolicy 'b/web-from-a' allows connections by spec.ingress[0]" },
          ],
        }),
      },
    };
    const html = renderToStaticMarkup(<ReachabilityResult id={id} question={question} result={result} />);
    const ingress = html.slice(html.indexOf('aria-labelledby="side-ingress"'));
    expect(ingress).toMatch(/<ol class="timeline" aria-labelledby="steps-ingress"><li class="timeline-step" data-action="PASS">.*<li class="timeline-step" data-action="ALLOW">/);
    expect(ingress).toContain('<span class="tier-badge" data-tier="admin">admin tier</span><span class="step-priority">priority 10</span>');
    expect(ingress).toContain('<span aria-hidden="true">↓ </span>Pass to the next tier');
    // Every policy links to its page and rule: a cluster-scoped AdminNetworkPolicy under cluster-policies/<kind>.
    expect(ingress).toContain(`href="/snapshots/${id}/cluster-policies/AdminNetworkPolicy/admin"`);
    expect(ingress).toContain(`href="/snapshots/${id}/cluster-policies/AdminNetworkPolicy/admin?rule=spec.ingress%5B0%5D" aria-label="rule spec.ingress[0] (pass-web) of admin"`);
    expect(ingress).toContain(`href="/snapshots/${id}/policies/b/web-from-a"`);
    expect(ingress).toContain(`href="/snapshots/${id}/policies/b/web-from-a?rule=spec.ingress%5B0%5D"`);
    expect(ingress.indexOf('pass-web')).toBeLessThan(ingress.indexOf('web-from-a'));
    expect(html).toMatch(/aria-labelledby="steps-egress">.*data-action="DEFAULT_ALLOW">.*system default.*Default allow/);
  });

  it('tells a Calico NetworkPolicy step from a Kubernetes one of the same name: its kind with its group, and its own page', () => {
    const base = { namespace: 'b', name: 'web', priority: null, rule: 'spec.ingress[0]', ruleName: null, kind: 'NetworkPolicy' };
    const result: Reachability = {
      allowed: false,
      cniProfile: 'calico',
      cniProfileNote: null,
      explanation: {
        summary: 'denied',
        egress: side({ isolated: false, steps: [] }),
        ingress: side({
          subject: 'b/server[Pod]',
          steps: [
            { ...base, tier: 'default', apiVersion: 'projectcalico.org/v3', action: 'DENY', text: "NetworkPolicy.projectcalico.org 'b/web' denies connections by spec.ingress[0]" },
            { ...base, tier: 'namespaced', apiVersion: 'networking.k8s.io/v1', action: 'ISOLATE', text: "NetworkPolicy 'b/web' selects b/server[Pod], but a/client[Pod] is not allowed by any Ingress rule" },
          ],
        }),
      },
    };
    const html = renderToStaticMarkup(<ReachabilityResult id={id} question={question} result={result} />);
    const ingress = html.slice(html.indexOf('aria-labelledby="side-ingress"'));
    expect(ingress).toContain('<span class="muted-inline" title="projectcalico.org/v3">NetworkPolicy.projectcalico.org</span>');
    expect(ingress).toContain('<span class="muted-inline" title="networking.k8s.io/v1">NetworkPolicy</span>');
    expect(ingress).toContain(`href="/snapshots/${id}/policies/b/NetworkPolicy.projectcalico.org/web"`);
    expect(ingress).toContain(`href="/snapshots/${id}/policies/b/web"`);
  });

  it('names a policy of Calico\'s CRD group (crd.projectcalico.org/v1) as the step text does: NetworkPolicy.projectcalico.org', () => {
    const step = { namespace: 'b', name: 'web', priority: null, rule: 'spec.ingress[0]', ruleName: null, kind: 'NetworkPolicy', tier: 'default', apiVersion: 'crd.projectcalico.org/v1' };
    const result: Reachability = {
      allowed: false,
      cniProfile: 'calico',
      cniProfileNote: null,
      explanation: {
        summary: 'denied',
        egress: side({ isolated: false, steps: [] }),
        ingress: side({ subject: 'b/server[Pod]', steps: [{ ...step, action: 'DENY', text: "NetworkPolicy.projectcalico.org 'b/web' denies connections by spec.ingress[0]" }] }),
      },
    };
    const html = renderToStaticMarkup(<ReachabilityResult id={id} question={question} result={result} />);
    expect(html).toContain('<span class="muted-inline" title="crd.projectcalico.org/v1">NetworkPolicy.projectcalico.org</span>');
  });
});

describe('ReachabilityForm', () => {
  it('on a big snapshot, searches workloads instead of listing them (a text field with suggestions)', () => {
    const client = createGraphQLClient({ fetch: async () => new Response('{}', { status: 500 }) });
    const html = renderToStaticMarkup(
      <GraphQLProvider value={client}>
        <ReachabilityForm snapshotId={id} workloads={[]} complete={false} initial={question} onSubmit={() => undefined} />
      </GraphQLProvider>,
    );
    expect(html).toMatch(/<input [^>]*list="[^"]+-matches" placeholder="namespace\/name"[^>]*name="from-workload" value="production\/db-backup"/);
    expect(html).toContain('<datalist id=');
    expect(html).not.toContain('Choose a workload…');
  });

  const workloads = [
    { namespace: 'kube-system', kind: 'Deployment', name: 'coredns' },
    { namespace: 'production', kind: 'CronJob', name: 'db-backup' },
    { namespace: 'production', kind: 'StatefulSet', name: 'database' },
  ];

  it('groups workloads by namespace and starts from the URL question (a kind-less name picks its workload)', () => {
    const html = renderToStaticMarkup(
      <ReachabilityForm
        workloads={workloads}
        initial={{ ...question, to: { type: 'ip', ip: '10.0.0.9' } }}
        onSubmit={() => undefined}
      />,
    );
    expect(html).toContain('<optgroup label="kube-system"><option value="kube-system/coredns[Deployment]">kube-system/coredns (Deployment)</option></optgroup>');
    expect(html).toContain('<option value="production/db-backup[CronJob]" selected="">production/db-backup (CronJob)</option>');
    expect(html).toMatch(/Destination IP address<\/label><input [^>]*value="10\.0\.0\.9"/);
    expect(html).toMatch(/<input [^>]*name="port" value="5432"/);
    expect(html).toContain('<option value="TCP" selected="">TCP</option>');
    expect(html).toContain('Check reachability</button>');
  });
});

describe('ExposureTables', () => {
  it('lists each kind of exposure as a table, and says when one is empty', () => {
    const exposure: Exposure = {
      internetExposed: [
        {
          workload: { namespace: 'ingress-nginx', kind: 'Deployment', name: 'controller' },
          ipRanges: ['0.0.0.0-9.255.255.255', '11.0.0.0-172.15.255.255'],
          publicRanges: ['1.0.0.0-9.255.255.255', '11.0.0.0-100.63.255.255'],
          portsText: 'TCP 443',
        },
      ],
      clusterWideExposed: [],
      unprotected: [{ workload: { namespace: 'monitoring', kind: 'Deployment', name: 'prometheus' }, ingress: false, egress: true }],
      selectorExposedWorkloads: 1,
      selectorExposedPage: {
        totalCount: 2,
        pageInfo: { hasNextPage: true, endCursor: 'c1' },
        edges: [
          {
            node: {
              workload: { namespace: 'production', kind: 'Deployment', name: 'backend' },
              direction: 'INGRESS',
              peer: 'ingress-nginx/[all pods]',
              namespaces: 'namespaces with kubernetes.io/metadata.name=ingress-nginx',
              pods: 'all pods',
              portsText: 'TCP 8080',
            },
          },
        ],
      },
    };
    const html = renderToStaticMarkup(<ExposureTables id="s1" exposure={exposure} />);
    expect(html).toContain('<h2 id="exposure-internet">Internet-exposed</h2>');
    expect(html).toContain('<th scope="row">controller</th>');
    expect(html).toContain('<code>11.0.0.0-100.63.255.255</code>');
    expect(html).not.toContain('<code>11.0.0.0-172.15.255.255</code>');
    expect(html).toContain('<code>ingress-nginx/[all pods]</code>');
    expect(html).toContain('namespaces with kubernetes.io/metadata.name=ingress-nginx, all pods');
    expect(html).toContain('<td>TCP 443</td>');
    expect(html).toContain('No workload accepts connections from the whole cluster.');
    expect(html).toContain('<th scope="row">prometheus</th>');
    expect(html).toContain('<span class="flag flag-closed">Isolated</span></td><td><span class="flag flag-open">Unprotected</span>');
    expect(html).toContain('1 workload.');
    expect(html).toContain('0 workloads.');
    // A page of the selector rows, and a button for the next.
    expect(html).toContain('Show more rows');
  });
});

describe('ExposureTables: cluster-wide rows', () => {
  it('says which cluster-wide rows leave host-network pods out (an AdminNetworkPolicy `namespaces: {}`)', () => {
    const exposure: Exposure = {
      internetExposed: [],
      clusterWideExposed: [
        { workload: { namespace: 'a', kind: 'Deployment', name: 'client' }, portsText: 'TCP 80', exceptHostNetwork: false },
        { workload: { namespace: 'a', kind: 'Deployment', name: 'server' }, portsText: 'TCP 80', exceptHostNetwork: true },
      ],
      unprotected: [],
      selectorExposedWorkloads: 0,
      selectorExposedPage: { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] },
    };
    const html = renderToStaticMarkup(<ExposureTables id="s1" exposure={exposure} />);
    expect(html).toContain('<th scope="row">client</th><td>Deployment</td><td>TCP 80</td><td>every pod</td>');
    expect(html).toContain('<th scope="row">server</th><td>Deployment</td><td>TCP 80</td><td>every pod but host-network pods</td>');
    expect(html).toContain('host-network pods excepted where a row says so');
  });
});

describe('namespace matrix and connectivity rows', () => {
  const matrix: NamespaceMatrix = {
    cniProfile: 'np-guard',
    cniProfileNote: null,
    namespaces: [
      { name: 'a', workloads: 2, reachableFromIpRanges: 0, reachingIpRanges: 1 },
      { name: 'b', workloads: 1, reachableFromIpRanges: 1, reachingIpRanges: 0 },
    ],
    busiestNamespaces: ['a', 'b'],
    cells: [
      { from: 'a', to: 'b', allowedPairs: 2, allPortsPairs: 1, possiblePairs: 2 },
      { from: 'b', to: 'b', allowedPairs: 0, allPortsPairs: 0, possiblePairs: 0 },
    ],
  };

  it('draws every namespace pair, linking allowed cells to the filtered rows', () => {
    const html = renderToStaticMarkup(<MatrixAndSummary id={id} matrix={matrix} />);
    expect(html).toContain('<th scope="col">a</th><th scope="col">b</th>');
    expect(html).toContain('<th scope="row">a</th>');
    expect(html).toContain(
      `href="/snapshots/${id}/connectivity?fromNamespace=a&amp;toNamespace=b" title="2 of 2 workload pairs allowed from a to b, 1 on all ports"`,
    );
    expect(html).toContain('>2/2</a>');
    // a→a, b→a and b→b (zero pairs) have no link.
    expect(html.match(/class="matrix-cell matrix-none"/g)).toHaveLength(3);
    expect(html).toContain('Reachable from outside IPs');
  });

  it('lists allowed connections with workload and IP-range peers, and offers the namespace filters', () => {
    const rows: ConnectivityRow[] = [
      {
        from: { type: 'WORKLOAD', namespace: 'a', name: 'web', kind: 'Deployment', ipRange: null },
        to: { type: 'IP_RANGE', namespace: null, name: null, kind: null, ipRange: '0.0.0.0-9.255.255.255' },
        portsText: 'TCP 443',
      },
    ];
    const filter = { fromNamespace: 'a', toNamespace: '', workload: '' };
    const html = renderToStaticMarkup(
      <>
        <ConnectivityFilterForm id={id} namespaces={['a', 'b']} initial={filter} />
        <ConnectivityRows
          id={id}
          filter={filter}
          connection={{ totalCount: 3, pageInfo: { hasNextPage: true, endCursor: 'c' }, edges: rows.map((node) => ({ node })) }}
        />
      </>,
    );
    expect(html).toContain('<option value="a" selected="">a</option>');
    expect(html).toContain(`href="/snapshots/${id}/connectivity">Clear filters</a>`);
    expect(html).toContain(`<th scope="row"><a href="/snapshots/${id}/workloads/a/Deployment/web">a/<strong>web</strong></a> <span class="muted-inline">Deployment</span></th>`);
    expect(html).toContain('<code>0.0.0.0-9.255.255.255</code> <span class="muted-inline">IP range</span>');
    expect(html).toContain('Showing 1 of 3 allowed connections.');
    expect(html).toContain('Show more allowed connections</button>');
  });
});
