// `netpol verify evidence.zip [--key pub.pem]`: checks an evidence pack offline: every file against SHA256SUMS and
// the manifest, no file missing or extra, the report's canonical JSON against reportSha256, and the Ed25519
// signature of manifest.json. Exit 0 when everything holds, 1 when anything does not, 2 on unusable input.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { unzipSync } from 'fflate';
import { EXIT_OK, EXIT_UNUSABLE, processIo, type ReportIo } from '../report-io.js';
import { usageExit } from './list.js';

export const EXIT_TAMPERED = 1;

export interface VerifyOptions {
  readonly key?: string;
}

interface Manifest {
  readonly schema: string;
  readonly reportSha256: string;
  readonly files: readonly { readonly name: string; readonly sha256: string; readonly size: number }[];
  readonly signature: { readonly algorithm: string; readonly keyFingerprint: string; readonly publicKeyPem: string };
}

export function verifyCommand(io: ReportIo = processIo(), setExitCode: (code: number) => void = (c) => void (process.exitCode = c)): Command {
  return new Command('verify')
    .description('Verify an evidence pack offline (hashes and signature). Exit 0 when valid, 1 when not, 2 on unusable input.')
    .argument('<zip>', 'the evidence pack (GET /api/v1/reports/{id}/evidence.zip)')
    .option('--key <pem>', 'the signing public key (GET /api/v1/signing-key); without it the key inside the pack is used, which proves integrity, not origin')
    .exitOverride(usageExit)
    .action(async (zip: string, options: VerifyOptions) => {
      setExitCode(await runVerify(zip, options, io));
    });
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export async function runVerify(zipPath: string, options: VerifyOptions, io: ReportIo): Promise<number> {
  let zipBytes: Buffer;
  let keyPem: string | undefined;
  try {
    zipBytes = await readFile(zipPath);
    if (options.key) keyPem = await readFile(options.key, 'utf8');
  } catch (error) {
    io.writeStderr(`error: ${(error as Error).message}\n`);
    return EXIT_UNUSABLE;
  }
  const problems: string[] = [];
  const lines: string[] = [];
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(new Uint8Array(zipBytes));
  } catch (error) {
    await io.writeStdout(`FAIL: not a readable zip (${(error as Error).message})\n`);
    return EXIT_TAMPERED;
  }
  const text = (name: string) => (files[name] ? Buffer.from(files[name]).toString('utf8') : undefined);
  let manifest: Manifest | undefined;
  try {
    manifest = JSON.parse(text('manifest.json') ?? '') as Manifest;
  } catch {
    problems.push('manifest.json is missing or not JSON');
  }
  const signature = text('manifest.sig')?.trim();
  if (!signature) problems.push('manifest.sig is missing');
  if (manifest) {
    // Files: SHA256SUMS and the manifest agree with the bytes, nothing missing, nothing extra.
    const sums = new Map<string, string>();
    for (const line of (text('SHA256SUMS') ?? '').split('\n').filter(Boolean)) {
      const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
      if (m) sums.set(m[2], m[1]);
      else problems.push(`SHA256SUMS: malformed line ${JSON.stringify(line)}`);
    }
    const listed = new Set(manifest.files.map((f) => f.name));
    for (const f of manifest.files) {
      const bytes = files[f.name];
      if (!bytes) {
        problems.push(`${f.name}: missing`);
        continue;
      }
      const actual = sha256(bytes);
      if (actual !== f.sha256 || bytes.length !== f.size) problems.push(`${f.name}: SHA-256 ${actual} does not match the manifest (${f.sha256})`);
      else if (f.name !== 'SHA256SUMS' && sums.get(f.name) !== actual) problems.push(`${f.name}: does not match SHA256SUMS`);
      else lines.push(`ok  ${f.name}`);
    }
    for (const name of Object.keys(files).sort()) {
      if (!listed.has(name) && name !== 'manifest.json' && name !== 'manifest.sig') problems.push(`${name}: not in the manifest`);
    }
    for (const name of sums.keys()) if (!listed.has(name)) problems.push(`${name}: in SHA256SUMS but not in the manifest`);
    if (files['report.json'] && sha256(files['report.json']) !== manifest.reportSha256) problems.push('report.json does not hash to the manifest\'s reportSha256');
    // Signature of manifest.json's exact bytes.
    if (signature && files['manifest.json']) {
      const pem = keyPem ?? manifest.signature?.publicKeyPem;
      try {
        const key = createPublicKey(pem);
        const ok = verify(null, files['manifest.json'], key, Buffer.from(signature, 'base64'));
        if (!ok) problems.push('manifest.sig: the signature does not verify');
        else lines.push(`ok  manifest.sig (Ed25519, key sha256:${sha256(key.export({ type: 'spki', format: 'der' }))})`);
        if (keyPem && createPublicKey(manifest.signature.publicKeyPem).export({ type: 'spki', format: 'pem' }) !== key.export({ type: 'spki', format: 'pem' })) {
          problems.push('the manifest names another key than --key');
        }
      } catch (error) {
        problems.push(`signature key unusable: ${(error as Error).message}`);
      }
    }
    if (!keyPem) io.writeStderr('warning: no --key: checked against the key inside the pack (integrity, not origin)\n');
  }
  const out = [...lines, ...problems.map((p) => `FAIL ${p}`), problems.length === 0 ? 'evidence pack verified' : `${problems.length} problem(s): the evidence pack is NOT valid`];
  await io.writeStdout(`${out.join('\n')}\n`);
  return problems.length === 0 ? EXIT_OK : EXIT_TAMPERED;
}
