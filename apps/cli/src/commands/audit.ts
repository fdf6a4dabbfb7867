// `netpol audit verify [--server URL]`: reads the server's whole audit log (admin token in NETPOL_TOKEN), page by
// page, and checks every link of its hash chain. Exit 0 when intact (prints the count and the head hash, which an
// operator can record elsewhere to detect a rewrite of the whole chain), 1 when a link is broken, 2 when the log
// cannot be read.
import { createHash } from 'node:crypto';
import { Command } from 'commander';
import { AUDIT_GENESIS_HASH, firstAuditBreak, type AuditRecord } from '@netpol-atlas/engine';
import { processIo, type ReportIo } from '../report-io.js';
import { authHeaders, authHint } from '../server-auth.js';
import { parseServerUrl } from '../server-url.js';
import { networkReason } from '../upload.js';

const DEFAULT_SERVER = 'http://localhost:3000';
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export async function verifyAuditLog(server: string, io: ReportIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let start = { hash: AUDIT_GENESIS_HASH, seq: 1 };
  let count = 0;
  for (let after = 0; ; ) {
    const url = new URL(`/api/v1/audit?after=${after}`, server);
    let response: Response;
    try {
      response = await fetch(url, { headers: { Accept: 'application/json', ...authHeaders(env) }, signal: AbortSignal.timeout(120_000) });
    } catch (error) {
      io.writeStderr(`error: cannot reach ${url.origin}: ${networkReason(error)}\n`);
      return 2;
    }
    if (!response.ok) {
      io.writeStderr(`error: ${url.href} answered HTTP ${response.status}${authHint(response.status, env)}\n`);
      return 2;
    }
    const page = (await response.json()) as { entries: AuditRecord[]; next: number | null };
    const broken = firstAuditBreak(page.entries, sha256, start);
    if (broken) {
      await io.writeStdout(`audit log BROKEN at entry ${broken.seq}: ${broken.reason}\n`);
      return 1;
    }
    count += page.entries.length;
    const last = page.entries.at(-1);
    if (last) start = { hash: last.hash, seq: last.seq + 1 };
    if (page.next === null || !last) break;
    after = page.next;
  }
  await io.writeStdout(`audit log intact: ${count} entries, head ${start.hash}\n`);
  return 0;
}

export function auditCommand(io: ReportIo = processIo(), setExitCode: (code: number) => void = (c) => void (process.exitCode = c)): Command {
  const audit = new Command('audit').description('The server\'s hash-chained audit log');
  audit
    .command('verify')
    .description('Check every link of the server\'s audit log (needs an admin token in NETPOL_TOKEN). Exit 0 intact, 1 broken, 2 unreadable.')
    .option('--server <url>', `server URL (default: $NETPOL_SERVER, else ${DEFAULT_SERVER})`, parseServerUrl)
    .action(async (options: { server?: string }) => {
      setExitCode(await verifyAuditLog(options.server ?? process.env.NETPOL_SERVER ?? DEFAULT_SERVER, io));
    });
  return audit;
}
