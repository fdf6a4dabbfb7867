// `node tools/bench/dist/tools/bench/profile-summary.js FILE.cpuprofile [N]`: the N functions with the most self time in a
// V8 CPU profile (written by `node --cpu-prof`), as a plain table — enough to see where a bench size spends time.
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

const [file, topText] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-summary FILE.cpuprofile [N]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const msPerSample = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length);
const selfMs = new Map<string, number>();
for (const node of profile.nodes) {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${path.basename(url)}:${lineNumber + 1}` : '';
  const key = `${functionName || '(anonymous)'} ${where}`.trim();
  selfMs.set(key, (selfMs.get(key) ?? 0) + (node.hitCount ?? 0) * msPerSample);
}
const total = [...selfMs.values()].reduce((a, b) => a + b, 0);
const rows = [...selfMs.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, Number(topText ?? 25));
console.log(`${path.basename(file)}: ${Math.round(total)} ms sampled`);
for (const [name, ms] of rows) console.log(`${String(Math.round(ms)).padStart(7)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${name}`);
