// One server-URL check for every command that talks to a server: push, diff, check (--server and $NETPOL_SERVER)
// and collect --push. `localhost:4101` (no scheme) is refused before any work, with what was probably meant.
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVER, parseServerUrl, resolveServer, ServerUrlError, serverUrlProblem } from '../src/server-url.js';
import { runNetpol, type NetpolRun } from './run-netpol.js';

const REPO = path.resolve(import.meta.dirname, '../../..');
const DEMO = path.join(REPO, 'apps/api/data/demo');

const netpol = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<NetpolRun> => runNetpol(args, env);

const HINT = 'expected an http(s) URL, e.g. http://localhost:3000 (did you mean http://localhost:4101?)';

describe('server URLs', () => {
  it('accepts http(s) URLs only, and suggests the scheme for host:port', () => {
    expect(serverUrlProblem('http://localhost:4101')).toBeUndefined();
    expect(serverUrlProblem('https://atlas.example.com/base/')).toBeUndefined();
    expect(parseServerUrl('https://atlas.example.com/')).toBe('https://atlas.example.com');
    expect(serverUrlProblem('localhost:4101')).toBe(HINT);
    expect(serverUrlProblem('ftp://host')).toBe('expected an http(s) URL, e.g. http://localhost:3000');
    expect(serverUrlProblem('http://')).toBeDefined();
    expect(() => parseServerUrl('localhost:4101')).toThrow(HINT);
  });

  it('resolves --server, else $NETPOL_SERVER, else the default', () => {
    expect(resolveServer('http://a:1', { NETPOL_SERVER: 'http://b:2' })).toBe('http://a:1');
    expect(resolveServer(undefined, { NETPOL_SERVER: 'http://b:2/' })).toBe('http://b:2');
    expect(resolveServer(undefined, {})).toBe(DEFAULT_SERVER);
    expect(() => resolveServer(undefined, { NETPOL_SERVER: 'b:2' })).toThrow(ServerUrlError);
  });

  it.each([
    ['push --server', ['push', DEMO, '--cluster', 'c', '--server', 'localhost:4101'], {}],
    ['diff --server', ['diff', 'c@latest', DEMO, '--server', 'localhost:4101'], {}],
    ['check --server', ['check', DEMO, '--against', 'c@latest', '--server', 'localhost:4101'], {}],
  ])('%s localhost:4101 exits 2 with the same message', async (_name, args, env) => {
    const result = await netpol(args, env);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `error: option '--server <url>' argument 'localhost:4101' is invalid. ${HINT}\n` });
  });

  it('push with NETPOL_SERVER=localhost:4101 exits 2 naming the variable, never "server null"', async () => {
    const result = await netpol(['push', DEMO, '--cluster', 'c'], { NETPOL_SERVER: 'localhost:4101' });
    expect(result).toEqual({ code: 2, stdout: '', stderr: `error: NETPOL_SERVER=localhost:4101: ${HINT}\n` });
  });

  it('collect --push checks the URL the same way', async () => {
    const result = await netpol(['collect', '--push', 'localhost:4101', '--cluster', 'c']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(HINT);
  });

  it('a server that cannot be reached is named with the reason (not fetch\'s bare "fetch failed") by diff, check and audit', async () => {
    // A port nothing listens on: taken from the OS, then released.
    const closed = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const server = `http://127.0.0.1:${closed}`;
    for (const args of [
      ['diff', 'demo@latest', DEMO, '--server', server],
      ['check', DEMO, '--against', 'demo@latest', '--server', server],
      ['audit', 'verify', '--server', server],
    ]) {
      const run = await netpol(args);
      expect(run.code, args[0]).toBe(2);
      expect(run.stderr, args[0]).toContain(`cannot reach ${server}: `);
      expect(run.stderr, args[0]).toContain('ECONNREFUSED');
    }
  });
});
