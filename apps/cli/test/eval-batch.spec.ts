// `netpol eval --batch`: many questions from one parse and analysis (JSON lines in, one verdict line out each, in
// order), answering exactly as the per-question `netpol eval` does; bad questions get an error line and the batch
// goes on. Runs the BUILT bin on np-guard's anp_demo (AdminNetworkPolicy, NetworkPolicy and BaselineAdminNetworkPolicy).
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(REPO_ROOT, 'apps/cli/bin/netpol.mjs');
const CORPUS = process.env.NETPOL_CONFORMANCE_DIR ?? path.resolve(import.meta.dirname, '../../../../shared/conformance/np-guard');
const INPUT = path.join(CORPUS, 'cases-anp/anp_demo/input');

function batch(lines: readonly string[], ...extra: string[]): Promise<{ stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'eval', INPUT, '--batch', ...extra], { cwd: REPO_ROOT });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, code }));
    child.stdin.end(lines.join('\n'));
  });
}

async function single(from: string, to: string, port: number, protocol: string): Promise<string> {
  const { stdout } = await run(process.execPath, [BIN, 'eval', INPUT, '--src', from, '--dst', to, '--port', String(port), '--protocol', protocol], { cwd: REPO_ROOT });
  return stdout.split('\n')[0];
}

const PODS = ['gryffindor/harry-potter', 'hufflepuff/cedric-diggory', 'ravenclaw/luna-lovegood', 'slytherin/draco-malfoy'];
const QUESTIONS = PODS.flatMap((from) => PODS.filter((to) => to !== from).flatMap((to) => [
  { from, to, port: 80, protocol: 'TCP' },
  { from, to, port: 52, protocol: 'UDP' },
]));

describe('netpol eval --batch', () => {
  it('answers every question as the per-question eval does, in order, from one process', async () => {
    const { stdout, code } = await batch(QUESTIONS.map((q) => JSON.stringify(q)));
    expect(code).toBe(0);
    const answers = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { verdict?: string });
    expect(answers).toHaveLength(QUESTIONS.length);
    const singles: string[] = [];
    for (const q of QUESTIONS) singles.push(await single(q.from, q.to, q.port, q.protocol));
    expect(answers.map((a) => a.verdict)).toEqual(singles);
    // Both verdicts occur: the demo's AdminNetworkPolicies deny and pass some of these.
    expect(new Set(singles)).toEqual(new Set(['allowed', 'denied']));
  }, 120_000);

  it('with --explain, each answer carries the explanation with its tiered steps, as `eval -o json` prints it', async () => {
    const asked = QUESTIONS.slice(0, 6);
    const { stdout, code } = await batch(asked.map((q) => JSON.stringify(q)), '--explain');
    expect(code).toBe(0);
    const answers = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { verdict: string; explanation: Record<string, any> });
    expect(answers).toHaveLength(asked.length);
    for (const [i, q] of asked.entries()) {
      const { stdout: json } = await run(process.execPath, [BIN, 'eval', INPUT, '--src', q.from, '--dst', q.to, '--port', String(q.port), '--protocol', q.protocol, '-o', 'json'], { cwd: REPO_ROOT });
      const single = JSON.parse(json);
      expect(answers[i].verdict).toBe(single.allowed ? 'allowed' : 'denied');
      expect(answers[i].explanation).toEqual(single.explanation);
      // The demo's AdminNetworkPolicies decide in the admin tier: every answer names its deciding steps.
      for (const side of ['egress', 'ingress']) expect(Array.isArray(answers[i].explanation[side].steps), `${i} ${side}`).toBe(true);
    }
    expect(answers.some((a) => a.explanation.ingress.steps.some((s: { tier: string }) => s.tier === 'admin'))).toBe(true);
    // Without --explain the lines stay verdict-only.
    const plain = await batch(asked.map((q) => JSON.stringify(q)));
    expect(plain.stdout.trimEnd().split('\n').map((l) => Object.keys(JSON.parse(l)))).toEqual(asked.map(() => ['verdict']));
  }, 120_000);

  it('answers a bad question with an error line and goes on', async () => {
    const { stdout, code } = await batch([
      '{"from":"gryffindor/harry-potter","to":"nowhere/nobody","port":80}',
      'not json',
      '{"from":"gryffindor/harry-potter","to":"ravenclaw/luna-lovegood","port":80,"protocol":"TCP"}',
    ]);
    expect(code).toBe(0);
    const answers = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(answers.map((a) => Object.keys(a))).toEqual([['error'], ['error'], ['verdict']]);
    expect(answers[2].verdict).toBe(await single('gryffindor/harry-potter', 'ravenclaw/luna-lovegood', 80, 'TCP'));
  }, 60_000);
});
