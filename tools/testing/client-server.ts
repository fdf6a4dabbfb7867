// The two-pod cluster of the ICMP-text specs (engine, CLI and API): pods `client` (10.0.0.1) and `server`
// (10.0.0.2) in namespace `a`, labelled `app: <name>`, each listening on TCP 80. The specs add their own policy.

/** One of the two pods as a plain object. */
export function clientServerPod(name: 'client' | 'server'): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'a', labels: { app: name } },
    spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] },
    status: { phase: 'Running', podIP: name === 'client' ? '10.0.0.1' : '10.0.0.2' },
  };
}

/** Both pods as a JSON `List` with `extra` objects after them (the engine specs' input). */
export function clientServerList(...extra: object[]): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [clientServerPod('client'), clientServerPod('server'), ...extra] });
}

/** Both pods as YAML documents separated by `---` (no trailing separator). */
export const CLIENT_SERVER_PODS_YAML = (['client', 'server'] as const)
  .map(
    (name, i) => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: a, labels: { app: ${name} } }
spec: { containers: [{ name: c, ports: [{ containerPort: 80 }] }] }
status: { phase: Running, podIP: 10.0.0.${i + 1} }
`,
  )
  .join('---\n');

/** A Calico NetworkPolicy `server-in` selecting the server pod for Ingress, with `rules` (YAML list items, each line
 *  indented four spaces) as its ingress. */
export function calicoServerIn(rules: string): string {
  return `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: { name: server-in, namespace: a }
spec:
  selector: app == 'server'
  types: [Ingress]
  ingress:
${rules}`;
}

/** The same `server-in` policy as a plain object, with `ingress` as its rules (the engine specs' input). */
export function calicoServerInObject(ingress: readonly object[]): Record<string, unknown> {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'NetworkPolicy',
    metadata: { name: 'server-in', namespace: 'a' },
    spec: { selector: "app == 'server'", types: ['Ingress'], ingress },
  };
}

/**
 * The host-network exception's scenario (API and dashboard specs): `server` isolated, then opened on TCP 80 to every
 * namespace by an AdminNetworkPolicy (which never matches a host-network pod); `client` opened on port 80 by a
 * NetworkPolicy `namespaceSelector: {}` (host-network pods included), and from 0.0.0.0/0 too when asked. YAML
 * documents separated by `---`.
 */
export function serverByAdminClientByNetworkPolicyYaml(options: { clientFromInternet?: boolean } = {}): string {
  const clientPeers = options.clientFromInternet ? '[{ namespaceSelector: {} }, { ipBlock: { cidr: 0.0.0.0/0 } }]' : '[{ namespaceSelector: {} }]';
  return [
    `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: server-isolated, namespace: a }
spec: { podSelector: { matchLabels: { app: server } }, policyTypes: [Ingress] }
`,
    `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: client-from-all, namespace: a }
spec: { podSelector: { matchLabels: { app: client } }, ingress: [{ from: ${clientPeers}, ports: [{ port: 80 }] }] }
`,
    `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: server-from-all }
spec:
  priority: 5
  subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: server } } } }
  ingress: [{ name: all-namespaces, action: Allow, from: [{ namespaces: {} }], ports: [{ portNumber: { protocol: TCP, port: 80 } }] }]
`,
  ].join('---\n');
}
