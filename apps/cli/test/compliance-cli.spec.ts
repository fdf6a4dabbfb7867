// netpol lint / check --intents / report / probe-plan on the demo cluster: exit codes, golden files for every
// report format of every framework and for the probe plan (set UPDATE_GOLDEN=1 to rewrite them after a
// deliberate change), the probe script run against a fake kubectl.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FRAMEWORK_IDS, formatReport } from '@netpol-atlas/engine';
import { afterAll, describe, expect, it } from 'vitest';
import { runReport, type ReportFormat, type ReportIoBinary } from '../src/commands/report.js';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../bin/netpol.mjs');
const ROOT = path.resolve(import.meta.dirname, '../../..');
const DEMO = path.join(ROOT, 'apps/api/data/demo');
const INTENTS = path.join(ROOT, 'apps/api/data/demo-intents.yaml');
const GOLDEN = path.join(import.meta.dirname, 'golden', 'compliance');
const AT = '2026-12-01T00:00:00Z';
const update = process.env.UPDATE_GOLDEN === '1';
const scratch = mkdtempSync(path.join(tmpdir(), 'netpol-compliance-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function netpol(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env, maxBuffer: 1 << 26 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : -1 };
  }
}

function golden(name: string, actual: Uint8Array | string): void {
  const file = path.join(GOLDEN, name);
  const bytes = typeof actual === 'string' ? Buffer.from(actual, 'utf8') : Buffer.from(actual);
  if (update || !existsSync(file)) {
    if (!update) throw new Error(`missing golden ${name}: run with UPDATE_GOLDEN=1`);
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, bytes);
  }
  expect(bytes.equals(readFileSync(file)), `${name} differs from its golden file`).toBe(true);
}

function captureIo(): ReportIoBinary & { out: Buffer[]; err: string[] } {
  const out: Buffer[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    writeStdout: async (text) => void out.push(Buffer.from(text, 'utf8')),
    writeStdoutBytes: async (bytes) => void out.push(Buffer.from(bytes)),
    writeStderr: (text) => void err.push(text),
  };
}

describe('netpol report: golden files for the demo cluster, every framework and format', () => {
  const formats: ReportFormat[] = ['json', 'md', 'html', 'csv', 'pdf'];
  for (const framework of FRAMEWORK_IDS) {
    it(`${framework}: json, md, html, csv, pdf`, async () => {
      for (const format of formats) {
        const io = captureIo();
        const code = await runReport([DEMO], { framework, output: format, intents: INTENTS, at: AT, cluster: 'demo' }, io);
        expect(io.err).toEqual([]);
        expect(code).toBe(0);
        const bytes = Buffer.concat(io.out);
        golden(`demo-${framework}.${format}`, bytes);
        if (format === 'pdf') {
          expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
          expect(bytes.includes(Buffer.from('D:20261201000000Z'))).toBe(true); // CreationDate: the report's time
        }
      }
    });
  }

  it('the bin prints the same bytes as the in-process run (pdf on stdout), and the CDE by default is pci=cde', async () => {
    const pdf = await netpol(['report', DEMO, '--framework', 'pci-dss-4.0', '--intents', INTENTS, '--at', AT, '--cluster', 'demo', '-o', 'md']);
    expect(pdf.code).toBe(0);
    expect(pdf.stdout).toBe(readFileSync(path.join(GOLDEN, 'demo-pci-dss-4.0.md'), 'utf8'));
    const convention = await netpol(['report', DEMO, '--framework', 'pci-dss-4.0', '--at', AT, '-o', 'json']);
    const report = JSON.parse(convention.stdout);
    expect(report.intents).toMatchObject({ source: 'cde-selector', name: 'cde pci=cde' });
    expect(report.intents.zones[0].members).toContain('production/backend[Deployment]');
    // An auditor reads where the CDE came from without the docs: the selector in words, and whether it was the default.
    const conventionMd = await netpol(['report', DEMO, '--framework', 'pci-dss-4.0', '--at', AT, '-o', 'md']);
    expect(conventionMd.stdout).toContain('\n- CDE: namespaces labelled pci=cde (default convention; set --cde or intents to change)\n- Zones: cde = production/');
    const chosen = await netpol(['report', DEMO, '--framework', 'pci-dss-4.0', '--at', AT, '--cde', 'pod:app=backend', '-o', 'html']);
    expect(chosen.stdout).toContain('<li>CDE: pods labelled app=backend (chosen with --cde)</li>');
    // The default's selector given explicitly is the user's choice too: said so, and recorded in the json.
    const explicit = await netpol(['report', DEMO, '--framework', 'pci-dss-4.0', '--at', AT, '--cde', 'pci=cde', '-o', 'json']);
    expect(JSON.parse(explicit.stdout).intents).toMatchObject({ source: 'cde-selector', name: 'cde pci=cde', selectorGiven: true });
    expect(formatReport(JSON.parse(explicit.stdout), 'md')).toContain('\n- CDE: namespaces labelled pci=cde (chosen with --cde)\n');
    expect(report.intents.selectorGiven).toBeUndefined();
    const bad = await netpol(['report', DEMO, '--framework', 'pci-dss-4.0', '--cde', 'not a selector']);
    expect(bad.code).toBe(2);
  });

  it('the capture time is --captured-at, never the report time: without it the report says it is not given', async () => {
    const args = ['report', DEMO, '--framework', 'pci-dss-4.0', '--intents', INTENTS, '--at', AT, '--cluster', 'demo'];
    const plain = JSON.parse(readFileSync(path.join(GOLDEN, 'demo-pci-dss-4.0.json'), 'utf8'));
    expect(plain.snapshot.capturedAt).toBeUndefined();
    expect(readFileSync(path.join(GOLDEN, 'demo-pci-dss-4.0.md'), 'utf8')).toContain('- Snapshot: cluster demo, capture time: not given (use --captured-at), content SHA-256 ');
    const captured = '2026-11-30T08:15:00Z';
    const json = JSON.parse((await netpol([...args, '-o', 'json', '--captured-at', captured])).stdout);
    expect(json.snapshot).toEqual({ ...plain.snapshot, capturedAt: '2026-11-30T08:15:00.000Z' });
    const md = await netpol([...args, '-o', 'md', '--captured-at', captured]);
    expect(md.stdout).toContain(`- Snapshot: cluster demo, captured 2026-11-30T08:15:00.000Z, content SHA-256 ${plain.snapshot.contentSha256}\n`);
  });

  it('--cni runs the analysis under that profile and records it (json, md, html); without --cni the goldens stay', async () => {
    const args = ['report', DEMO, '--framework', 'pci-dss-4.0', '--intents', INTENTS, '--at', AT, '--cluster', 'demo'];
    const plain = JSON.parse(readFileSync(path.join(GOLDEN, 'demo-pci-dss-4.0.json'), 'utf8'));
    expect(plain.snapshot.cniProfile).toBeUndefined();

    const flannel = await netpol([...args, '-o', 'json', '--cni', 'flannel']);
    expect(flannel.code, flannel.stderr).toBe(0);
    const report = JSON.parse(flannel.stdout);
    expect(report.snapshot).toEqual({ ...plain.snapshot, cniProfile: 'flannel' });
    // flannel enforces no policy: the segmentation controls the demo passes now fail.
    expect(report.summary.pass).toBeLessThan(plain.summary.pass);

    // The default profile chosen explicitly: the same verdicts as the golden, only the profile recorded.
    const npGuard = JSON.parse((await netpol([...args, '-o', 'json', '--cni', 'np-guard'])).stdout);
    expect(npGuard).toEqual({ ...plain, snapshot: { ...plain.snapshot, cniProfile: 'np-guard' } });

    const md = await netpol([...args, '-o', 'md', '--cni', 'flannel']);
    expect(md.stdout).toContain(`- Snapshot: cluster demo, capture time: not given (use --captured-at), content SHA-256 ${plain.snapshot.contentSha256}, CNI profile flannel\n`);
    expect((await netpol([...args, '-o', 'html', '--cni', 'flannel'])).stdout).toContain('CNI profile flannel</li>');

    const unknown = await netpol([...args, '--cni', 'weave']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("option '--cni <name>' argument 'weave' is invalid");
  });

  it('the demo intents are the same file the engine tests', () => {
    expect(readFileSync(INTENTS, 'utf8')).toBe(readFileSync(path.join(ROOT, 'libs/engine/test/fixtures/demo-intents.yaml'), 'utf8'));
  });
});

describe('netpol check --intents', () => {
  it('exits 1 on the demo (backend sends DNS anywhere), naming the connection and the rule', async () => {
    const r = await netpol(['check', DEMO, '--intents', INTENTS, '--at', AT]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'production/backend[Deployment] => monitoring/prometheus[Deployment] : TCP 53,UDP 53 (cde -> unzoned); egress: production/backend-egress spec.egress[0]',
    );
  });

  it('exits 0 on the fixed demo, 1 again once the exception has expired, 2 on an invalid intents file', async () => {
    const fixed = path.join(scratch, 'fixed');
    mkdirSync(fixed);
    for (const f of ['00-namespaces.yaml', '10-production-workloads.yaml', '20-platform-workloads.yaml']) writeFileSync(path.join(fixed, f), readFileSync(path.join(DEMO, f)));
    const policies = readFileSync(path.join(DEMO, '30-production-policies.yaml'), 'utf8').replace(
      '    - to: []\n',
      '    - to:\n        - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }\n          podSelector: { matchLabels: { k8s-app: kube-dns } }\n',
    );
    writeFileSync(path.join(fixed, '30-production-policies.yaml'), policies);
    expect((await netpol(['check', fixed, '--intents', INTENTS, '--at', AT])).code).toBe(0);
    const expired = await netpol(['check', DEMO, '--intents', INTENTS, '--at', '2027-07-01T00:00:00Z', '-o', 'json']);
    expect(expired.code).toBe(1);
    expect(JSON.parse(expired.stdout).expiredExceptions).toHaveLength(1);
    const badFile = path.join(scratch, 'bad.yaml');
    writeFileSync(badFile, 'apiVersion: netpol-atlas/v1\nkind: SegmentationIntents\nzones:\n  - name: cde\n');
    const bad = await netpol(['check', DEMO, '--intents', badFile]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`error: ${badFile}:4 zones[0]: a zone needs namespaceSelector, namespaces, podSelector or ipBlocks [MISSING_FIELD]`);
  });
});

describe('netpol lint', () => {
  it('SARIF names files relative to the current directory against %SRCROOT% (code scanning); a file outside it by its file:// URI', async () => {
    const locations = async (cwd: string) => {
      const out = await run(process.execPath, [bin, 'lint', DEMO, '-o', 'sarif', '--fail-on', 'never'], { cwd, maxBuffer: 1 << 26 });
      const sarif = JSON.parse(out.stdout) as { runs: { results: { locations: { physicalLocation?: { artifactLocation: unknown } }[] }[] }[] };
      return [...new Set(sarif.runs[0].results.map((r) => JSON.stringify(r.locations[0].physicalLocation?.artifactLocation)))];
    };
    const inRepo = await locations(ROOT);
    expect(inRepo).toContain(JSON.stringify({ uri: 'apps/api/data/demo/30-production-policies.yaml', uriBaseId: '%SRCROOT%' }));
    expect(inRepo.every((l) => JSON.parse(l).uriBaseId === '%SRCROOT%' && !JSON.parse(l).uri.startsWith('/'))).toBe(true);
    const elsewhere = await locations(scratch);
    expect(elsewhere).toContain(JSON.stringify({ uri: `file://${path.join(DEMO, '30-production-policies.yaml')}` }));
  });

  it('exits 1 at --fail-on error on the demo (DNS outage), 0 with --fail-on never; SARIF on stdout', async () => {
    const failing = await netpol(['lint', DEMO, '-o', 'sarif']);
    expect(failing.code).toBe(1);
    const sarif = JSON.parse(failing.stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.some((r: { ruleId: string }) => r.ruleId === 'dns-unreachable')).toBe(true);
    expect((await netpol(['lint', DEMO, '--fail-on', 'never'])).code).toBe(0);
    const suppressions = path.join(scratch, 'suppressions.yaml');
    writeFileSync(
      suppressions,
      'apiVersion: netpol-atlas/v1\nkind: LintSuppressions\nsuppressions:\n' +
        ['redis', 'db-backup'].map((n) => `  - { rule: dns-unreachable, object: production/${n}, reason: batch job without DNS, expires: "2027-01-31" }\n`).join(''),
    );
    const suppressed = await netpol(['lint', DEMO, '--suppressions', suppressions, '--at', AT, '-o', 'json']);
    expect(suppressed.code).toBe(0);
    expect(JSON.parse(suppressed.stdout).summary).toMatchObject({ errors: 0, suppressed: 2 });
  });
});

describe('netpol probe-plan', () => {
  it('matches its golden files, is bash -n clean, states its coverage', async () => {
    const sh = await netpol(['probe-plan', DEMO, '--zone', 'cde']);
    expect(sh.code).toBe(0);
    golden('demo-probe-plan-cde.sh', sh.stdout);
    const json = await netpol(['probe-plan', DEMO, '--zone', 'cde', '-o', 'json']);
    golden('demo-probe-plan-cde.json', json.stdout);
    const plan = JSON.parse(json.stdout);
    expect(plan.coverage.rules.covered).toBe(plan.coverage.rules.total);
    expect(plan.coverage.boundaries.covered).toBe(plan.coverage.boundaries.total);
    const script = path.join(scratch, 'plan.sh');
    writeFileSync(script, sh.stdout);
    await run('bash', ['-n', script]);
    expect(sh.stdout).toContain(`cover ${plan.coverage.rules.covered} of ${plan.coverage.rules.total} allowing rules`);
  });

  it('the script compares expected with observed and exits with the number of mismatches', async () => {
    const { stdout } = await netpol(['probe-plan', DEMO, '--zone', 'cde', '-o', 'json']);
    const plan = JSON.parse(stdout) as { probes: { id: string; expected: string; port: number; kind: string }[] };
    const sh = (await netpol(['probe-plan', DEMO, '--zone', 'cde'])).stdout;
    // A fake kubectl: every pod exists; `exec` connects on every port but 5432, so the positive probe to the
    // database's 5432 fails, and every negative probe (expected to time out) on another port "connects".
    const fakeBin = path.join(scratch, 'bin');
    mkdirSync(fakeBin, { recursive: true });
    writeFileSync(
      path.join(fakeBin, 'kubectl'),
      '#!/usr/bin/env bash\ncase "$1" in\n  get) echo "10.0.0.1" ;;\n  exec) for a in "$@"; do last="$a"; done; [ "$last" != "5432" ] ;;\nesac\n',
    );
    chmodSync(path.join(fakeBin, 'kubectl'), 0o755);
    const script = path.join(scratch, 'run.sh');
    writeFileSync(script, sh);
    const expectedMismatches = plan.probes.filter((p) => (p.kind === 'dns' ? 'connect' : p.port === 5432 ? 'blocked' : 'connect') !== p.expected).length;
    expect(expectedMismatches).toBeGreaterThan(0);
    let code = 0;
    let out: string;
    try {
      out = (await run('bash', [script], { env: { ...process.env, PATH: `${fakeBin}:${process.env.PATH}` } })).stdout;
    } catch (error) {
      const e = error as { code: number; stdout: string };
      code = e.code;
      out = e.stdout;
    }
    expect(code).toBe(expectedMismatches);
    expect(out).toContain(`mismatches: ${expectedMismatches}`);
    expect(out).toMatch(/^P01 (ok|MISMATCH) +expected=connect +observed=(connect|blocked)/m);
  });
});
