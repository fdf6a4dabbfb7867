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
