// A hostile-but-valid policy for the explain and probe-plan complexity guards: one NetworkPolicy selecting one pod,
// with `rules` ingress and as many egress rules, rule i `ipBlock 10.0.0.0/8 except 10.x.y.0/24` (the i-th /24) on
// its own port 1000 + i. Every IP atom matches all rules but one, so each atom's side partition has a segment per rule.

/** The cluster as one JSON manifest text (a v1 List of the pod and the policy). */
export function overlappingCidrRules(rules: number): string {
  const rule = (i: number, peers: 'from' | 'to') => ({
    [peers]: [{ ipBlock: { cidr: '10.0.0.0/8', except: [`10.${i >> 8}.${i & 255}.0/24`] } }],
    ports: [{ port: 1000 + i }],
  });
  const items = [
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, name: 'http' }] }] },
      status: { podIP: '10.244.0.5' },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'overlap', namespace: 'default' },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: Array.from({ length: rules }, (_, i) => rule(i, 'from')),
        egress: Array.from({ length: rules }, (_, i) => rule(i, 'to')),
      },
    },
  ];
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

/**
 * Several policies whose rules overlap in addresses and ports, for checks that must see multi-rule classes: pods
 * web, api and db in `shop`; `nested` selects web, ingress rule i `10.0.0.0/(8 + i % 16)` except the i-th /30 on
 * port 1000 + i; `wide` selects web too, ingress from 10.0.0.0/8 and from api on ports 1000-1000+rules/2 (so a port
 * of both is allowed by a rule of each), and from 192.168.0.0/16, which no rule of `nested` matches, on the last
 * port; `api-out` selects api, egress rule i to web on port 1000 + 2i, and to
 * 10.0.0.0/(9 + i % 8) on port 2000 + i.
 */
export function overlappingCidrPolicies(rules: number): string {
  const slash30 = (i: number) => `10.0.${(i * 4) >> 8}.${(i * 4) & 255}/30`;
  const pod = (name: string, ip: string, port: number) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', labels: { app: name } },
    spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: port, name: 'http' }] }] },
    status: { podIP: ip },
  });
  const policy = (name: string, app: string, spec: Record<string, unknown>) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: 'shop' },
    spec: { podSelector: { matchLabels: { app } }, ...spec },
  });
  const items = [
    pod('web', '10.244.0.5', 1002),
    pod('api', '10.244.0.6', 8080),
    pod('db', '10.244.0.7', 5432),
    policy('nested', 'web', {
      policyTypes: ['Ingress'],
      ingress: Array.from({ length: rules }, (_, i) => ({
        from: [{ ipBlock: { cidr: `10.0.0.0/${8 + (i % 16)}`, except: [slash30(i)] } }],
        ports: [{ port: 1000 + i }],
      })),
    }),
    policy('wide', 'web', {
      policyTypes: ['Ingress'],
      ingress: [
        { from: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 1000, endPort: 1000 + (rules >> 1) }] },
        { from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 1000, endPort: 1000 + (rules >> 1) }] },
        { from: [{ ipBlock: { cidr: '192.168.0.0/16' } }], ports: [{ port: 1000 + rules - 1 }] },
      ],
    }),
    policy('api-out', 'api', {
      policyTypes: ['Egress'],
      egress: Array.from({ length: rules }, (_, i) => [
        { to: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 1000 + 2 * i }] },
        { to: [{ ipBlock: { cidr: `10.0.0.0/${9 + (i % 8)}` } }], ports: [{ port: 2000 + i }] },
      ]).flat(),
    }),
  ];
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}
