// What lint, report and probe-plan share: the snapshot with its parsed objects, and the zones (an intents
// file, or the CDE convention `--cde SELECTOR`, default pci=cde on namespaces).
import { readFile } from 'node:fs/promises';
import {
  analyze,
  buildSnapshot,
  cdeIntents,
  DEFAULT_CDE_SELECTOR,
  parseIntents,
  parseManifests,
  parseSnapshotContent,
  type Analysis,
  type EngineOptions,
  type ParsedObject,
  type SegmentationIntents,
} from '@netpol-atlas/engine';
import { InputError, readInputs } from '../read-inputs.js';
import { reportIssues, reportProfileNote, type ReportIo } from '../report-io.js';

export interface LoadedCluster {
  readonly analysis: Analysis;
  readonly objects: readonly ParsedObject[];
}

/** undefined when the input is unusable (issues printed). A server snapshot's content download (one JSON array)
 *  is read as the server reads it, so reports on it are the server's. */
export async function loadCluster(paths: readonly string[], io: ReportIo, engine: EngineOptions = {}): Promise<LoadedCluster | undefined> {
  const documents = await readInputs(paths);
  const content = documents.length === 1 ? parseSnapshotContent(documents[0].text) : undefined;
  if (content) {
    // Validated like any input (the server validated it at ingest; a hand-made array is not trusted): its errors
    // make the input unusable; the objects analysed are the content's, located as the server locates them.
    const asList = { path: documents[0].path, text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: content.map((o) => o.object) }) };
    if (reportIssues(parseManifests([asList]).issues.filter((issue) => issue.severity === 'error'), io)) return undefined;
  }
  const parsed = content ? { objects: content, issues: [] } : parseManifests(documents);
  const built = buildSnapshot(parsed.objects, engine);
  if (reportIssues([...parsed.issues, ...built.issues], io)) return undefined;
  reportProfileNote(built.snapshot, io);
  return { analysis: analyze(built.snapshot), objects: parsed.objects };
}

export async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new InputError(`cannot read ${file}`);
  }
}

/** The intents file when given, else one `cde` zone from the selector; undefined when unusable (issues printed). */
export async function loadZones(
  intentsFile: string | undefined,
  cde: string | undefined,
  io: ReportIo,
): Promise<{ intents: SegmentationIntents; fromFile: boolean; text?: string; cdeSelectorGiven?: boolean } | undefined> {
  if (intentsFile) {
    const text = await readText(intentsFile);
    const parsed = parseIntents({ path: intentsFile, text });
    if (reportIssues(parsed.issues, io) || !parsed.intents) return undefined;
    return { intents: parsed.intents, fromFile: true, text };
  }
  const intents = cdeIntents(cde ?? DEFAULT_CDE_SELECTOR);
  if (!intents) throw new InputError(`--cde ${cde} is not a selector (key=value[,key=value], optionally ns: or pod:)`);
  return { intents, fromFile: false, cdeSelectorGiven: cde !== undefined };
}

/** An RFC 3339 time given on the command line, or now (never read inside formatters). */
export function timeOption(value: string | undefined, name: string): string {
  const text = value ?? process.env.SOURCE_DATE_EPOCH_ISO ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(text))) throw new InputError(`${name} ${text} is not an RFC 3339 time`);
  return new Date(Date.parse(text)).toISOString();
}
