// The compliance report as PDF, shared by `netpol report -o pdf` and the server's downloads and evidence packs.
// Apart from the engine because pdfkit reads its font metrics from disk: the engine stays free of I/O.
export { reportPdf } from './report-pdf.js';
