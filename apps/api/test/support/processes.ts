import type { ChildProcess } from 'node:child_process';
import path from 'node:path';

export const API_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const REPO_ROOT = path.resolve(API_ROOT, '..', '..');

/** Resolves with the match of the first stdout line matching `pattern`; rejects on exit or timeout. */
export function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let output = '';
    const timer = setTimeout(() => finish(new Error(`no line matching ${pattern} within ${timeoutMs} ms; output:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const match = pattern.exec(line.trim());
        if (match) return finish(undefined, match);
      }
    };
    const onExit = (code: number | null) => finish(new Error(`process exited (${code}) before printing ${pattern}; output:\n${output}`));
    function finish(error?: Error, match?: RegExpMatchArray) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(match!);
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}
