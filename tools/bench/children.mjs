// Child processes of the server benches (apps/api/bench, apps/dashboard/bench): one place that runs a node script to
// completion, starts a long-running one and waits for its "ready" line, and stops every child when the bench exits.
import { spawn, spawnSync } from 'node:child_process';

/** `repo` is the cwd of every child; `log` prints a progress line. */
export function benchChildren(repo, log) {
  const children = [];
  const stopChildren = () => {
    for (const child of children.reverse()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.on('exit', stopChildren);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

  /** Runs `node args…` to completion and returns its stdout; exits the bench when it fails. */
  function run(args, what) {
    const result = spawnSync(process.execPath, args, { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (result.status !== 0) {
      log(`${what} failed (exit ${result.status ?? result.signal})\n${result.stdout}${result.stderr}`);
      process.exit(1);
    }
    return result.stdout;
  }

  /** Starts `node args…` and resolves with the first stdout line matching `pattern`. */
  function startChild(args, env, pattern, what) {
    const child = spawn(process.execPath, args, { cwd: repo, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    child.stderr.on('data', (chunk) => (output += chunk));
    return new Promise((resolve, reject) => {
      let buffered = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop();
        for (const line of lines) {
          const match = pattern.exec(line.trim());
          if (match) resolve({ child, match });
        }
      });
      child.once('exit', (code) => reject(new Error(`${what} exited (${code}):\n${output}`)));
    });
  }

  return { children, run, startChild, stopChildren };
}
