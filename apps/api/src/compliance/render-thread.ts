// The piscina task of render-pool.ts, run in a worker thread (never on the server's event loop): a stored report
// rendered as md / html / csv / PDF, and evidence packs (every format, the content, sums, signature, zip). A PDF of
// a report with thousands of evidence rows, or deflating a 50 MB snapshot content into a pack, takes seconds of
// CPU during which every other request would wait. The same functions as before run here, so the bytes are the same.
// The evidence pack's first step reads the stored report's CNI profile and time here too, and a report stored before
// views of this layout were gets its view and row pages here (stored by this thread): parsing a report of a few MiB
// is tens of milliseconds of the event loop (75 MB and ~0.4 s at 50k pods).
import { formatReport, type ComplianceReport, type ConnlistFormat } from '@netpol-atlas/engine';
import type { MessagePort } from 'node:worker_threads';
import type { ConnectivityTable } from '../analysis/connectivity-table.js';
import { streamConnlist, type ConnlistStreamed } from '../connectivity/connlist-stream.js';
import { Piscina } from 'piscina';
import { buildEvidencePack, type EvidencePackInput } from './evidence-pack.js';
import { storedReportViewOf } from './report-view.js';
import { insertReportView } from './stored-report.js';
import { lowerWorkerThreadPriority } from '../config/thread-priority.js';
import { readContentFrom, readReportBytesFrom, readReportFrom, withConnection, type ContentSource, type ReportSource } from '../snapshots/content-source.js';

// Below the event loop's priority (thread-priority.ts).
lowerWorkerThreadPriority();

export type RenderedReportFormat = 'md' | 'html' | 'csv' | 'pdf';

/** A stored report: its canonical JSON, or where this thread reads it (content-source.ts: tens of MB at 50k pods,
 *  which the event loop would read from PostgreSQL and copy here in blocks of hundreds of milliseconds). */
export type ReportText = string | ReportSource;

export type RenderTask =
  /** A text, not the parsed report: a string crosses the boundary cheaper than the object. */
  | { readonly op: 'report'; readonly report: ReportText; readonly format: RenderedReportFormat }
  | { readonly op: 'evidencePack'; readonly input: EvidencePackTaskInput }
  | { readonly op: 'reportHeader'; readonly report: ReportText }
  /** The stored canonical JSON as UTF-8 bytes (the json download). */
  | { readonly op: 'reportJson'; readonly report: ReportSource }
  /** Computes and stores the view and row pages of a report stored without them (on the primary); answers the view. */
  | { readonly op: 'reportView'; readonly report: ReportSource }
  /** A connectivity download's np-guard text, sent through `port` as it is formatted (connlist-stream.ts). */
  | { readonly op: 'connlist'; readonly table: ConnectivityTable; readonly format: ConnlistFormat; readonly port: MessagePort; readonly chunkChars?: number };

/** A pack's input; its snapshot content and report text may instead say where this thread reads them. */
export type EvidencePackTaskInput = Omit<EvidencePackInput, 'snapshotContent' | 'reportJcs'> &
  ({ readonly snapshotContent: Uint8Array } | { readonly snapshotContentFrom: ContentSource }) &
  ({ readonly reportJcs: string } | { readonly reportFrom: ReportSource });

/** What an evidence pack recomputes its evidence under: the CNI profile the report recorded (absent in reports
 *  from before profiles were recorded) and the report's generation time. */
export interface ReportHeader {
  readonly cniProfile?: string;
  readonly generatedAt: string;
}

export type RenderResult = Uint8Array | ReportHeader | ConnlistStreamed | string;

/** The bytes, moved (not copied) back to the event loop; a report header or view is small. */
export default async function render(task: RenderTask): Promise<RenderResult> {
  if (task.op === 'connlist') return streamConnlist(task.table, task.format, task.port, task.chunkChars);
  if (task.op === 'evidencePack') return Piscina.move(await buildEvidencePack(await withContent(task.input))) as Uint8Array;
  if (task.op === 'reportJson') {
    const bytes = await readReportBytesFrom(task.report);
    if (bytes === null) throw new Error(`report ${task.report.reportId} is missing`);
    return Piscina.move(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as Uint8Array;
  }
  const report = JSON.parse(await textOf(task.report)) as ComplianceReport;
  if (task.op === 'reportHeader') return reportHeader(report);
  if (task.op === 'reportView') {
    const view = storedReportViewOf(report);
    const source = task.report;
    await withConnection(source.primaryUrl, (client) => insertReportView(client, source.reportId, view));
    return view.viewJson;
  }
  return Piscina.move(await renderReport(report, task.format)) as Uint8Array;
}

async function textOf(report: ReportText): Promise<string> {
  if (typeof report === 'string') return report;
  const text = await readReportFrom(report);
  if (text === null) throw new Error(`report ${report.reportId} is missing`);
  return text;
}

async function withContent(input: EvidencePackTaskInput): Promise<EvidencePackInput> {
  const { reportId, reportSha256, snapshotId, snapshotSha256, analysisFiles, intents, intentsText, intentsVersion, signingKey } = input;
  let snapshotContent: Uint8Array | null;
  if ('snapshotContent' in input) snapshotContent = input.snapshotContent;
  else snapshotContent = await readContentFrom(input.snapshotContentFrom);
  if (!snapshotContent) throw new Error(`content ${snapshotSha256} of report ${reportId} is missing`);
  const reportJcs = 'reportJcs' in input ? input.reportJcs : await textOf(input.reportFrom);
  return {
    reportId,
    reportJcs,
    reportSha256,
    snapshotId,
    snapshotSha256,
    snapshotContent,
    analysisFiles,
    intents,
    ...(intentsText !== undefined ? { intentsText } : {}),
    ...(intentsVersion !== undefined ? { intentsVersion } : {}),
    signingKey,
  };
}

function reportHeader(report: ComplianceReport): ReportHeader {
  const cniProfile = report.snapshot.cniProfile;
  return { ...(cniProfile !== undefined ? { cniProfile } : {}), generatedAt: report.generatedAt };
}

// The PDF writer (~0.45 s to load) is imported by the first PDF or evidence pack, not by every thread's start: a
// thread that starts for a report view or a page of evidence rows answers sooner.
async function renderReport(report: ComplianceReport, format: RenderedReportFormat): Promise<Uint8Array> {
  if (format === 'pdf') return (await import('@netpol-atlas/report-pdf')).reportPdf(report);
  const text = Buffer.from(formatReport(report, format), 'utf8');
  // Its own buffer (a short Buffer may be a slice of Node's shared pool, which must not be moved).
  return new Uint8Array(text);
}
