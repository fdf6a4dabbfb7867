// Exposure analysis (np-guard `list --exposure`): plain data and its report formats.
export * from './types.js';
export { exposure, exposureTotals, type ExposureTotals } from './exposure.js';
export { exposureReportChunks, formatExposureReport, EXPOSURE_FORMATS, type ExposureFormat } from './format.js';
