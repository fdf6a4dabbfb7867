// Decision steps per side: the explanation's reasons for one port in tier order (pass as a step), with actions.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../manifest/parse-manifests.js';
import { buildSnapshot } from '../model/snapshot.js';
import { evaluateIcmpWithSteps, evaluateWithSteps } from './steps.js';
import { evaluate } from '../analysis/evaluate.js';

// The API test's snapshot: ANP `admin` (priority 10) passes TCP 8080 and denies TCP 5432 from namespace a to b and
// c; NetworkPolicy b/web-from-a allows TCP 8080 from a; BANP `default` denies everything from a.
const text = readFileSync(new URL('../../../../apps/api/test/fixtures/tiered-explanation.yaml', import.meta.url), 'utf8');
const parsed = parseManifests([{ path: 'tiered.yaml', text }]);
const { snapshot } = buildSnapshot(parsed.objects);
const client = { namespace: 'a', name: 'client' };
const DEFAULT_STEP = { tier: 'system-default', kind: null, apiVersion: null, namespace: null, name: null, priority: null, rule: null, ruleName: null, action: 'DEFAULT_ALLOW', text: 'the system default (Allow all)' };
const ADMIN = { tier: 'admin', kind: 'AdminNetworkPolicy', apiVersion: 'policy.networking.k8s.io/v1alpha1', namespace: null, name: 'admin', priority: 10 };

describe('evaluateWithSteps', () => {
  it('has no validation errors in its input', () => {
    expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('a passed port that a NetworkPolicy allows: the pass, then the allow; the unisolated side: the default', () => {
    const verdict = evaluateWithSteps(snapshot, client, { namespace: 'b', name: 'web' }, 8080, 'TCP');
    expect(verdict.allowed).toBe(true);
    expect(verdict.explanation.egress.steps).toEqual([DEFAULT_STEP]);
    expect(verdict.explanation.ingress.steps).toEqual([
      { ...ADMIN, rule: 'spec.ingress[0]', ruleName: 'pass-web', action: 'PASS', text: "AdminNetworkPolicy 'admin' (priority 10) passes connections by spec.ingress[0] (pass-web)" },
      { tier: 'namespaced', kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1', namespace: 'b', name: 'web-from-a', priority: null, rule: 'spec.ingress[0]', ruleName: null, action: 'ALLOW', text: "NetworkPolicy 'b/web-from-a' allows connections by spec.ingress[0]" },
    ]);
    // Everything else is evaluate's answer, unchanged.
    const plain = evaluate(snapshot, client, { namespace: 'b', name: 'web' }, 8080, 'TCP');
    const { steps: _egress, ...egress } = verdict.explanation.egress;
    const { steps: _ingress, ...ingress } = verdict.explanation.ingress;
    expect({ ...verdict, explanation: { ...verdict.explanation, egress, ingress } }).toEqual(plain);
  });

  it('a port the admin tier denies: one DENY step; a port no tier decides, NetworkPolicy isolates: ISOLATE', () => {
    const denied = evaluateWithSteps(snapshot, client, { namespace: 'b', name: 'web' }, 'db', 'TCP');
    expect(denied.allowed).toBe(false);
    expect(denied.explanation.ingress.steps).toEqual([
      { ...ADMIN, rule: 'spec.ingress[1]', ruleName: 'deny-db', action: 'DENY', text: "AdminNetworkPolicy 'admin' (priority 10) denies connections by spec.ingress[1] (deny-db)" },
    ]);
    const isolated = evaluateWithSteps(snapshot, client, { namespace: 'b', name: 'web' }, 9090, 'TCP');
    expect(isolated.explanation.ingress.steps).toEqual([
      {
        tier: 'namespaced', kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1', namespace: 'b', name: 'web-from-a', priority: null, rule: 'spec.ingress[0]', ruleName: null, action: 'ISOLATE',
        text: "NetworkPolicy 'b/web-from-a' selects b/web[Deployment], and spec.ingress[0] selects a/client[Deployment], but the protocols and ports do not match",
      },
    ]);
  });

  it('a passed port no NetworkPolicy isolates: the baseline tier decides', () => {
    const verdict = evaluateWithSteps(snapshot, client, { namespace: 'c', name: 'cache' }, 8080, 'TCP');
    expect(verdict.allowed).toBe(false);
    expect(verdict.explanation.ingress.steps.map((s) => [s.tier, s.kind, s.name, s.priority, s.rule, s.ruleName, s.action])).toEqual([
      ['admin', 'AdminNetworkPolicy', 'admin', 10, 'spec.ingress[0]', 'pass-web', 'PASS'],
      ['baseline', 'BaselineAdminNetworkPolicy', 'default', null, 'spec.ingress[0]', 'deny-a', 'DENY'],
    ]);
  });

  it('ICMP: a ping that no ANP rule (all with ports) matches is isolated by the NetworkPolicy (rules with ports never allow ICMP)', () => {
    const verdict = evaluateIcmpWithSteps(snapshot, client, { namespace: 'b', name: 'web' });
    expect(verdict.allowed).toBe(false);
    expect(verdict.explanation.ingress.steps.map((s) => [s.tier, s.name, s.action])).toEqual([['namespaced', 'web-from-a', 'ISOLATE']]);
    expect(verdict.explanation.egress.steps).toEqual([DEFAULT_STEP]);
  });

  it('Calico: the security tier\'s deny is the step (its tier named `default` stays apart from the system default)', () => {
    const dir = new URL('../../../../../shared/conformance/dialects/telepathy/calico-tier-security-deny-overrides-default-allow/input/', import.meta.url);
    const files = readdirSync(dir).sort().map((f) => ({ path: f, text: readFileSync(new URL(f, dir), 'utf8') }));
    const calico = buildSnapshot(parseManifests(files).objects).snapshot;
    const denied = evaluateWithSteps(calico, { namespace: 'prod', name: 'database' }, { namespace: 'prod', name: 'frontend' }, 8080, 'TCP');
    expect(denied.explanation.ingress.steps.map((s) => [s.tier, s.kind, s.name, s.rule, s.action])).toEqual([
      ['security', 'GlobalNetworkPolicy', 'security-block-database-into-prod', 'spec.ingress[0]', 'DENY'],
    ]);
    const isolated = evaluateWithSteps(calico, { namespace: 'prod', name: 'frontend' }, { namespace: 'prod', name: 'database' }, 8080, 'TCP');
    expect(isolated.explanation.ingress.steps.map((s) => [s.tier, s.name, s.action])).toEqual([['default', 'default-allow-prod-from-dev', 'ISOLATE']]);
    // The isolating policy is named by its own kind (it was once always called "NetworkPolicy").
    const [step] = isolated.explanation.ingress.steps;
    expect(step.text.startsWith(`${step.kind} `)).toBe(true);
    expect(isolated.explanation.egress.steps).toEqual([DEFAULT_STEP]);
  });

  it('an IP end has no steps (not checked)', () => {
    const verdict = evaluateWithSteps(snapshot, client, { ip: '203.0.113.9' }, 443, 'TCP');
    expect(verdict.explanation.ingress.checked).toBe(false);
    expect(verdict.explanation.ingress.steps).toEqual([]);
    expect(verdict.explanation.egress.steps).toEqual([DEFAULT_STEP]);
  });

  it('a Calico and a Kubernetes NetworkPolicy of one name: the step names the deciding one (its tier)', () => {
    const pod = (ns: string, name: string, ip: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: {app: ${name}}}\nspec: {containers: [{name: c}]}\nstatus: {podIP: ${ip}}\n`;
    const both = [
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n`,
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n`,
      pod('a', 'client', '10.0.0.1'),
      pod('b', 'server', '10.0.0.2'),
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: b}\nspec:\n  podSelector: {matchLabels: {app: server}}\n  ingress:\n  - ports: [{port: 8080}, {port: 9090}]\n`,
      `apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: web, namespace: b}\nspec:\n  selector: app == 'server'\n  order: 100\n  types: [Ingress]\n  ingress:\n  - {action: Deny, protocol: TCP, destination: {ports: [9090]}}\n`,
    ].join('---\n');
    const input = parseManifests([{ path: 'same-name.yaml', text: both }]);
    expect(input.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const same = buildSnapshot(input.objects).snapshot;
    const ask = (port: number) => evaluateWithSteps(same, client, { namespace: 'b', name: 'server' }, port, 'TCP').explanation.ingress.steps.map((s) => `${s.tier} ${s.kind} ${s.name} ${s.action}`);
    // Calico's deny (its default tier) decides 9090; the Kubernetes policy (the namespaced tier, same layer) allows 8080.
    expect(ask(9090)).toEqual(['default NetworkPolicy web DENY']);
    expect(ask(8080)).toEqual(['namespaced NetworkPolicy web ALLOW']);
    // The apiVersion tells them apart, and so does the text: the Calico kind carries its group, Kubernetes' stays bare.
    const steps = (port: number) => evaluateWithSteps(same, client, { namespace: 'b', name: 'server' }, port, 'TCP').explanation.ingress.steps.map((s) => [s.apiVersion, s.text]);
    expect(steps(9090)).toEqual([['projectcalico.org/v3', "NetworkPolicy.projectcalico.org 'b/web' denies connections by spec.ingress[0]"]]);
    expect(steps(8080)).toEqual([['networking.k8s.io/v1', "NetworkPolicy 'b/web' allows connections by spec.ingress[0]"]]);
  });

  it('Calico\'s CRD group (crd.projectcalico.org/v1) is named as projectcalico.org: a GlobalNetworkPolicy stays bare', () => {
    const pod = (ns: string, name: string, ip: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: {app: ${name}}}\nspec: {containers: [{name: c}]}\nstatus: {podIP: ${ip}}\n`;
    const text = [
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n`,
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n`,
      pod('a', 'client', '10.0.0.1'),
      pod('b', 'server', '10.0.0.2'),
      `apiVersion: crd.projectcalico.org/v1\nkind: GlobalNetworkPolicy\nmetadata: {name: deny-9090}\nspec:\n  selector: app == 'server'\n  order: 10\n  types: [Ingress]\n  ingress:\n  - {action: Deny, protocol: TCP, destination: {ports: [9090]}}\n`,
      `apiVersion: crd.projectcalico.org/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: b}\nspec:\n  selector: app == 'server'\n  order: 100\n  types: [Ingress]\n  ingress:\n  - {action: Allow, protocol: TCP, destination: {ports: [8080]}}\n`,
    ].join('---\n');
    const input = parseManifests([{ path: 'crd-group.yaml', text }]);
    expect(input.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const crd = buildSnapshot(input.objects).snapshot;
    const texts = (port: number) => evaluateWithSteps(crd, client, { namespace: 'b', name: 'server' }, port, 'TCP').explanation.ingress.steps.map((s) => s.text);
    expect(texts(9090)).toEqual(["GlobalNetworkPolicy 'deny-9090' denies connections by spec.ingress[0]"]);
    expect(texts(8080).at(-1)).toBe("NetworkPolicy.projectcalico.org 'b/web' allows connections by spec.ingress[0]");
  });
});
