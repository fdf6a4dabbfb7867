// The store loses nothing analysis needs: each np-guard case's input uploaded as one multi-document YAML body, then
// GET …/connectivity?format=txt equals its expected.txt; and `reachability` agrees with `netpol eval` (the engine's
// evaluate on the case files, as the CLI runs it) on several cases.
import { evaluate, loadSnapshot, workloadPods, type PeerSpec, type Snapshot } from '@netpol-atlas/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { gql, type Json } from './support/graphql.js';
import { caseDocuments, caseNames, caseYamlBody, expectedTxt } from './support/np-guard.js';

const CASES = caseNames();
/** Cases whose reachability answers are compared with the engine's pair by pair. */
const EVAL_CASES = ['onlineboutique', 'netpol_named_port_test', 'test_with_named_ports', 'ipblockstest', 'with_end_port_example', 'core_pods_without_host_ip'];

const REACHABILITY = `query($id: ID!, $from: PeerInput!, $to: PeerInput!, $port: Port!, $protocol: Protocol) {
  reachability(snapshotId: $id, from: $from, to: $to, port: $port, protocol: $protocol) {
    allowed cniProfile caveats { code dialect apiVersion kind namespace name message } explanation { summary
      ingress { isolated policies checked allowed subject allowedBy { policy namespace rule ports { protocol from to name } } denials { policy namespace rule reason ports { protocol from to name } } }
      egress { isolated policies checked allowed subject allowedBy { policy namespace rule ports { protocol from to name } } denials { policy namespace rule reason ports { protocol from to name } } } } } }`;

function withoutOptionalNulls(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutOptionalNulls);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k, v]) => !(v === null && (k === 'name' || k === 'rule' || k === 'ports')))
        .map(([k, v]) => [k, withoutOptionalNulls(v)]),
    );
  }
  return value;
}

describe('np-guard cases through the API', () => {
  let t: TestApp;
  const ids = new Map<string, string>();
  const answers = { allowed: 0, denied: 0, errors: 0 };

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t?.close());

  const upload = async (name: string): Promise<string> => {
    const known = ids.get(name);
    if (known) return known;
    const cluster = `case-${CASES.indexOf(name)}`;
    const res = await t.http.post(`/api/v1/clusters/${cluster}/snapshots`).set('Content-Type', 'application/yaml').send(caseYamlBody(name));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids.set(name, res.body.id);
    return res.body.id;
  };

  it('finds the corpus', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(34);
    for (const name of EVAL_CASES) expect(CASES).toContain(name);
  });

  it.each(CASES)('GET connectivity?format=txt after upload equals expected.txt: %s', async (name) => {
    const id = await upload(name);
    const res = await t.http.get(`/api/v1/snapshots/${id}/connectivity?format=txt`);
    expect(res.status).toBe(200);
    expect(res.text).toBe(expectedTxt(name));
  });

  /** Pairs of 6 workloads spread over the list, with the destination's declared ports (by number and by name) and 80. */
  function probes(snapshot: Snapshot): { from: PeerSpec; to: PeerSpec; port: string; protocol: 'TCP' | 'UDP' | 'SCTP' }[] {
    const step = Math.max(1, Math.ceil(snapshot.workloads.length / 6));
    const workloads = snapshot.workloads.filter((_, i) => i % step === 0);
    const out = [];
    for (const src of workloads) {
      for (const dst of workloads) {
        // Named by the top-level controller for the source, np-guard naming for the destination (both resolve).
        const from: PeerSpec = { namespace: src.namespace, name: src.topLevel.name, kind: src.topLevel.kind };
        const to: PeerSpec = { namespace: dst.namespace, name: dst.name, kind: dst.kind };
        out.push({ from, to, port: '80', protocol: 'TCP' as const });
        for (const port of dst.ports.slice(0, 2)) {
          out.push({ from, to, port: String(port.port), protocol: port.protocol });
          if (port.name) out.push({ from, to, port: port.name, protocol: port.protocol });
        }
      }
      out.push({ from: { namespace: src.namespace, name: src.topLevel.name }, to: { ip: '8.8.8.8' }, port: '443', protocol: 'TCP' as const });
      const pod = workloadPods(src)[0];
      out.push({ from: { ip: '10.11.12.13' }, to: { namespace: src.namespace, pod: pod.name }, port: '8080', protocol: 'TCP' as const });
    }
    return out;
  }

  it.each(EVAL_CASES)('reachability agrees with netpol eval: %s', async (name) => {
    const id = await upload(name);
    const { snapshot, issues } = loadSnapshot(caseDocuments(name));
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    const list = probes(snapshot);
    expect(list.length).toBeGreaterThan(10);
    for (const probe of list) {
      let expected: Json;
      try {
        expected = JSON.parse(JSON.stringify(evaluate(snapshot, probe.from, probe.to, probe.port, probe.protocol)));
      } catch (error) {
        expected = { error: (error as Error).name };
      }
      const res = await gql(t, REACHABILITY, { id, ...probe });
      const got = res.errors ? { error: 'EvaluateError', code: res.errors[0].extensions?.code } : withoutOptionalNulls(res.data!.reachability);
      if (expected.error) expect(got, JSON.stringify(probe)).toMatchObject({ error: 'EvaluateError', code: expect.stringMatching(/^(BAD_USER_INPUT|NOT_FOUND)$/) });
      else expect(got, JSON.stringify(probe)).toEqual(expected);
      answers[got.error ? 'errors' : got.allowed ? 'allowed' : 'denied']++;
    }
  });

  it('the compared probes include allowed and denied verdicts', () => {
    expect(answers.allowed).toBeGreaterThan(50);
    expect(answers.denied).toBeGreaterThan(50);
    expect(answers.errors).toBeLessThan(answers.allowed + answers.denied);
  });
});
