// np-guard output rules that no corpus case exercises (or only one does), on small inputs of our own:
// fixtures/np-guard-rules/<case>/ (README.md there names the FORMAT.md rule or np-guard fact each case pins).
// The BUILT `netpol` bin as a child process, stdout compared byte for byte with the case's expected files:
//   input/ + expected.txt|json                 `list` (plain, -o json)
//   input/ + expected.exposure.txt|json        `list --exposure` (-o json)
//   input/ + expected.explain.txt              `list --explain`
//   old/ new/ + expected.txt|csv|md            `diff` (-o csv|md; md as np-guard writes it, without a final newline)
// Then `eval --batch` is asked about every ordered pair of each list case (workloads, and IP ranges by their first
// address), on the edges of every allowed port range and the ports next to them: its verdicts must agree with the listing;
// and `eval -o json` about one port of every class of each `--explain` case: the same verdict per side, and every
// NetworkPolicy rule the explanation cites as allowing among eval's `allowedBy`.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNetpol } from './run-netpol.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures/np-guard-rules');
const cases = readdirSync(FIXTURES)
  .filter((name) => statSync(path.join(FIXTURES, name)).isDirectory())
  .sort();

const read = (file: string) => readFileSync(file, 'utf8');

/** np-guard's md has no final newline; on stdout the CLI ends a non-empty report with one (README, The CLI). */
const mdOnStdout = (expected: string) => (expected === '' ? '' : `${expected}\n`);

interface Run {
  readonly file: string;
  readonly args: (dir: string) => string[];
  readonly expected: (text: string) => string;
}

const RUNS: readonly Run[] = [
  { file: 'expected.txt', args: (dir) => (existsSync(path.join(dir, 'old')) ? ['diff', `${dir}/old`, `${dir}/new`] : ['list', `${dir}/input`]), expected: (t) => t },
  { file: 'expected.json', args: (dir) => ['list', `${dir}/input`, '-o', 'json'], expected: (t) => t },
  { file: 'expected.exposure.txt', args: (dir) => ['list', `${dir}/input`, '--exposure'], expected: (t) => t },
  { file: 'expected.exposure.json', args: (dir) => ['list', `${dir}/input`, '--exposure', '-o', 'json'], expected: (t) => t },
  { file: 'expected.explain.txt', args: (dir) => ['list', `${dir}/input`, '--explain'], expected: (t) => t },
  { file: 'expected.csv', args: (dir) => ['diff', `${dir}/old`, `${dir}/new`, '-o', 'csv'], expected: (t) => t },
  { file: 'expected.md', args: (dir) => ['diff', `${dir}/old`, `${dir}/new`, '-o', 'md'], expected: mdOnStdout },
];

describe('np-guard rules beyond the corpus (fixtures/np-guard-rules)', () => {
  it('finds the cases, each with an input and at least one expected output', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
    for (const name of cases) {
      const dir = path.join(FIXTURES, name);
      expect(existsSync(path.join(dir, 'input')) || existsSync(path.join(dir, 'old')), name).toBe(true);
      expect(RUNS.some((r) => existsSync(path.join(dir, r.file))), name).toBe(true);
    }
    const readme = read(path.join(FIXTURES, 'README.md'));
    for (const name of cases) expect(readme, `README.md describes ${name}`).toContain(`\`${name}\``);
  });

  const runs = cases.flatMap((name) => RUNS.filter((r) => existsSync(path.join(FIXTURES, name, r.file))).map((r) => [name, r.file, r] as const));
  it.each(runs)('%s: %s', async (name, file, run) => {
    const dir = path.join(FIXTURES, name);
    const result = await runNetpol(run.args(dir));
    expect({ code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toBe(run.expected(read(path.join(dir, file))));
  });
});

// ---- list vs eval: the same verdicts ----

interface Row {
  readonly src: string;
  readonly dst: string;
  readonly conn: string;
}

type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** The ports a connection text allows, per protocol (`All Connections`: every port of the three). */
function allowedPorts(conn: string): Map<Protocol, [number, number][]> {
  const out = new Map<Protocol, [number, number][]>();
  if (conn === 'All Connections') {
    for (const p of ['TCP', 'UDP', 'SCTP'] as const) out.set(p, [[1, 65535]]);
    return out;
  }
  let current: Protocol | undefined;
  for (const token of conn.split(',')) {
    const m = /^(TCP|UDP|SCTP) (.*)$/.exec(token);
    if (m) current = m[1] as Protocol;
    const [from, to] = (m ? m[2] : token).split('-').map(Number);
    out.set(current!, [...(out.get(current!) ?? []), [from, to ?? from]]);
  }
  return out;
}

const allows = (ranges: Map<Protocol, [number, number][]> | undefined, protocol: Protocol, port: number) =>
  (ranges?.get(protocol) ?? []).some(([from, to]) => port >= from && port <= to);

const isIp = (name: string) => name.endsWith('[External]');
/** What eval takes: `ns/name[Kind]` as it is, an IP range by its first address. */
const peerArg = (name: string) => (isIp(name) ? name.slice(0, name.indexOf('-')) : name);

describe('list and eval agree on every pair of the listing (fixtures/np-guard-rules list cases)', () => {
  const listCases = cases.filter((name) => existsSync(path.join(FIXTURES, name, 'input')) && existsSync(path.join(FIXTURES, name, 'expected.txt')));

  it('has list cases', () => {
    expect(listCases.length).toBeGreaterThanOrEqual(5);
  });

  it.each(listCases)('%s', async (name) => {
    const input = path.join(FIXTURES, name, 'input');
    const rows = read(path.join(FIXTURES, name, 'expected.txt'))
      .split('\n')
      .filter((line) => line !== '')
      .map((line): Row => {
        const [pair, conn] = line.split(' : ');
        const [src, dst] = pair.split(' => ');
        return { src, dst, conn };
      });
    const workloads = [...new Set(rows.flatMap((r) => [r.src, r.dst]).filter((p) => !isIp(p)))].sort();
    // IP ranges as the listing names them: source ranges on the left, destination ranges on the right.
    const sources = [...workloads, ...new Set(rows.map((r) => r.src).filter(isIp))];
    const destinations = [...workloads, ...new Set(rows.map((r) => r.dst).filter(isIp))];
    const byPair = new Map(rows.map((r) => [`${r.src}\u0000${r.dst}`, allowedPorts(r.conn)]));
    // Probe ports: the edges of every allowed range and their neighbours, plus a few fixed ones.
    const probes = new Set<string>(['TCP 80', 'UDP 53', 'SCTP 7000', 'TCP 65535']);
    for (const r of rows) {
      for (const [protocol, ranges] of allowedPorts(r.conn)) {
        for (const [from, to] of ranges) for (const port of [from - 1, from, to, to + 1]) if (port >= 1 && port <= 65535) probes.add(`${protocol} ${port}`);
      }
    }
    const questions: { from: string; to: string; port: number; protocol: Protocol; expected: boolean }[] = [];
    for (const src of sources) {
      for (const dst of destinations) {
        if (src === dst || (isIp(src) && isIp(dst))) continue;
        const ranges = byPair.get(`${src}\u0000${dst}`);
        for (const probe of probes) {
          const [protocol, port] = probe.split(' ') as [Protocol, string];
          questions.push({ from: peerArg(src), to: peerArg(dst), port: Number(port), protocol, expected: allows(ranges, protocol, Number(port)) });
        }
      }
    }
    // Every case lists something; most also leave pairs or ports out (the denied questions).
    expect(questions.some((q) => q.expected)).toBe(true);
    const stdin = questions.map(({ from, to, port, protocol }) => JSON.stringify({ from, to, port, protocol })).join('\n');
    const result = await runNetpolWithInput(['eval', input, '--batch'], stdin);
    expect(result.code).toBe(0);
    const verdicts = result.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { verdict?: string }).verdict);
    const disagreements = questions
      .map((q, i) => ({ ...q, verdict: verdicts[i] }))
      .filter((q) => q.verdict !== (q.expected ? 'allowed' : 'denied'))
      .map((q) => `${q.from} -> ${q.to} ${q.protocol} ${q.port}: list says ${q.expected ? 'allowed' : 'denied'}, eval ${q.verdict}`);
    expect(verdicts).toHaveLength(questions.length);
    expect(disagreements).toEqual([]);
  });
});

async function runNetpolWithInput(args: readonly string[], stdin: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const { spawn } = await import('node:child_process');
  const { NETPOL_BIN } = await import('./run-netpol.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NETPOL_BIN, ...args], { env: { ...process.env, NETPOL_SERVER: undefined } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

// ---- list --explain vs eval --explain: the same verdicts per side, and the cited allowing rules ----

interface ExplainClass {
  readonly src: string;
  readonly dst: string;
  readonly allowed: boolean;
  readonly protocol: Protocol;
  readonly port: number;
  /** Each direction's verdict (`Egress (Allowed)` ...) and the NetworkPolicy rules cited as allowing. */
  readonly sides: Record<'egress' | 'ingress', { allowed: boolean; allows: { namespace: string; name: string; rule: string }[] }>;
}

/** The classes of every pair block of a `list --explain` text, each with one probe port (its first). */
function explainClasses(text: string): ExplainClass[] {
  const out: ExplainClass[] = [];
  let src = '';
  let dst = '';
  let current: { -readonly [K in keyof ExplainClass]: ExplainClass[K] } | undefined;
  let side: 'egress' | 'ingress' | undefined;
  for (const line of text.split('\n')) {
    const pair = /^Connections between (.+) => (.+):$/.exec(line);
    if (pair) [, src, dst] = pair;
    const cls = /^\t(Allowed|Denied) (.+) due to (the system default \(Allow all\)|the following policies and rules:)$/.exec(line);
    if (cls) {
      const first = cls[2].split(', ')[0];
      const m = /^(TCP|UDP|SCTP)(?::\[(\d+))?/.exec(first)!;
      const allowed = cls[1] === 'Allowed';
      const byDefault = cls[3].startsWith('the system default');
      current = {
        src,
        dst,
        allowed,
        protocol: m[1] as Protocol,
        port: m[2] ? Number(m[2]) : 1,
        sides: { egress: { allowed: true, allows: [] }, ingress: { allowed: true, allows: [] } },
      };
      out.push(current);
      side = byDefault ? undefined : side;
      continue;
    }
    const dir = /^\t\t(Egress|Ingress) \((Allowed|Denied)\)/.exec(line);
    if (dir && current) {
      side = dir[1] === 'Egress' ? 'egress' : 'ingress';
      current.sides[side].allowed = dir[2] === 'Allowed';
      continue;
    }
    const rule = /NetworkPolicy '([^/']+)\/([^']+)' allows connections by (Ingress|Egress) rule #(\d+)$/.exec(line);
    if (rule && current && side) {
      current.sides[side].allows.push({ namespace: rule[1], name: rule[2], rule: `spec.${rule[3].toLowerCase()}[${Number(rule[4]) - 1}]` });
    }
  }
  return out;
}

describe('list --explain and eval agree (fixtures/np-guard-rules explain cases)', () => {
  const explainCases = cases.filter((name) => existsSync(path.join(FIXTURES, name, 'expected.explain.txt')));

  it('has explain cases', () => {
    expect(explainCases.length).toBeGreaterThanOrEqual(3);
  });

  it.each(explainCases)('%s', async (name) => {
    const input = path.join(FIXTURES, name, 'input');
    const classes = explainClasses(read(path.join(FIXTURES, name, 'expected.explain.txt')));
    expect(classes.some((c) => c.allowed)).toBe(true);
    expect(classes.some((c) => !c.allowed)).toBe(true);
    const disagreements: string[] = [];
    for (const c of classes) {
      const result = await runNetpol(['eval', input, '--src', peerArg(c.src), '--dst', peerArg(c.dst), '--port', String(c.port), '--protocol', c.protocol, '-o', 'json']);
      expect(result.code).toBe(0);
      const verdict = JSON.parse(result.stdout) as {
        allowed: boolean;
        explanation: Record<'egress' | 'ingress', { allowed: boolean; allowedBy: { namespace: string; policy: string; rule: string }[] }>;
      };
      const at = `${c.src} => ${c.dst} ${c.protocol} ${c.port}`;
      if (verdict.allowed !== c.allowed) disagreements.push(`${at}: list --explain ${c.allowed}, eval ${verdict.allowed}`);
      for (const direction of ['egress', 'ingress'] as const) {
        const evalSide = verdict.explanation[direction];
        if (evalSide.allowed !== c.sides[direction].allowed) disagreements.push(`${at} ${direction}: list --explain ${c.sides[direction].allowed}, eval ${evalSide.allowed}`);
        for (const cited of c.sides[direction].allows) {
          const found = evalSide.allowedBy.some((a) => a.namespace === cited.namespace && a.policy === cited.name && a.rule === cited.rule);
          if (!found) disagreements.push(`${at} ${direction}: ${cited.namespace}/${cited.name} ${cited.rule} cited by list --explain, not by eval`);
        }
      }
    }
    expect(disagreements).toEqual([]);
  });
});
