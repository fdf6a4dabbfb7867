// ICMP through the diff: with a dialect that can allow some ICMP messages (Cilium's `icmps`), a change of ICMP alone is a
// changed pair, printed, counted as lost or gained by the CI gate, explained by its policy, and the factorised
// diff agrees with the exhaustive one and with the row diff of the enumerated connectivity.
import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis/analyze.js';
import { parseManifests } from '../manifest/parse-manifests.js';
import { buildSnapshot } from '../model/snapshot.js';
import { connectivityView } from './analysis-view.js';
import { diff, diffWithCauses } from './api.js';
import { checkDiff } from './check.js';
import { diffToJson, formatDiff } from './format.js';
import { diffConnectivity } from './pair-diff.js';

const BASE = [
  ...['a', 'b'].map((ns) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}, labels: {team: ${ns}}}\n`),
  ...[
    ['a', 'client', '10.0.0.1'],
    ['b', 'server', '10.0.0.2'],
  ].map(([ns, name, ip]) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: {app: ${name}}}\nspec: {containers: [{name: c}]}\nstatus: {podIP: ${ip}}\n`),
];

const FROM_CLIENT = '{matchLabels: {app: client, io.kubernetes.pod.namespace: a}}';

/** A Cilium policy on the server admitting the client on TCP 8080, plus the given ICMP rules. */
const serverPolicy = (icmpRules: string) =>
  `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: server-in, namespace: b}\nspec:\n  endpointSelector: {matchLabels: {app: server}}\n  ingress:\n` +
  `  - fromEndpoints: [${FROM_CLIENT}]\n    toPorts: [{ports: [{port: "8080", protocol: TCP}]}]\n` +
  icmpRules;

const icmpRule = (type: number) => `  - fromEndpoints: [${FROM_CLIENT}]\n    icmps: [{fields: [{type: ${type}, family: IPv4}]}]\n`;
const ECHO = icmpRule(8);
const ECHO_REPLY = icmpRule(0);

function side(policy: string) {
  const parsed = parseManifests([{ path: 'in.yaml', text: [...BASE, policy].join('---\n') }]);
  expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
  return { objects: parsed.objects, analysis: analyze(buildSnapshot(parsed.objects).snapshot) };
}

const CLIENT_TO_SERVER = 'a/client[Pod] => b/server[Pod]';
const lines = (d: ReturnType<typeof diff>) =>
  d.pairs.map((p) => `${p.type} ${p.src.kind === 'workload' ? p.src.key : 'ip'} => ${p.dst.kind === 'workload' ? p.dst.key : 'ip'}`);

describe('a diff where only ICMP changes', () => {
  it('echo request no longer allowed: a changed pair, ICMP lost, TCP kept', () => {
    const before = side(serverPolicy(ECHO));
    const after = side(serverPolicy(''));
    const d = diff(before.analysis, after.analysis);
    expect(lines(d)).toEqual([`changed ${CLIENT_TO_SERVER}`]);
    expect(formatDiff(d, 'txt')).toBe(
      'Connectivity diff:\n' +
        'diff-type: changed, source: a/client[Pod], destination: b/server[Pod], ref1: ICMP type 8,TCP 8080, ref2: TCP 8080\n',
    );
    const json = diffToJson(d) as { pairs: { gained: unknown[]; lost: unknown[] }[] };
    expect(json.pairs[0].gained).toEqual([]);
    expect(json.pairs[0].lost).toEqual([{ protocol: 'ICMP', messages: 'ICMP type 8' }]);
    // the CI gate: ICMP lost is a removal, nothing was added
    expect(checkDiff(d, 'removed').passed).toBe(false);
    expect(checkDiff(d, 'added').passed).toBe(true);
  });

  it('echo request swapped for echo reply: gained and lost are both ICMP', () => {
    const d = diff(side(serverPolicy(ECHO)).analysis, side(serverPolicy(ECHO_REPLY)).analysis);
    expect(formatDiff(d, 'csv')).toBe(
      'diff-type,source,destination,ref1,ref2,workloads-diff-info\n' +
        'changed,a/client[Pod],b/server[Pod],"ICMP type 8,TCP 8080","ICMP type 0,TCP 8080",\n',
    );
    const json = diffToJson(d) as { pairs: { gained: unknown[]; lost: unknown[] }[] };
    expect(json.pairs[0].gained).toEqual([{ protocol: 'ICMP', messages: 'ICMP type 0' }]);
    expect(json.pairs[0].lost).toEqual([{ protocol: 'ICMP', messages: 'ICMP type 8' }]);
  });

  it('the factorised diff equals the exhaustive one and the row diff of the enumerated connectivity', () => {
    const a = side(serverPolicy(ECHO)).analysis;
    const b = side(serverPolicy(ECHO_REPLY)).analysis;
    const keys = (d: ReturnType<typeof diff>) => d.pairs.map((p) => [p.type, p.old.key, p.new.key]);
    expect(keys(diff(a, b, { exhaustive: true }))).toEqual(keys(diff(a, b)));
    expect(keys(diffConnectivity(connectivityView(a), connectivityView(b)))).toEqual(keys(diff(a, b)));
    expect(diff(a, b).pairs[0].old.containsIcmp('ICMP', 8, 0)).toBe(true);
  });

  it('the ICMP rule is named as the cause', () => {
    const { diff: d } = diffWithCauses(side(serverPolicy(ECHO)), side(serverPolicy('')));
    expect(d.pairs).toHaveLength(1);
    expect(d.pairs[0].causes?.map((c) => c.summary)).toEqual([expect.stringContaining('server-in')]);
  });
});
