// The policy set of one synthetic tenant namespace and of the system namespaces: the patterns real clusters use
// (default-deny, DNS egress, Prometheus scrape, tier-to-tier, cross-namespace AND selectors, ipBlock egress with
// excepts, endPort ranges, all four matchExpressions operators, named ports).
import type { Random } from './random.js';
import type { Json } from './synthetic-objects.js';

export type Tier = 'web' | 'api' | 'worker' | 'db' | 'cache';

export interface TenantNamespace {
  readonly name: string;
  readonly team: string;
  readonly env: string;
  readonly tiers: ReadonlySet<Tier>;
  readonly pci: boolean;
}

const nsName = (name: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });
const RFC1918 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/** Partner networks are shared between tenants (a pool), as real SaaS dependencies are. */
export function partnerNetworks(random: Random, index: number): { v4: Json; v6: Json } {
  const a = index % 64;
  const v4 = { cidr: `198.51.${a}.0/24`, except: [`198.51.${a}.${random.pick([128, 192, 240])}/${random.pick([25, 26, 28])}`] };
  const b = (index % 16).toString(16);
  const v6 = { cidr: `2001:db8:${b}::/48`, except: [`2001:db8:${b}:ff::/64`] };
  return { v4, v6 };
}

export function tenantPolicies(random: Random, ns: TenantNamespace, partnerIndex: number): Array<[string, Json]> {
  const out: Array<[string, Json]> = [];
  out.push(['default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }]);
  out.push([
    'allow-dns',
    {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: nsName('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }],
    },
  ]);
  out.push([
    'allow-scrape',
    {
      podSelector: { matchExpressions: [{ key: 'metrics', operator: 'Exists' }] },
      ingress: [{ from: [{ namespaceSelector: nsName('monitoring'), podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }], ports: [{ port: 'metrics' }] }],
    },
  ]);
  if (ns.tiers.has('web')) {
    out.push([
      'web-from-ingress',
      {
        podSelector: { matchLabels: { tier: 'web' } },
        ingress: [{ from: [{ namespaceSelector: nsName('ingress-nginx'), podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } } }], ports: [{ port: 'http' }] }],
      },
    ]);
  }
  // Same team, other environments allowed by In; PCI tenants refuse callers from non-PCI namespaces (NotIn).
  const teamPeer: Json = {
    namespaceSelector: {
      matchLabels: { team: ns.team },
      matchExpressions: [ns.pci ? { key: 'compliance', operator: 'In', values: ['pci'] } : { key: 'env', operator: 'In', values: ns.env === 'prod' ? ['prod'] : ['staging', 'dev'] }],
    },
    podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['api', 'worker'] }] },
  };
  out.push([
    'api-ingress',
    {
      podSelector: { matchLabels: { tier: 'api' } },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [{ podSelector: { matchLabels: { tier: 'web' } } }, teamPeer], ports: [{ port: 'http' }, { port: 'grpc' }] },
        { from: [{ podSelector: { matchLabels: { tier: 'worker' } } }], ports: [{ protocol: 'TCP', port: 9090 }] },
      ],
    },
  ]);
  out.push([
    'db-ingress',
    {
      podSelector: { matchLabels: { tier: 'db' } },
      ingress: [
        { from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['api', 'worker'] }] } }], ports: [{ port: 'postgres' }] },
        { from: [{ podSelector: { matchLabels: { tier: 'db' } } }], ports: [{ port: 5432 }, { port: 8008 }] },
      ],
    },
  ]);
  if (ns.tiers.has('cache')) {
    out.push([
      'cache-ingress',
      {
        podSelector: { matchLabels: { tier: 'cache' } },
        ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web', 'db'] }] } }], ports: [{ port: 'redis' }, { port: 'memcache' }] }],
      },
    ]);
  }
  out.push([
    'app-egress',
    {
      podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api', 'worker'] }] },
      policyTypes: ['Egress'],
      egress: [
        { to: [{ podSelector: { matchLabels: { tier: 'api' } } }, teamPeer], ports: [{ port: 8080 }, { port: 3000 }, { port: 9090 }] },
        { to: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['db', 'cache'] }] } }], ports: [{ port: 5432 }, { port: 6379 }, { port: 11211 }] },
        { to: [{ podSelector: { matchLabels: { tier: 'db' } } }], ports: [{ port: 8008 }] },
      ],
    },
  ]);
  if (random.chance(0.6)) {
    const partner = partnerNetworks(random, partnerIndex);
    out.push([
      'external-egress',
      {
        podSelector: { matchLabels: { tier: 'api' }, matchExpressions: [{ key: 'sandbox', operator: 'DoesNotExist' }] },
        policyTypes: ['Egress'],
        egress: [
          { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: RFC1918 } }], ports: [{ protocol: 'TCP', port: 443 }] },
          { to: [{ ipBlock: partner.v4 }, { ipBlock: partner.v6 }], ports: [{ protocol: 'TCP', port: 8443, endPort: 8453 }] },
        ],
      },
    ]);
  }
  if (ns.tiers.has('worker')) {
    out.push([
      'worker-egress',
      {
        podSelector: { matchLabels: { tier: 'worker' } },
        policyTypes: ['Egress'],
        egress: [
          { to: [{ ipBlock: { cidr: '10.96.0.0/12', except: ['10.96.0.0/24'] } }], ports: [{ protocol: 'TCP', port: 30000, endPort: 32767 }] },
          { to: [{ namespaceSelector: { matchLabels: { env: ns.env } }, podSelector: { matchLabels: { tier: 'worker' } } }], ports: [{ protocol: 'UDP', port: 7000, endPort: 7100 }, { protocol: 'SCTP', port: 9899 }] },
        ],
      },
    ]);
  }
  return out;
}

export function systemPolicies(): Array<[string, string, Json]> {
  return [
    [
      'kube-system',
      'allow-dns-ingress',
      {
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ protocol: 'UDP', port: 'dns' }, { protocol: 'TCP', port: 'dns-tcp' }, { port: 'metrics' }] }],
      },
    ],
    [
      'ingress-nginx',
      'allow-public',
      {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          { from: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }], ports: [{ port: 'http' }, { port: 'https' }] },
          { from: [{ namespaceSelector: nsName('monitoring') }], ports: [{ port: 'metrics' }] },
        ],
        egress: [
          { to: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] }, podSelector: { matchLabels: { tier: 'web' } } }], ports: [{ port: 8080 }, { port: 3000 }] },
          { to: [{ namespaceSelector: nsName('kube-system') }], ports: [{ protocol: 'UDP', port: 53 }] },
        ],
      },
    ],
    ['monitoring', 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }],
    [
      'monitoring',
      'prometheus',
      {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ namespaceSelector: nsName('monitoring'), podSelector: { matchLabels: { 'app.kubernetes.io/name': 'grafana' } } }], ports: [{ port: 'web' }] }],
        egress: [{}],
      },
    ],
  ];
}
