// Shared set-up for the collector tests: a temp kubeconfig and an in-memory CollectIo.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CollectIo } from '../src/collect/run.js';
import { kubeconfigYaml } from './collect-fake-apiserver.js';

export const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.collector-test-token';
export const NOW = new Date('2026-11-27T10:00:00.000Z');

export interface TempDir {
  readonly dir: string;
  write(name: string, text: string): string;
  remove(): void;
}

export function tempDir(): TempDir {
  const dir = mkdtempSync(path.join(tmpdir(), 'netpol-collect-'));
  return {
    dir,
    write: (name, text) => {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function writeKubeconfig(tmp: TempDir, server: string, options: Parameters<typeof kubeconfigYaml>[2] = {}, token = TOKEN): string {
  return tmp.write('kubeconfig.yaml', kubeconfigYaml(server, token, options));
}

export interface BufferIo extends CollectIo {
  stdout: string;
  stderr: string;
  readonly sleeps: number[];
}

export function bufferIo(options: { tty?: boolean } = {}): BufferIo {
  const io: BufferIo = {
    stdout: '',
    stderr: '',
    sleeps: [],
    stderrIsTTY: options.tty === true,
    writeStdout: async (text) => {
      io.stdout += text;
    },
    writeStderr: (text) => {
      io.stderr += text;
    },
    now: () => NOW,
    sleep: async (ms) => {
      io.sleeps.push(ms);
    },
  };
  return io;
}

export const DEFAULTS = { chunkSize: 500, requestTimeout: 10 } as const;

/** (apiVersion, kind, namespace, name) of each item, in snapshot order. */
export function identities(list: { items: Array<Record<string, any>> }): string[] {
  return list.items.map((o) => [o.apiVersion, o.kind, o.metadata?.namespace ?? '', o.metadata?.name].join(' '));
}

/** A loopback port nothing listens on (bound, then released). */
export function closedLoopbackPort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
