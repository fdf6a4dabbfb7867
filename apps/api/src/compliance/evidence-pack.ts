// The evidence pack of one report: a deterministic zip (entries sorted by name, fixed dates, fixed compression)
// holding the report in every format (json, md, html, csv and the byte-deterministic PDF), the snapshot content, its policies, the connectivity of the scoped
// zones, lint findings, the intents, the probe plan, SHA256SUMS, and manifest.json signed in manifest.sig.
// `netpol verify` checks it offline. Built in the render thread (render-thread.ts), never on the event loop.
import { createHash, sign, type KeyObject } from 'node:crypto';
import { formatReport, type ComplianceReport, type SegmentationIntents } from '@netpol-atlas/engine';
import { zipSync, type Zippable } from 'fflate';

export const MANIFEST_SCHEMA = 'netpol-atlas/evidence-manifest/v1';
/** Zip entries' date: DOS time has no zone, fflate reads local fields, so build it from local fields. */
const ZIP_DATE = new Date(1980, 0, 1, 0, 0, 0);

export interface EvidencePackInput {
  readonly reportId: string;
  /** The stored canonical JSON (JCS) of the report: exactly the bytes `reportSha256` hashes. */
  readonly reportJcs: string;
  readonly reportSha256: string;
  readonly snapshotId: string;
  readonly snapshotSha256: string;
  readonly snapshotContent: Uint8Array;
  /** The files read from the engine model and analysis (evidence-files.ts), computed in a model thread. */
  readonly analysisFiles: ReadonlyMap<string, Uint8Array>;
  readonly intents: SegmentationIntents;
  /** The stored intents file, when the report used one. */
  readonly intentsText?: string;
  readonly intentsVersion?: number;
  /** The installation key (signing-key.service.ts): it signs manifest.json (Ed25519 is deterministic). */
  readonly signingKey: { readonly fingerprint: string; readonly publicKeyPem: string; readonly privateKey: KeyObject };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

/** The files of the pack (before SHA256SUMS and the manifest), by name. */
export function evidenceFiles(input: EvidencePackInput, report: ComplianceReport): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  files.set('report.json', utf8(input.reportJcs));
  for (const format of ['md', 'html', 'csv'] as const) files.set(`report.${format}`, utf8(formatReport(report, format)));
  files.set('snapshot/content.json', new Uint8Array(input.snapshotContent));
  for (const [name, bytes] of input.analysisFiles) files.set(name, bytes);
  if (input.intentsText !== undefined) files.set('intents.yaml', utf8(input.intentsText));
  else files.set('intents.json', utf8(`${JSON.stringify(input.intents, null, 2)}\n`));
  return files;
}

export async function buildEvidencePack(input: EvidencePackInput): Promise<Uint8Array> {
  // Parsed here from the stored text: a string crosses the thread boundary cheaper than the object.
  const report = JSON.parse(input.reportJcs) as ComplianceReport;
  const files = evidenceFiles(input, report);
  // Loaded on first use (render-thread.ts).
  files.set('report.pdf', await (await import('@netpol-atlas/report-pdf')).reportPdf(report));
  const names = [...files.keys()].sort();
  const sums = names.map((name) => `${sha256(files.get(name) as Uint8Array)}  ${name}\n`).join('');
  files.set('SHA256SUMS', utf8(sums));
  const r = report;
  const manifest = {
    schema: MANIFEST_SCHEMA,
    reportId: input.reportId,
    framework: { id: r.framework.id, version: r.framework.version },
    engineVersion: r.engineVersion,
    snapshot: { id: input.snapshotId, contentSha256: input.snapshotSha256 },
    intents: { name: r.intents.name, source: r.intents.source, ...(input.intentsVersion !== undefined ? { version: input.intentsVersion } : {}) },
    generatedAt: r.generatedAt,
    reportSha256: input.reportSha256,
    verdict: r.summary.verdict,
    files: [...names, 'SHA256SUMS'].map((name) => ({ name, sha256: sha256(files.get(name) as Uint8Array), size: (files.get(name) as Uint8Array).length })),
    signature: { algorithm: 'ed25519', keyFingerprint: input.signingKey.fingerprint, publicKeyPem: input.signingKey.publicKeyPem },
  };
  const manifestBytes = utf8(`${JSON.stringify(manifest, null, 2)}\n`);
  files.set('manifest.json', manifestBytes);
  files.set('manifest.sig', utf8(`${sign(null, manifestBytes, input.signingKey.privateKey).toString('base64')}\n`));
  const zippable: Zippable = {};
  for (const name of [...files.keys()].sort()) zippable[name] = [files.get(name) as Uint8Array, { mtime: ZIP_DATE, level: 6 }];
  return zipSync(zippable);
}
