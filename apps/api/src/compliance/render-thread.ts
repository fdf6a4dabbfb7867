// The piscina task of render-pool.ts, run in a worker thread (never on the server's event loop): a stored report
// rendered as md / html / csv / PDF, and evidence packs (every format, the content, sums, signature, zip). A PDF of
// a report with thousands of evidence rows, or deflating a 50 MB snapshot content into a pack, takes seconds of
// CPU during which every other request would wait. The same functions as before run here, so the bytes are the same.
// The evidence pack's first step reads the stored report's CNI profile and time here too, and GraphQL's pages of
// evidence rows are sliced here: parsing a report of a few MiB is tens of milliseconds of the event loop (75 MB and
// ~0.4 s at 50k pods).
import { formatReport, type ComplianceReport, type ConnlistFormat } from '@netpol-atlas/engine';
import type { MessagePort } from 'node:worker_threads';
import type { ConnectivityTable } from '../analysis/connectivity-table.js';
import { streamConnlist, type ConnlistStreamed } from '../connectivity/connlist-stream.js';
import { reportPdf } from '@netpol-atlas/report-pdf';
import { Piscina } from 'piscina';
import { buildEvidencePack, type EvidencePackInput } from './evidence-pack.js';
import { reportRows, reportViewOf, type ReportRow, type ReportRowsRequest } from './report-view.js';
import { lowerWorkerThreadPriority } from '../config/thread-priority.js';
import { readContentFrom, type ContentSource } from '../snapshots/content-source.js';

// Below the event loop's priority (thread-priority.ts).
lowerWorkerThreadPriority();

export type RenderedReportFormat = 'md' | 'html' | 'csv' | 'pdf';

export type RenderTask =
  /** `reportJcs`: the stored canonical JSON (a string crosses the boundary cheaper than the parsed report). */
  | { readonly op: 'report'; readonly reportJcs: string; readonly format: RenderedReportFormat }
  | { readonly op: 'evidencePack'; readonly input: EvidencePackTaskInput }
  | { readonly op: 'reportHeader'; readonly reportJcs: string }
  | { readonly op: 'reportView'; readonly reportJcs: string }
  | { readonly op: 'reportRows'; readonly reportJcs: string; readonly requests: readonly ReportRowsRequest[] }
  /** A connectivity download's np-guard text, sent through `port` as it is formatted (connlist-stream.ts). */
  | { readonly op: 'connlist'; readonly table: ConnectivityTable; readonly format: ConnlistFormat; readonly port: MessagePort; readonly chunkChars?: number };

/** A pack's input with its snapshot content, or where this thread reads it (content-source.ts: not on the event loop). */
export type EvidencePackTaskInput =
  | EvidencePackInput
  | (Omit<EvidencePackInput, 'snapshotContent'> & { readonly snapshotContentFrom: ContentSource });

/** What an evidence pack recomputes its evidence under: the CNI profile the report recorded (absent in reports
 *  from before profiles were recorded) and the report's generation time. */
export interface ReportHeader {
  readonly cniProfile?: string;
  readonly generatedAt: string;
}

export type RenderResult = Uint8Array | ReportHeader | ConnlistStreamed | string | ReportRow[][];

/** The bytes, moved (not copied) back to the event loop; a report header, view or page of rows is small. */
export default async function render(task: RenderTask): Promise<RenderResult> {
  if (task.op === 'reportHeader') return reportHeader(JSON.parse(task.reportJcs) as ComplianceReport);
  if (task.op === 'reportView') return JSON.stringify(reportViewOf(JSON.parse(task.reportJcs) as ComplianceReport));
  if (task.op === 'reportRows') return reportRows(JSON.parse(task.reportJcs) as ComplianceReport, task.requests);
  if (task.op === 'connlist') return streamConnlist(task.table, task.format, task.port, task.chunkChars);
  const bytes = task.op === 'evidencePack' ? await buildEvidencePack(await withContent(task.input)) : await renderReport(JSON.parse(task.reportJcs) as ComplianceReport, task.format);
  return Piscina.move(bytes) as Uint8Array;
}

async function withContent(input: EvidencePackTaskInput): Promise<EvidencePackInput> {
  if (!('snapshotContentFrom' in input)) return input;
  const { snapshotContentFrom, ...rest } = input;
  const snapshotContent = await readContentFrom(snapshotContentFrom);
  if (!snapshotContent) throw new Error(`content ${snapshotContentFrom.sha256} of report ${input.reportId} is missing`);
  return { ...rest, snapshotContent };
}

function reportHeader(report: ComplianceReport): ReportHeader {
  const cniProfile = report.snapshot.cniProfile;
  return { ...(cniProfile !== undefined ? { cniProfile } : {}), generatedAt: report.generatedAt };
}

async function renderReport(report: ComplianceReport, format: RenderedReportFormat): Promise<Uint8Array> {
  if (format === 'pdf') return reportPdf(report);
  const text = Buffer.from(formatReport(report, format), 'utf8');
  // Its own buffer (a short Buffer may be a slice of Node's shared pool, which must not be moved).
  return new Uint8Array(text);
}
