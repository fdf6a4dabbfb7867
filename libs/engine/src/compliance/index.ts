// Public surface of the compliance module (re-exported by the engine's index).
export * from './types.js';
export { FRAMEWORKS, FRAMEWORK_IDS, frameworkById } from './frameworks/index.js';
export { buildReport, reportBasis, reportChanges, UnknownFrameworkError, type ReportInput, type ReportBasis } from './report.js';
export { formatReport, reportMarkdown, reportHtml, reportCsv, snapshotLine, zonesOrigin, zonesText, REPORT_TEXT_FORMATS, type ReportTextFormat } from './format.js';
