// `netpol diff --staged <snapshot>` on the BUILT bin: what would change if the snapshot's staged policies were
// enforced, with causes; usage errors.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runNetpol, type NetpolRun } from './run-netpol.js';
import { shopCluster } from '../../../tools/testing/shop-cluster.js';

const dir = mkdtempSync(path.join(tmpdir(), 'netpol-staged-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const netpol = (args: string[]): Promise<NetpolRun> => runNetpol(args);

const CLUSTER =
  shopCluster([['web', 8080], ['db', 5432]]) +
  `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-open, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{}]
`;
const STAGED = `
---
apiVersion: projectcalico.org/v3
kind: StagedKubernetesNetworkPolicy
metadata: {name: db-open, namespace: shop}
spec:
  stagedAction: Set
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 5432}]}]
`;

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('netpol diff --staged', () => {
  it('prints the diff between the live snapshot and the one with staged policies enforced, with causes', async () => {
    const file = write('staged.yaml', CLUSTER + STAGED);
    const { stdout, stderr, code } = await netpol(['diff', '--staged', file]);
    expect(code).toBe(0);
    expect(stderr).toContain('staged: StagedKubernetesNetworkPolicy shop/db-open replaces NetworkPolicy shop/db-open\n');
    // The staged policy narrows db's ingress: web keeps 5432 only, the outside loses everything.
    expect(stdout).toContain('diff-type: changed, source: shop/web[Deployment], destination: shop/db[Deployment], live: All Connections, staged: TCP 5432');
    expect(stdout).toMatch(/diff-type: removed, source: 0\.0\.0\.0-255\.255\.255\.255\[External\], destination: shop\/db\[Deployment\]/);
    expect(stdout).toContain('NetworkPolicy shop/db-open');
    const json = JSON.parse((await netpol(['diff', '--staged', file, '-o', 'json'])).stdout) as unknown;
    expect(JSON.stringify(json)).toContain('db-open');
  });

  it('promotes Calico staged policies, and names what the diff cannot apply (a Deny limited to source ports)', async () => {
    const calico = `
---
apiVersion: projectcalico.org/v3
kind: StagedGlobalNetworkPolicy
metadata: {name: db-from-web}
spec:
  selector: app == 'db'
  types: [Ingress]
  ingress: [{action: Deny, protocol: TCP, source: {ports: [1234]}}, {action: Allow, source: {selector: app == 'web'}}]
`;
    const { stdout, stderr, code } = await netpol(['diff', '--staged', write('calico.yaml', CLUSTER + calico)]);
    expect(code).toBe(0);
    expect(stderr).toContain('staged: StagedGlobalNetworkPolicy db-from-web creates GlobalNetworkPolicy db-from-web\n');
    expect(stderr).toContain('warning: GlobalNetworkPolicy db-from-web: spec.ingress[0] (Deny) decides only connections from source ports 1234');
    // The live NetworkPolicy db-open (order 1000 in Calico's default tier) admits everything before the unordered
    // Calico policy is reached: enforcing it changes no connection.
    expect(stdout).not.toContain('diff-type');
    expect(stdout).toContain('GlobalNetworkPolicy db-from-web');
  });

  it('does not call the staged policies "kept but not analysed" in --staged mode (it analyses them), in a List too; a plain diff still does', async () => {
    const file = write('staged-quiet.yaml', CLUSTER + STAGED);
    const staged = await netpol(['diff', '--staged', file]);
    expect(staged.code).toBe(0);
    expect(staged.stderr).toBe('staged: StagedKubernetesNetworkPolicy shop/db-open replaces NetworkPolicy shop/db-open\n');
    // The same objects as one JSON List: the warning is found by its location (items[3]), not by its text.
    const items = CLUSTER.concat(STAGED).split(/^---$/m).filter((d) => d.trim() !== '').map((d) => parseYaml(d) as unknown);
    const listFile = write('staged-list.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    const fromList = await netpol(['diff', '--staged', listFile]);
    expect(fromList.code).toBe(0);
    expect(fromList.stderr).toBe('staged: StagedKubernetesNetworkPolicy shop/db-open replaces NetworkPolicy shop/db-open\n');
    // Outside --staged the warning is true (a plain diff does not analyse staged policies): kept.
    const plain = await netpol(['diff', file, file]);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toContain('StagedKubernetesNetworkPolicy (projectcalico.org/v3) is kept but not analysed yet');
  });

  it('a snapshot without staged policies: nothing would change, and it says so', async () => {
    const file = write('live.yaml', CLUSTER);
    const { stdout, stderr, code } = await netpol(['diff', '--staged', file]);
    expect(code).toBe(0);
    expect(stderr).toBe('no staged policy in the snapshot: nothing would change\n');
    expect(stdout).not.toContain('diff-type');
  });

  it('refuses two snapshots with --staged, and one without it (exit 2)', async () => {
    const file = write('one.yaml', CLUSTER);
    const two = await netpol(['diff', '--staged', file, file]);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('give one snapshot, not two');
    const one = await netpol(['diff', file]);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain("missing required argument 'new'");
  });

  it('a staged policy the live kind refuses is reported with its location (exit 2)', async () => {
    const file = write('bad.yaml', `${CLUSTER}${STAGED.replace('stagedAction: Set', 'stagedAction: Later')}`);
    const { stderr, code } = await netpol(['diff', '--staged', file]);
    expect(code).toBe(2);
    expect(stderr).toContain('spec.stagedAction');
  });
});
