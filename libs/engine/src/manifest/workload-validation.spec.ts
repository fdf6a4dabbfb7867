import { describe, expect, it } from 'vitest';
import { parseManifests } from './parse-manifests.js';

const issuesOf = (text: string) =>
  parseManifests([{ path: 'w.yaml', text }]).issues.map(({ code, path, line, severity }) => ({ code, path, line, severity }));

const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n${spec}`;

describe('Pod and workload shape validation', () => {
  it('accepts a Pod with ports, hostNetwork and status', () => {
    const text = `${pod('  hostNetwork: false\n  nodeName: node-1\n  containers:\n  - name: c\n    ports:\n    - {containerPort: 80, name: http, protocol: TCP}\n    - {containerPort: 53, protocol: UDP}\n')}status:\n  phase: Running\n  podIP: 10.0.0.1\n  podIPs:\n  - ip: 10.0.0.1\n  hostIP: 192.168.1.1\n`;
    expect(issuesOf(text)).toEqual([]);
  });

  it.each([0, 65536])('rejects containerPort %s', (port) => {
    expect(issuesOf(pod(`  containers:\n  - name: c\n    ports:\n    - containerPort: ${port}\n`))).toEqual([
      { code: 'INVALID_VALUE', path: 'spec.containers[0].ports[0].containerPort', line: 10, severity: 'error' },
    ]);
  });

  it('rejects a containerPort given as a string', () => {
    expect(issuesOf(pod('  containers:\n  - name: c\n    ports:\n    - containerPort: "80"\n'))).toEqual([
      { code: 'WRONG_TYPE', path: 'spec.containers[0].ports[0].containerPort', line: 10, severity: 'error' },
    ]);
  });

  it('warns (np-guard reads such files) when a container port has no containerPort', () => {
    expect(issuesOf(pod('  containers:\n  - name: c\n    ports:\n    - name: http\n'))).toEqual([
      { code: 'MISSING_FIELD', path: 'spec.containers[0].ports[0].containerPort', line: 10, severity: 'warning' },
    ]);
  });

  it('rejects an invalid container port name and protocol', () => {
    expect(issuesOf(pod('  containers:\n  - name: c\n    ports:\n    - {containerPort: 80, name: Web_Port, protocol: icmp}\n'))).toEqual([
      { code: 'INVALID_VALUE', path: 'spec.containers[0].ports[0].name', line: 10, severity: 'error' },
      { code: 'INVALID_VALUE', path: 'spec.containers[0].ports[0].protocol', line: 10, severity: 'error' },
    ]);
  });

  it('rejects labels that are not a string map', () => {
    expect(issuesOf('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: [app]\n')).toEqual([
      { code: 'WRONG_TYPE', path: 'metadata.labels', line: 5, severity: 'error' },
    ]);
  });

  it('rejects a label without a value', () => {
    expect(issuesOf('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    app:\n')).toEqual([
      { code: 'WRONG_TYPE', path: 'metadata.labels.app', line: 6, severity: 'error' },
    ]);
  });

  it('validates the pod template of a Deployment', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: -1\n  selector:\n    matchLabels: {app: d}\n  template:\n    metadata:\n      labels: {app: 7}\n    spec:\n      containers:\n      - name: c\n        ports:\n        - containerPort: 99999\n';
    expect(issuesOf(text)).toEqual([
      { code: 'INVALID_VALUE', path: 'spec.replicas', line: 6, severity: 'error' },
      { code: 'WRONG_TYPE', path: 'spec.template.metadata.labels.app', line: 11, severity: 'error' },
      { code: 'INVALID_VALUE', path: 'spec.template.spec.containers[0].ports[0].containerPort', line: 16, severity: 'error' },
    ]);
  });

  it('validates the job template of a CronJob', () => {
    const text = 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          hostNetwork: "true"\n';
    expect(issuesOf(text)).toEqual([
      { code: 'WRONG_TYPE', path: 'spec.jobTemplate.spec.template.spec.hostNetwork', line: 10, severity: 'error' },
    ]);
  });

  it('reads a ReplicationController selector as a label map', () => {
    const text = 'apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: r\nspec:\n  selector:\n    matchLabels: {a: b}\n';
    expect(issuesOf(text)).toEqual([{ code: 'WRONG_TYPE', path: 'spec.selector.matchLabels', line: 7, severity: 'error' }]);
  });

  it('validates the selector of a workload like a NetworkPolicy selector', () => {
    const text = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: s\nspec:\n  selector:\n    matchExpressions:\n    - {key: a, operator: In}\n';
    expect(issuesOf(text)).toEqual([{ code: 'MISSING_FIELD', path: 'spec.selector.matchExpressions[0].values', line: 8, severity: 'error' }]);
  });

  it('accepts workloads of the old extensions API group', () => {
    const text = 'apiVersion: extensions/v1beta1\nkind: DaemonSet\nmetadata:\n  name: ds\nspec:\n  template:\n    metadata:\n      labels: {app: ds}\n';
    expect(parseManifests([{ path: 'w.yaml', text }]).objects.map((o) => o.object.kind)).toEqual(['DaemonSet']);
  });

  it('checks Namespace names and labels', () => {
    expect(issuesOf('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Shop\n  labels: {team: "a b"}\n')).toEqual([
      { code: 'INVALID_VALUE', path: 'metadata.name', line: 4, severity: 'error' },
      { code: 'INVALID_VALUE', path: 'metadata.labels.team', line: 5, severity: 'error' },
    ]);
  });

  it.each([
    ['Namespace', 'v1', 'Prod-NS', 'error'],
    ['Namespace', 'v1', 'prod_ns', 'error'],
    ['Namespace', 'v1', 'a'.repeat(64), 'error'],
    ['Service', 'v1', 'a'.repeat(64), 'error'],
    ['Service', 'v1', '1abc', 'error'],
    ['Pod', 'v1', 'a'.repeat(254), 'error'],
    ['Pod', 'v1', 'Web', 'error'],
    ['Pod', 'v1', 'web.', 'error'],
    ['NetworkPolicy', 'networking.k8s.io/v1', 'a_b', 'warning'],
    ['NetworkPolicy', 'networking.k8s.io/v1', 'A_b', 'error'],
  ])('checks the name of a %s (%s) as the API server does: %s → %s', (kind, apiVersion, name, severity) => {
    const text = `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: a\n`;
    expect(issuesOf(text)).toEqual([{ code: 'INVALID_VALUE', path: 'metadata.name', line: 4, severity }]);
  });

  it('accepts names at the limits', () => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${'a'.repeat(253)}\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${'a'.repeat(63)}\n`;
    expect(issuesOf(text)).toEqual([]);
  });

  it('checks ownerReferences shape', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  ownerReferences:\n  - {kind: ReplicaSet, controller: "true"}\n';
    expect(issuesOf(text)).toEqual([
      { code: 'MISSING_FIELD', path: 'metadata.ownerReferences[0].name', line: 6, severity: 'error' },
      { code: 'WRONG_TYPE', path: 'metadata.ownerReferences[0].controller', line: 6, severity: 'error' },
    ]);
  });

  it('checks Service ports', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector: {app: a}\n  ports:\n  - {port: 0, targetPort: http, protocol: TCP}\n';
    expect(issuesOf(text)).toEqual([{ code: 'INVALID_VALUE', path: 'spec.ports[0].port', line: 8, severity: 'error' }]);
  });
});
